package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Browsing a studio: every list newest first and page by page, only the caller's studio, names beside ids. */
class BrowseApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    /** Every id of a list, following its cursors with pages of {@code limit}. */
    private static List<String> all(StudioFixture studio, String path, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        String sep = path.contains("?") ? "&" : "?";
        do {
            Response page = studio.api().get(path + sep + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor), studio.owner()).expect(200);
            page.body().get("items").forEach(item -> ids.add(item.get("id").asText()));
            cursor = page.text("/next");
        } while (cursor != null);
        return ids;
    }

    @Test
    void theCatalogueIsListedNewestFirstPageByPageAndOnlyTheStudiosOwn() {
        StudioFixture studio = server.studio(false);
        StudioFixture other = server.studio(false);
        other.trainer("Not ours");
        other.scheduler("Not ours", 1);
        other.pack("Not ours", 5, "10.00");
        List<String> trainers = new ArrayList<>();
        List<String> schedulers = new ArrayList<>();
        List<String> products = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            trainers.add(0, studio.trainer("Trainer " + i));
            schedulers.add(0, studio.scheduler("Class " + i, 1));
            products.add(0, studio.pack("Pack " + i, 5, "10.00"));
        }
        studio.api().post("/v1/products/" + products.get(1) + "/deactivate", studio.owner(), null).expect(200);

        assertThat(all(studio, "/v1/trainers", 2)).containsExactlyElementsOf(trainers);
        assertThat(all(studio, "/v1/schedulers", 3)).containsExactlyElementsOf(schedulers);
        assertThat(all(studio, "/v1/products", 2)).containsExactlyElementsOf(products);
        assertThat(all(studio, "/v1/products?active=false", 2)).containsExactly(products.get(1));
        assertThat(all(studio, "/v1/products?active=true", 50)).hasSize(4).doesNotContain(products.get(1));
        assertThat(studio.api().get("/v1/products?active=yes", studio.owner()).status()).isEqualTo(422);
        assertThat(studio.api().get("/v1/trainers?cursor=bm9wZQ", studio.owner()).status()).isEqualTo(422);
        String coach = studio.key("coach", null);
        assertThat(studio.api().get("/v1/trainers", coach).status()).isEqualTo(200);
    }

    @Test
    void purchasesBookingsAndSubscriptionsAreListedWithFiltersAndNames() {
        StudioFixture studio = server.studio(false);
        StudioFixture other = server.studio(false);
        String stranger = other.member("Stranger");
        other.purchase(stranger, other.pack("Theirs", 5, "10.00"));
        String ada = studio.member("Ada");
        String bo = studio.member("Bo");
        String pack = studio.pack("Ten Pack", 10, "90.00");
        String monthly = studio.product(json("name", "Monthly", "kind", "subscription", "credits", "unlimited",
                "price", json("amount", "49.00", "currency", "EUR"), "validityStart", "purchase",
                "billingInterval", "P1M"));
        String adaPurchase = studio.purchase(ada, pack).text("/id");
        String boPurchase = studio.purchase(bo, pack).text("/id");
        String boMonthly = studio.purchase(bo, monthly).text("/id");
        String yoga = studio.scheduler("Yoga", 1);
        String spin = studio.scheduler("Spin", 2);
        Instant day = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        String adaYoga = studio.book(ada, yoga, day).expect(201).text("/id");
        String adaSpin = studio.book(ada, spin, day.plus(Duration.ofDays(1))).expect(201).text("/id");
        String boYoga = studio.book(bo, yoga, day.plus(Duration.ofDays(2))).expect(201).text("/id");
        studio.cancel(adaSpin).expect(200);

        assertThat(all(studio, "/v1/purchases", 2)).containsExactly(boMonthly, boPurchase, adaPurchase);
        assertThat(all(studio, "/v1/purchases?memberId=" + bo, 50)).containsExactly(boMonthly, boPurchase);
        assertThat(all(studio, "/v1/purchases?memberId=" + stranger, 50)).isEmpty();
        assertThat(all(studio, "/v1/purchases?status=voided", 50)).isEmpty();
        JsonNode listedPurchase = studio.api().get("/v1/purchases?memberId=" + ada, studio.owner()).expect(200)
                .body().get("items").get(0);
        assertThat(listedPurchase.get("memberName").asText()).isEqualTo("Ada");
        assertThat(listedPurchase.get("productName").asText()).isEqualTo("Ten Pack");
        Response purchase = studio.api().get("/v1/purchases/" + adaPurchase, studio.owner()).expect(200);
        assertThat(purchase.text("/memberName")).isEqualTo("Ada");
        assertThat(purchase.text("/productName")).isEqualTo("Ten Pack");
        assertThat(purchase.text("/lots/0/productName")).isEqualTo("Ten Pack");

        assertThat(all(studio, "/v1/bookings", 2)).containsExactly(boYoga, adaSpin, adaYoga);
        assertThat(all(studio, "/v1/bookings?memberId=" + ada, 50)).containsExactly(adaSpin, adaYoga);
        assertThat(all(studio, "/v1/bookings?schedulerId=" + yoga, 50)).containsExactly(boYoga, adaYoga);
        assertThat(all(studio, "/v1/bookings?status=cancelled", 50)).containsExactly(adaSpin);
        assertThat(all(studio, "/v1/bookings?from=" + day.plus(Duration.ofDays(1)) + "&to="
                + day.plus(Duration.ofDays(2)), 50)).containsExactly(adaSpin);
        assertThat(all(studio, "/v1/bookings?memberId=" + stranger, 50)).isEmpty();
        assertThat(studio.api().get("/v1/bookings?status=gone", studio.owner()).status()).isEqualTo(422);
        assertThat(studio.api().get("/v1/bookings?from=tomorrow", studio.owner()).status()).isEqualTo(422);
        JsonNode booking = studio.api().get("/v1/bookings/" + adaYoga, studio.owner()).expect(200).body();
        assertThat(booking.get("memberName").asText()).isEqualTo("Ada");
        assertThat(booking.get("schedulerName").asText()).isEqualTo("Yoga");
        assertThat(booking.at("/allocations/0/schedulerName").asText()).isEqualTo("Yoga");
        JsonNode listedBooking = studio.api().get("/v1/bookings?limit=1", studio.owner()).expect(200)
                .body().at("/items/0");
        assertThat(listedBooking.get("memberName").asText()).isEqualTo("Bo");
        assertThat(listedBooking.at("/allocations/0/lotId").asText()).isNotEmpty();
        assertThat(studio.book(bo, spin, day.plus(Duration.ofDays(4))).expect(201).text("/memberName"))
                .isEqualTo("Bo");

        List<String> subscriptions = all(studio, "/v1/subscriptions", 50);
        assertThat(subscriptions).hasSize(1);
        assertThat(all(studio, "/v1/subscriptions?status=active", 50)).isEqualTo(subscriptions);
        assertThat(all(studio, "/v1/subscriptions?status=canceled", 50)).isEmpty();
        assertThat(studio.api().get("/v1/subscriptions?status=over", studio.owner()).status()).isEqualTo(422);
    }

    @Test
    void unknownQueryParametersAreRefusedNamingTheParameter() {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Ada");
        String scheduler = studio.scheduler("Yoga", 1);
        for (String path : List.of("/v1/members?tga=juniors", "/v1/members/" + member + "?x=1",
                "/v1/members/" + member + "/credits?tga=1", "/v1/members/" + member + "/credit-logs?acount=master",
                "/v1/members/" + member + "/eligibility?schedulerId=" + scheduler + "&tga=1",
                "/v1/trainers?tga=1", "/v1/schedulers?tga=1", "/v1/products?tga=1", "/v1/purchases?tga=1",
                "/v1/bookings?tga=1", "/v1/subscriptions?tga=1", "/v1/api-keys?tga=1", "/v1/studio?tga=1",
                "/v1/plugins?tga=1", "/v1/clock?tga=1")) {
            Response refused = studio.api().get(path, studio.owner());
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.text("/errors/0/field")).as(path).isIn("tga", "x", "acount");
        }
        // The parameters an endpoint takes still pass.
        studio.api().get("/v1/members/" + member + "/credit-logs?account=master&limit=5", studio.owner())
                .expect(200);
        studio.api().get("/v1/members/" + member + "/eligibility?schedulerId=" + scheduler, studio.owner())
                .expect(200);
        studio.api().get("/v1/members?tag=x&limit=5", studio.owner()).expect(200);
    }

    @Test
    void theStudioIsReadByStaffAndChangedByItsOwner() {
        StudioFixture studio = server.studio(false);
        String coach = studio.key("coach", null);

        Response read = studio.api().get("/v1/studio", coach).expect(200);
        assertThat(read.text("/id")).isEqualTo(studio.id());
        assertThat(read.text("/timezone")).isEqualTo("Europe/Berlin");
        assertThat(read.text("/currency")).isEqualTo("EUR");
        assertThat(read.body().get("testMode").booleanValue()).isFalse();
        assertThat(read.text("/consumptionOrder")).isEqualTo("fifo");

        assertThat(studio.api().patch("/v1/studio", coach, json("name", "X")).status()).isEqualTo(403);
        Response bad = studio.api().patch("/v1/studio", studio.owner(),
                json("timezone", "Mars/Olympus", "consumptionOrder", "random", "name", ""));
        assertThat(bad.status()).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        bad.body().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("timezone", "consumptionOrder", "name");
        assertThat(studio.api().patch("/v1/studio", studio.owner(), json("currency", "USD")).status())
                .isEqualTo(422);

        Response patched = studio.api().patch("/v1/studio", studio.owner(),
                json("name", "Rising Stars", "timezone", "America/New_York", "consumptionOrder", "earliest_expiry"))
                .expect(200);
        assertThat(patched.text("/name")).isEqualTo("Rising Stars");
        Response after = studio.api().get("/v1/studio", coach).expect(200);
        assertThat(after.text("/name")).isEqualTo("Rising Stars");
        assertThat(after.text("/timezone")).isEqualTo("America/New_York");
        assertThat(after.text("/consumptionOrder")).isEqualTo("earliest_expiry");
        assertThat(after.text("/currency")).isEqualTo("EUR");

        // The athlete portal shows dates in the studio's zone and money in its currency; nothing else of the studio.
        String athlete = studio.key("athlete", studio.member("Mia"));
        Response mine = studio.api().get("/v1/me/studio", athlete).expect(200);
        assertThat(mine.body().size()).isEqualTo(3);
        assertThat(mine.text("/name")).isEqualTo("Rising Stars");
        assertThat(mine.text("/timezone")).isEqualTo("America/New_York");
        assertThat(mine.text("/currency")).isEqualTo("EUR");
        assertThat(studio.api().get("/v1/me/studio", coach).status()).isEqualTo(403);
    }

    @Test
    void aPatchedConsumptionOrderDecidesTheNextBookingAtOnce() {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Ada");
        String scheduler = studio.scheduler("Yoga", 1);
        // Oldest lot expires last: fifo takes it, earliest expiry takes the newer one.
        String older = studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", "master", "mode", "add", "amount", 1, "reason", "old",
                        "expiresAt", Instant.now().plus(Duration.ofDays(90)).toString())).expect(200)
                .text("/lots/0/id");
        studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", "master", "mode", "add", "amount", 1, "reason", "new",
                        "expiresAt", Instant.now().plus(Duration.ofDays(30)).toString())).expect(200);
        studio.api().get("/v1/members", studio.owner()).expect(200);

        studio.api().patch("/v1/studio", studio.owner(), json("consumptionOrder", "earliest_expiry")).expect(200);
        Response booked = studio.book(member, scheduler, Instant.now().plus(Duration.ofDays(2))).expect(201);

        assertThat(booked.text("/allocations/0/lotId")).isNotEqualTo(older);
    }
}
