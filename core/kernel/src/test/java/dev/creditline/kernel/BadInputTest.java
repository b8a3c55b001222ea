package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, endpoint by endpoint: each answer is a 4xx problem+json naming the field at fault, never a 500, and
 * nothing is written.
 */
class BadInputTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    static StudioFixture studio;
    static String member;
    static String scheduler;
    static String product;
    static String purchase;

    @BeforeAll
    static void studio() {
        studio = server.studio(true);
        member = studio.member("Mia");
        scheduler = studio.scheduler("Yoga", 1);
        product = studio.pack("5 Pack", 5, "50.00");
        purchase = studio.purchase(member, product).text("/id");
        studio.grant(member, 2);
    }

    static Stream<Arguments> badRequests() {
        String adjust = "/v1/members/" + member + "/credits/adjust";
        String purchases = "/v1/members/" + member + "/purchases";
        String later = studio.now().plus(Duration.ofDays(1)).toString();
        String deep = "{\"name\":" + "[".repeat(100) + "]".repeat(100) + "}";
        return Stream.of(
                // Malformed or hostile JSON on any endpoint
                bad("POST", "/v1/members", "{\"name\":", 400, null),
                bad("POST", "/v1/members", "[1,2,3]", 400, null),
                bad("POST", "/v1/members", "\"just a string\"", 400, null),
                bad("POST", "/v1/members", "{\"name\":\"a\"} trailing", 400, null),
                bad("POST", "/v1/members", "{\"name\":\"a\",\"name\":\"b\"}", 400, null),
                bad("POST", "/v1/members", deep, 400, null),
                bad("POST", "/v1/members", "{\"name\":\"" + "x".repeat(70_000) + "\"}", 413, null),
                bad("POST", "/v1/members", "", 400, null),
                bad("POST", "/v1/bookings", "{\"memberId\": NaN}", 400, null),
                // Studios and keys
                bad("POST", "/admin/studios", json("name", "S", "timezone", "Mars/Olympus", "currency", "EUR"), 422,
                        "timezone"),
                bad("POST", "/admin/studios", json("name", "S", "timezone", "UTC", "currency", "EURO"), 422,
                        "currency"),
                bad("POST", "/admin/studios", json("name", "", "timezone", "UTC", "currency", "EUR"), 422, "name"),
                bad("POST", "/admin/studios", json("name", "S", "timezone", "UTC", "currency", "EUR",
                        "testMode", "yes"), 422, "testMode"),
                bad("POST", "/v1/api-keys", json("role", "admin"), 422, "role"),
                bad("POST", "/v1/api-keys", json("role", "coach", "memberId", member), 422, "memberId"),
                bad("POST", "/v1/clock", json("now", "tomorrow"), 422, "now"),
                bad("POST", "/v1/clock", json("now", "2001-01-01T00:00:00Z"), 422, "now"),
                // Catalogue
                bad("POST", "/v1/trainers", json("name", 42), 422, "name"),
                bad("POST", "/v1/trainers", json("name", "Anna", "email", "a@b.c"), 422, "email"),
                bad("POST", "/v1/schedulers", json("name", "S", "creditCost", 0, "paymentMode", "credits",
                        "cancellationWindow", "PT1H"), 422, "creditCost"),
                bad("POST", "/v1/schedulers", json("name", "S", "creditCost", 1.5, "paymentMode", "credits",
                        "cancellationWindow", "PT1H"), 422, "creditCost"),
                bad("POST", "/v1/schedulers", json("name", "S", "creditCost", 1, "paymentMode", "cash",
                        "cancellationWindow", "PT1H"), 422, "paymentMode"),
                bad("POST", "/v1/schedulers", json("name", "S", "creditCost", 1, "paymentMode", "credits",
                        "cancellationWindow", "12 hours"), 422, "cancellationWindow"),
                bad("POST", "/v1/schedulers", json("name", "S", "creditCost", 1, "paymentMode", "both",
                        "cancellationWindow", "PT1H", "price", json("amount", "1.234")), 422, "price.amount"),
                bad("PATCH", "/v1/schedulers/" + scheduler, json("creditCost", -1), 422, "creditCost"),
                bad("POST", "/v1/products", json("name", "P", "kind", "package", "credits", "ten",
                        "price", json("amount", "10.00")), 422, "credits"),
                bad("POST", "/v1/products", json("name", "P", "kind", "package", "credits",
                        new java.math.BigInteger("99999999999999999999"), "price", json("amount", "10.00")), 422,
                        "credits"),
                bad("POST", "/v1/products", json("name", "P", "kind", "package", "credits", "unlimited",
                        "price", json("amount", "10.00")), 422, "credits"),
                bad("POST", "/v1/products", json("name", "P", "kind", "package", "credits", 5,
                        "price", json("amount", "-1.00")), 422, "price.amount"),
                bad("POST", "/v1/products", json("name", "P", "kind", "package", "credits", 5,
                        "price", json("amount", "10.00", "currency", "XYZ")), 422, "price.currency"),
                bad("POST", "/v1/products", json("name", "P", "kind", "package", "credits", 5,
                        "price", json("amount", "10.00"), "validityStart", "first_use"), 422, "validity"),
                bad("POST", "/v1/products", json("name", "P", "kind", "subscription", "credits", 5,
                        "price", json("amount", "10.00")), 422, "billingInterval"),
                bad("POST", "/v1/products", json("name", "P", "kind", "package", "credits", 5,
                        "price", json("amount", "10.00"), "redeemableSchedulerIds", List.of(1, 2)), 422,
                        "redeemableSchedulerIds[0]"),
                bad("POST", "/v1/products", json("name", "P", "kind", "package", "credits", 5,
                        "price", json("amount", "10.00"), "usageLimits", List.of(Map.of("max", 0, "per", "P1W"))),
                        422, "usageLimits[0].max"),
                bad("PATCH", "/v1/products/" + product, json("kind", "subscription"), 422, "kind"),
                bad("PATCH", "/v1/products/" + product, json("price", null), 422, "price"),
                bad("PATCH", "/v1/products/" + product, json("validityStart", null), 422, "validityStart"),
                // Members
                bad("POST", "/v1/members", json("name", "Mia", "email", "not-an-email"), 422, "email"),
                bad("POST", "/v1/members", json("name", "Nul\u0000Byte"), 422, "name"),
                bad("POST", "/v1/members", json("name", "\u200B"), 422, "name"),
                bad("POST", "/v1/members", json("name", "\u00A0\u200B\u00A0"), 422, "name"),
                bad("POST", "/v1/trainers", json("name", "\u2060\uFEFF"), 422, "name"),
                bad("PATCH", "/v1/products/" + product, json("name", "\u00A0"), 422, "name"),
                bad("POST", "/v1/members", json("name", "Mia", "tags", "vip"), 422, "tags"),
                bad("POST", "/v1/members", json("name", "Mia", "tags", List.of("ok", "")), 422, "tags[1]"),
                bad("POST", "/v1/members", json("nme", "Mia"), 422, "nme"),
                bad("PATCH", "/v1/members/" + member, json("name", null), 422, "name"),
                bad("GET", "/v1/members/" + "m".repeat(300), null, 404, null),
                bad("GET", "/v1/members/%00", null, 404, null),
                bad("POST", "/v1/bookings/%00/cancel", null, 404, null),
                bad("GET", "/v1/members?tag=%00", null, 422, "tag"),
                bad("GET", "/v1/members/" + member + "/eligibility?schedulerId=%00", null, 422, "schedulerId"),
                bad("GET", "/v1/members/" + member + "/credit-logs?account=a%00b", null, 422, "account"),
                bad("GET", "/v1/members?limit=0", null, 422, "limit"),
                bad("GET", "/v1/members?limit=abc", null, 422, "limit"),
                bad("GET", "/v1/members?cursor=garbage!", null, 422, "cursor"),
                bad("DELETE", "/v1/members/" + member + "?forfeit=maybe", null, 422, "forfeit"),
                bad("POST", "/v1/members/" + member + "/merge", json("fromMemberId", member), 422, "fromMemberId"),
                // Credits
                bad("POST", adjust, json("account", "master", "mode", "add", "amount", 0, "reason", "x"), 422,
                        "amount"),
                bad("POST", adjust, json("account", "master", "mode", "add", "amount", 1_000_000, "reason", "x"), 422,
                        "amount"),
                bad("POST", adjust, json("account", "master", "mode", "set", "amount", 3, "reason", "x"), 422,
                        "expectedBalance"),
                bad("POST", adjust, json("account", "master", "mode", "add", "amount", 1, "reason", "x",
                        "expectedBalance", 2), 422, "expectedBalance"),
                bad("POST", adjust, json("account", "master", "mode", "replace", "amount", 1, "reason", "x"), 422,
                        "mode"),
                bad("POST", adjust, json("account", "master", "mode", "add", "amount", 1), 422, "reason"),
                bad("POST", adjust, json("account", "master", "mode", "add", "amount", 1, "reason", "x",
                        "expiresAt", "2020-01-01T00:00:00Z"), 422, "expiresAt"),
                bad("POST", adjust, json("account", "master", "mode", "add", "amount", "1", "reason", "x"), 422,
                        "amount"),
                bad("POST", purchases, json("productId", product, "payment", "stripe"), 422, "payment"),
                bad("POST", purchases, json("productId", product, "payment", "none", "voucherCode", "X"), 422,
                        "voucherCode"),
                bad("POST", purchases, json("payment", "none"), 422, "productId"),
                bad("POST", "/v1/purchases/" + purchase + "/void", json(), 422, "reason"),
                bad("GET", "/v1/members/" + member + "/credit-logs?from=yesterday", null, 422, "from"),
                bad("GET", "/v1/members/" + member + "/eligibility", null, 422, "schedulerId"),
                // A change that would remove what cannot be removed (null used to keep the old value silently)
                bad("PATCH", "/v1/schedulers/" + scheduler, "{\"name\":null}", 422, "name"),
                bad("PATCH", "/v1/schedulers/" + scheduler, "{\"creditCost\":null}", 422, "creditCost"),
                bad("PATCH", "/v1/schedulers/" + scheduler, "{\"paymentMode\":null}", 422, "paymentMode"),
                bad("PATCH", "/v1/schedulers/" + scheduler, "{\"cancellationWindow\":null}", 422,
                        "cancellationWindow"),
                // Bookings
                bad("POST", "/v1/bookings", json("memberId", member, "schedulerId", scheduler), 422, "startsAt"),
                bad("POST", "/v1/bookings", json("memberId", member, "schedulerId", scheduler,
                        "startsAt", "2026-13-45T00:00:00Z"), 422, "startsAt"),
                bad("POST", "/v1/bookings", json("memberId", member, "schedulerId", scheduler,
                        "startsAt", "1999-12-31T23:59:59Z"), 422, "startsAt"),
                bad("POST", "/v1/bookings", json("memberId", member, "schedulerId", scheduler,
                        "startsAt", "2200-01-01T00:00:01Z"), 422, "startsAt"),
                bad("POST", "/v1/bookings", json("memberId", member, "schedulerId", scheduler,
                        "startsAt", later, "payWith", "cash"), 422, "payWith"),
                bad("POST", "/v1/bookings", json("memberId", List.of(member), "schedulerId", scheduler,
                        "startsAt", later), 422, "memberId"),
                bad("POST", "/v1/bookings/bkg_nope/cancel", json("reason", "x"), 422, "reason"));
    }

    private static Arguments bad(String method, String path, Object body, int status, String field) {
        String shown = body == null ? "" : body.toString();
        return Arguments.of(method + " " + path + " " + (shown.length() > 80 ? shown.substring(0, 80) + "…" : shown),
                method, path, body, status, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputIsRefusedNamingTheFieldAndWritesNothing(String name, String method, String path, Object body,
                                                         int status, String field) {
        Map<String, String> before = server.probe().fingerprint();
        String key = path.startsWith("/admin") ? TestServer.ADMIN_TOKEN : studio.owner();

        Response answer = studio.api().send(method, path, key, body, Map.of());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.number("/status")).isEqualTo(status);
        assertThat(answer.text("/type")).startsWith("https://");
        assertThat(answer.text("/detail")).isNotBlank();
        if (field != null) {
            assertThat(answer.body().get("errors")).extracting(JsonNode::toString)
                    .anySatisfy(error -> assertThat(error).contains("\"field\":\"" + field + "\""));
        }
        assertThat(server.probe().fingerprint()).isEqualTo(before);
    }
}
