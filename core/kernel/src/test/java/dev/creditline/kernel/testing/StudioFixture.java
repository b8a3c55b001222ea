package dev.creditline.kernel.testing;

import static dev.creditline.testkit.ApiClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Instant;
import java.util.List;

/** One studio of a test and shortcuts to build its catalogue, members and credits through the API. */
public final class StudioFixture {
    private final ApiClient api;
    private final String id;
    private final String ownerKey;

    private StudioFixture(ApiClient api, String id, String ownerKey) {
        this.api = api;
        this.id = id;
        this.ownerKey = ownerKey;
    }

    /** A studio made elsewhere (e.g. in the dashboard), with its owner key. */
    public static StudioFixture of(ApiClient api, String id, String ownerKey) {
        return new StudioFixture(api, id, ownerKey);
    }

    static StudioFixture create(ApiClient api, boolean testMode) {
        Response studio = api.post("/admin/studios", TestServer.ADMIN_TOKEN,
                json("name", "Studio " + System.nanoTime(), "timezone", "Europe/Berlin", "currency", "EUR",
                        "testMode", testMode)).expect(201);
        return new StudioFixture(api, studio.text("/id"), studio.text("/ownerKey"));
    }

    public String id() {
        return id;
    }

    public String owner() {
        return ownerKey;
    }

    public ApiClient api() {
        return api;
    }

    /** A new key of the given role ("coach", or "athlete" with a member). */
    public String key(String role, String memberId) {
        ObjectNode body = json("role", role);
        if (memberId != null) {
            body.put("memberId", memberId);
        }
        return api.post("/v1/api-keys", ownerKey, body).expect(201).text("/key");
    }

    public String trainer(String name) {
        return api.post("/v1/trainers", ownerKey, json("name", name)).expect(201).text("/id");
    }

    /** A scheduler paid with credits, with a 12-hour cancellation window. */
    public String scheduler(String name, int creditCost) {
        return scheduler(json("name", name, "creditCost", creditCost, "paymentMode", "credits",
                "cancellationWindow", "PT12H"));
    }

    public String scheduler(ObjectNode body) {
        return api.post("/v1/schedulers", ownerKey, body).expect(201).text("/id");
    }

    /** A package of credits valid for six months from purchase. */
    public String pack(String name, int credits, String price) {
        return product(json("name", name, "kind", "package", "credits", credits,
                "price", json("amount", price, "currency", "EUR"), "validity", "P6M", "validityStart", "purchase"));
    }

    public String product(ObjectNode body) {
        return api.post("/v1/products", ownerKey, body).expect(201).text("/id");
    }

    public String member(String name, String... tags) {
        return api.post("/v1/members", ownerKey, json("name", name, "tags", List.of(tags))).expect(201).text("/id");
    }

    /** Adds a product without charging (promotional credits, nothing sold); returns the purchase. */
    public Response purchase(String memberId, String productId) {
        return api.post("/v1/members/" + memberId + "/purchases", ownerKey,
                json("productId", productId, "payment", "none")).expect(201);
    }

    /** Sells a product at its price, paid outside Creditline (cash at the desk); returns the purchase. */
    public Response sell(String memberId, String productId) {
        JsonNode price = api.get("/v1/products/" + productId, ownerKey).expect(200).body().get("price");
        return sell(memberId, productId, price.get("amount").asText());
    }

    /** Sells a product for the amount taken outside Creditline (in EUR); returns the purchase. */
    public Response sell(String memberId, String productId, String amount) {
        return api.post("/v1/members/" + memberId + "/purchases", ownerKey, json("productId", productId,
                "payment", "outside", "amountPaid", json("amount", amount, "currency", "EUR"))).expect(201);
    }

    /** Grants master credits. */
    public Response grant(String memberId, int amount) {
        return api.post("/v1/members/" + memberId + "/credits/adjust", ownerKey,
                json("account", "master", "mode", "add", "amount", amount, "reason", "test grant")).expect(200);
    }

    public Response book(String memberId, String schedulerId, Instant startsAt) {
        return api.post("/v1/bookings", ownerKey,
                json("memberId", memberId, "schedulerId", schedulerId, "startsAt", startsAt.toString()));
    }

    public Response cancel(String bookingId) {
        return api.post("/v1/bookings/" + bookingId + "/cancel", ownerKey, null);
    }

    public JsonNode credits(String memberId) {
        return api.get("/v1/members/" + memberId + "/credits", ownerKey).expect(200).body();
    }

    /** The balance of an account ("master" or a product id) in the credit view. */
    public int balance(String memberId, String account) {
        for (JsonNode a : credits(memberId).get("accounts")) {
            if (a.get("account").asText().equals(account)) {
                return a.get("balance").intValue();
            }
        }
        return 0;
    }

    public int total(String memberId) {
        return credits(memberId).get("total").intValue();
    }

    public List<JsonNode> log(String memberId) {
        JsonNode items = api.get("/v1/members/" + memberId + "/credit-logs?limit=500", ownerKey).expect(200)
                .body().get("items");
        return java.util.stream.StreamSupport.stream(items.spliterator(), false).toList();
    }

    /** The studio's clock. */
    public Instant now() {
        return Instant.parse(api.get("/v1/clock", ownerKey).expect(200).text("/now"));
    }

    /** Moves a test-mode studio's clock (and runs what falls due). */
    public void clock(Instant now) {
        api.post("/v1/clock", ownerKey, json("now", now.toString())).expect(200);
    }
}
