package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The money of purchases that no payment provider saw: {@code payment:"none"} costs nothing (promotional lots, also
 * every renewal), {@code payment:"outside"} is a sale at the {@code amountPaid} the studio took, also for each
 * renewal of a subscription bought that way.
 */
class PurchaseMoneyApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aProductAddedWithoutChargeCostsNothingAndItsLotsArePromotional() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String product = studio.pack("10-Credit Package", 10, "135.00");

        Response purchase = studio.purchase(member, product);

        assertThat(purchase.text("/payment")).isEqualTo("none");
        assertThat(purchase.text("/price/amount")).isEqualTo("135.00");
        assertThat(purchase.text("/amountPaid/amount")).isEqualTo("0.00");
        JsonNode lot = purchase.body().at("/lots/0");
        assertThat(lot.get("category").asText()).isEqualTo("promotional");
        assertThat(lot.get("remaining").intValue()).isEqualTo(10);
        assertThat(server.probe().number("SELECT cost_minor FROM lots WHERE id = ?", lot.get("id").asText()))
                .isZero();
        assertThat(studio.api().get("/v1/purchases/" + purchase.text("/id"), studio.owner()).expect(200)
                .text("/amountPaid/amount")).isEqualTo("0.00");
    }

    @Test
    void moneyTakenOutsideIsASaleAtThatAmountAndSetsTheCostBasis() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String product = studio.pack("10-Credit Package", 10, "135.00");

        Response purchase = studio.sell(member, product, "120.00");

        assertThat(purchase.text("/payment")).isEqualTo("outside");
        assertThat(purchase.text("/status")).isEqualTo("completed");
        assertThat(purchase.text("/amountPaid/amount")).isEqualTo("120.00");
        JsonNode lot = purchase.body().at("/lots/0");
        assertThat(lot.get("category").asText()).isEqualTo("paid");
        assertThat(server.probe().number("SELECT cost_minor FROM lots WHERE id = ?", lot.get("id").asText()))
                .isEqualTo(12000);

        // Paid back outside Creditline too: no provider is asked, the refund policy's amount is recorded.
        Response refund = studio.api().post("/v1/purchases/" + purchase.text("/id") + "/refund", studio.owner(),
                json("mode", "money", "reason", "moved away")).expect(200);
        assertThat(refund.text("/refund/amount/amount")).isEqualTo("120.00");
        assertThat(refund.text("/refund/explanation")).contains("outside Creditline");
        assertThat(studio.balance(member, product)).isZero();
    }

    @Test
    void amountPaidIsRequiredOutsideAndRefusedOtherwise() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String product = studio.pack("5 Pack", 5, "50.00");
        String path = "/v1/members/" + member + "/purchases";
        JsonNode fifty = json("amount", "50.00", "currency", "EUR");

        List<Response> refused = List.of(
                studio.api().post(path, studio.owner(), json("productId", product, "payment", "outside")),
                studio.api().post(path, studio.owner(), json("productId", product, "payment", "none",
                        "amountPaid", fifty)),
                studio.api().post(path, studio.owner(), json("productId", product, "payment", "stripe",
                        "amountPaid", fifty)),
                studio.api().post(path, studio.owner(), json("productId", product, "payment", "outside",
                        "amountPaid", json("amount", "50.00", "currency", "USD"))));
        Response negative = studio.api().post(path, studio.owner(), json("productId", product, "payment", "outside",
                "amountPaid", json("amount", "-1.00", "currency", "EUR")));

        for (Response r : refused) {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.text("/errors/0/field")).isEqualTo("amountPaid");
        }
        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.text("/errors/0/field")).isEqualTo("amountPaid.amount");
        assertThat(server.probe().number("SELECT count(*) FROM purchases WHERE studio_id = ?", studio.id()))
                .isZero();
        // A zero amount taken outside is allowed: the lots are promotional, as for none.
        Response free = studio.sell(member, product, "0.00");
        assertThat(free.body().at("/lots/0/category").asText()).isEqualTo("promotional");
    }

    @Test
    void aSubscriptionAddedWithoutChargeRenewsAtZeroAndOneBoughtOutsideAtTheAmountTaken() {
        StudioFixture studio = server.studio(true);
        String mia = studio.member("Mia");
        String ben = studio.member("Ben");
        String product = studio.product(json("name", "8 a month", "kind", "subscription", "credits", 8,
                "price", json("amount", "80.00", "currency", "EUR"), "billingInterval", "P1M"));
        Instant periodEnd = studio.now().atZone(BERLIN).plusMonths(1).toInstant();

        String free = studio.purchase(mia, product).text("/id");
        String outside = studio.sell(ben, product, "72.00").text("/id");
        studio.clock(periodEnd.atZone(BERLIN).plusMonths(1).plusHours(1).toInstant());

        assertThat(paidPerPeriod(free)).containsExactly("0 promotional", "0 promotional", "0 promotional");
        assertThat(paidPerPeriod(outside)).containsExactly("7200 paid", "7200 paid", "7200 paid");
        assertThat(server.probe().rows("SELECT DISTINCT payment FROM purchases WHERE studio_id = ?"
                + " AND member_id = ?", studio.id(), ben)).containsExactly("outside");
    }

    @Test
    void aSubscriptionWhosePurchaseWasVoidedOrRefundedRenewsNoMore() {
        StudioFixture studio = server.studio(true);
        String mia = studio.member("Mia");
        String ben = studio.member("Ben");
        String product = studio.product(json("name", "8 a month", "kind", "subscription", "credits", 8,
                "price", json("amount", "80.00", "currency", "EUR"), "billingInterval", "P1M"));
        Instant periodEnd = studio.now().atZone(BERLIN).plusMonths(1).toInstant();
        String voided = studio.purchase(mia, product).text("/id");
        String refunded = studio.sell(ben, product, "80.00").text("/id");

        studio.api().post("/v1/purchases/" + voided + "/void", studio.owner(), json("reason", "by mistake"))
                .expect(200);
        studio.api().post("/v1/purchases/" + refunded + "/refund", studio.owner(),
                json("mode", "money", "reason", "changed her mind")).expect(200);
        studio.clock(periodEnd.plus(java.time.Duration.ofHours(1)));

        assertThat(paidPerPeriod(voided)).as("no renewal").hasSize(1);
        assertThat(paidPerPeriod(refunded)).as("no renewal sold again").hasSize(1);
        assertThat(server.probe().rows("SELECT status FROM subscriptions WHERE studio_id = ?", studio.id()))
                .containsOnly("canceled");
    }

    /** What each period of the subscription that purchase started was paid, and its lots' category. */
    private static List<String> paidPerPeriod(String firstPurchase) {
        return server.probe().rows("SELECT p.amount_paid_minor || ' ' || l.category FROM purchases p"
                + " JOIN lots l ON l.studio_id = p.studio_id AND l.purchase_id = p.id"
                + " WHERE p.id = ? OR p.subscription_id = (SELECT id FROM subscriptions WHERE purchase_id = ?)"
                + " ORDER BY p.created_at", firstPurchase, firstPurchase);
    }
}
