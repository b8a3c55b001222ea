package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.FakeStripe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Stripe plugin with stripe-java against a local server that speaks Stripe's wire format: checkout of packages,
 * credits that arrive once when a signed webhook confirms the payment, refunds, outages, and webhooks that are
 * forged, expired, replayed, out of order or of types nobody handles.
 */
class StripeIT {
    static final String SECRET_KEY = "sk_test_creditline";
    static final String WEBHOOK_SECRET = "whsec_test_creditline";

    static final FakeStripe stripe = FakeStripe.start();
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins(PluginServers.stripeAt(stripe));

    @AfterAll
    static void stopStripe() {
        stripe.close();
    }

    /** A studio with Stripe enabled; the server sends Stripe's calls to the local one (an operator's setting). */
    static StudioFixture studio(TestServer server) {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, "stripe", Map.of("secretKey", SECRET_KEY, "webhookSecret", WEBHOOK_SECRET));
        return studio;
    }

    /** Posts an event to the webhook, signed now with the studio's secret. */
    static Response deliver(StudioFixture studio, String event) {
        return deliver(studio, event, FakeStripe.sign(event, WEBHOOK_SECRET, Instant.now()));
    }

    static Response deliver(StudioFixture studio, String event, String signature) {
        return studio.api().send("POST", "/webhooks/stripe", null, event, Map.of("Stripe-Signature", signature));
    }

    private static Response buy(StudioFixture studio, String member, String product, String key) {
        return studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "stripe"), key);
    }

    /** The checkout call Stripe received for a purchase. */
    static FakeStripe.Request checkoutOf(FakeStripe stripe, String purchaseId) {
        return stripe.requests("POST", "/v1/checkout/sessions").stream()
                .filter(r -> purchaseId.equals(r.param("client_reference_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no checkout of " + purchaseId));
    }

    @Test
    void aPackageIsPaidThroughCheckoutAndItsCreditsArriveOnceWhenStripeConfirms() {
        StudioFixture studio = studio(server);
        String product = studio.pack("10-Credit Package", 10, "135.00");
        String member = studio.member("Mia");

        Response pending = buy(studio, member, product, "buy-stripe-1").expect(201);

        assertThat(pending.text("/status")).isEqualTo("pending");
        assertThat(pending.text("/checkoutUrl")).startsWith("https://checkout.stripe.com/c/pay/cs_test_");
        assertThat(studio.total(member)).isZero();
        String purchase = pending.text("/id");
        FakeStripe.Request checkout = checkoutOf(stripe, purchase);
        assertThat(checkout.authorization()).isEqualTo("Bearer " + SECRET_KEY);
        assertThat(checkout.idempotencyKey()).isEqualTo("creditline-checkout-" + purchase);
        assertThat(checkout.param("mode")).isEqualTo("payment");
        assertThat(checkout.param("line_items[0][price_data][unit_amount]")).isEqualTo("13500");
        assertThat(checkout.param("line_items[0][price_data][currency]")).isEqualTo("eur");
        assertThat(checkout.param("line_items[0][price_data][product_data][name]")).isEqualTo("10-Credit Package");
        assertThat(FakeStripe.metadataOf(checkout, "metadata")).containsEntry("creditline_purchase", purchase)
                .containsEntry("creditline_studio", studio.id()).containsEntry("creditline_member", member);
        assertThat(FakeStripe.metadataOf(checkout, "payment_intent_data[metadata]"))
                .containsEntry("creditline_purchase", purchase);
        // A retry of the request is the same purchase and the same checkout.
        Response retried = buy(studio, member, product, "buy-stripe-1").expect(201);
        assertThat(retried.text("/checkoutUrl")).isEqualTo(pending.text("/checkoutUrl"));
        assertThat(stripe.requests("POST", "/v1/checkout/sessions")).filteredOn(r -> purchase.equals(
                r.param("client_reference_id"))).hasSize(1);

        String completed = stripe.event("checkout.session.completed",
                stripe.completedSession(checkout, "pi_" + purchase, null));
        Response delivered = deliver(studio, completed).expect(200);

        assertThat(delivered.text("/outcome")).isEqualTo("purchase " + purchase + " completed");
        assertThat(studio.balance(member, product)).isEqualTo(10);
        assertThat(server.probe().number("SELECT cost_minor FROM lots WHERE studio_id = ? AND purchase_id = ?",
                studio.id(), purchase)).as("cost basis: what was paid").isEqualTo(13500);
        assertThat(deliver(studio, completed).expect(200).text("/outcome")).as("a replay").isEqualTo("duplicate");
        String redelivered = stripe.event("checkout.session.completed",
                stripe.completedSession(checkout, "pi_" + purchase, null));
        deliver(studio, redelivered).expect(200);
        assertThat(studio.balance(member, product)).as("credits once per payment").isEqualTo(10);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void aVoucherDiscountIsWhatStripeChargesAndWhatTheCreditsCost() {
        StudioFixture studio = studio(server);
        PluginServers.enable(studio, "vouchers", null);
        String product = studio.pack("10 Pack", 10, "135.00");
        studio.api().post("/v1/vouchers", studio.owner(), json("code", "SPRING20", "type", "percent", "value", 20))
                .expect(201);
        String member = studio.member("Ben");

        String purchase = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "stripe", "voucherCode", "SPRING20")).expect(201).text("/id");
        FakeStripe.Request checkout = checkoutOf(stripe, purchase);
        deliver(studio, stripe.event("checkout.session.completed",
                stripe.completedSession(checkout, "pi_" + purchase, null))).expect(200);

        assertThat(checkout.param("line_items[0][price_data][unit_amount]")).isEqualTo("10800");
        assertThat(server.probe().number("SELECT cost_minor FROM lots WHERE studio_id = ? AND purchase_id = ?",
                studio.id(), purchase)).isEqualTo(10800);
    }

    @Test
    void forgedExpiredAndUnsignedEventsAreRefusedAndChangeNothing() {
        StudioFixture studio = studio(server);
        String product = studio.pack("5 Pack", 5, "50.00");
        String member = studio.member("Ida");
        String purchase = buy(studio, member, product, "buy-forged").expect(201).text("/id");
        String completed = stripe.event("checkout.session.completed",
                stripe.completedSession(checkoutOf(stripe, purchase), "pi_" + purchase, null));
        Map<String, String> before = server.probe().fingerprint();

        Response forged = deliver(studio, completed, FakeStripe.sign(completed, "whsec_someone_else", Instant.now()));
        Response expired = deliver(studio, completed,
                FakeStripe.sign(completed, WEBHOOK_SECRET, Instant.now().minus(Duration.ofMinutes(10))));
        Response tampered = deliver(studio, completed.replace("5000", "1"),
                FakeStripe.sign(completed, WEBHOOK_SECRET, Instant.now()));
        Response unsigned = studio.api().send("POST", "/webhooks/stripe", null, completed, Map.of());

        for (Response refused : List.of(forged, expired, tampered, unsigned)) {
            assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        }
        assertThat(forged.text("/type")).endsWith("/invalid_signature");
        assertThat(server.probe().fingerprint()).isEqualTo(before);
        // A little clock skew is fine.
        deliver(studio, completed, FakeStripe.sign(completed, WEBHOOK_SECRET, Instant.now().minusSeconds(60)))
                .expect(200);
        assertThat(studio.balance(member, product)).isEqualTo(5);
    }

    @Test
    void eventsNobodyHandlesAreAcknowledgedAndIgnored() {
        StudioFixture studio = studio(server);
        Map<String, String> before = server.probe().fingerprint();
        ObjectNode customer = FakeStripe.object("customer", "cus_1");
        customer.putObject("metadata").put("creditline_studio", studio.id());
        String notOurs = stripe.event("payment_intent.created", FakeStripe.object("payment_intent", "pi_someone_elses"));

        Response unknownType = deliver(studio, stripe.event("customer.created", customer)).expect(200);
        // The studio's own endpoint verifies what names no studio of Creditline's; the shared one cannot.
        Response notOursOwnUrl = studio.api().send("POST", "/webhooks/stripe/" + studio.id(), null, notOurs,
                Map.of("Stripe-Signature", FakeStripe.sign(notOurs, WEBHOOK_SECRET, Instant.now()))).expect(200);
        Response notOursShared = deliver(studio, notOurs);

        assertThat(unknownType.text("/outcome")).isEqualTo("ignored");
        assertThat(notOursOwnUrl.text("/outcome")).isEqualTo("ignored");
        assertThat(notOursShared.status()).isEqualTo(400);
        assertThat(server.probe().fingerprint()).isEqualTo(before);
    }

    @Test
    void whenStripeIsDownThePurchaseFailsWith503AndRetriesWhenItIsBack() {
        StudioFixture studio = studio(server);
        String product = studio.pack("5 Pack", 5, "50.00");
        String member = studio.member("Leo");
        Map<String, String> before = server.probe().fingerprint();
        stripe.down(true);
        Response failed;
        try {
            failed = buy(studio, member, product, "buy-outage");
        } finally {
            stripe.down(false);
        }

        assertThat(failed.status()).as(failed.raw()).isEqualTo(503);
        assertThat(failed.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(failed.text("/type")).endsWith("/payment_provider_unavailable");
        assertThat(server.probe().fingerprint()).as("the ledger as before").isEqualTo(before);
        assertThat(buy(studio, member, product, "buy-outage").expect(201).text("/status")).isEqualTo("pending");
    }

    @Test
    void aMoneyRefundGoesThroughStripeAndTakesTheUnusedCreditsBack() {
        StudioFixture studio = studio(server);
        String product = studio.pack("10 Pack", 10, "135.00");
        String member = studio.member("Noa");
        String purchase = paid(studio, member, product, "buy-refund");
        studio.book(member, studio.scheduler("Yoga", 3), studio.now().plus(Duration.ofDays(2))).expect(201);

        Response refunded = studio.api().post("/v1/purchases/" + purchase + "/refund", studio.owner(),
                json("mode", "money", "reason", "moving away"), "refund-1").expect(200);

        FakeStripe.Request call = stripe.requests("POST", "/v1/refunds").stream()
                .filter(r -> ("pi_" + purchase).equals(r.param("payment_intent"))).findFirst().orElseThrow();
        assertThat(call.param("amount")).as("7 of 10 unused at cost basis").isEqualTo("9450");
        assertThat(call.idempotencyKey()).isEqualTo("creditline-refund-" + purchase);
        assertThat(refunded.text("/refund/amount/amount")).isEqualTo("94.50");
        assertThat(studio.balance(member, product)).isZero();
        // Stripe reports the refund it made: nothing more happens.
        Map<String, String> after = server.probe().fingerprint();
        deliver(studio, stripe.event("charge.refunded",
                FakeStripe.refundedCharge("pi_" + purchase, 13500, 9450, "eur"))).expect(200);
        assertThat(server.probe().fingerprint()).isEqualTo(after);
    }

    @Test
    void creditsTakenBackByATrainersOffboardingArePaidForByTheMoneyRefund() {
        StudioFixture studio = studio(server);
        PluginServers.enable(studio, "trainer-bound", null);
        String anna = studio.trainer("Anna");
        String product = studio.product(json("name", "10 x PT Anna", "kind", "package", "credits", 10,
                "price", json("amount", "500.00"), "trainerId", anna));
        String member = studio.member("Mia");
        String purchase = paid(studio, member, product, "buy-offboarded");
        studio.book(member, studio.scheduler(json("name", "PT with Anna", "creditCost", 2, "paymentMode", "credits",
                "trainerId", anna, "cancellationWindow", "PT1H")), studio.now().plus(Duration.ofDays(1)))
                .expect(201);
        studio.api().post("/v1/trainers/" + anna + "/offboard", studio.owner(), json("action", "refund"))
                .expect(200);

        Response refunded = studio.api().post("/v1/purchases/" + purchase + "/refund", studio.owner(),
                json("mode", "money", "reason", "trainer left")).expect(200);

        assertThat(refunded.number("/refund/credits")).as("the 8 credits the offboarding took back").isEqualTo(8);
        assertThat(refunded.text("/refund/amount/amount")).isEqualTo("400.00");
        assertThat(refunded.body().get("refundDue").booleanValue()).isFalse();
        assertThat(stripe.requests("POST", "/v1/refunds")).filteredOn(r -> ("pi_" + purchase).equals(
                r.param("payment_intent"))).extracting(r -> r.param("amount")).containsExactly("40000");
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void theRefundPolicyPluginDecidesHowMuchMoneyGoesBack() {
        StudioFixture studio = studio(server);
        PluginServers.enable(studio, "refund-policy", null);
        String product = studio.pack("10 Pack", 10, "135.00");
        String member = studio.member("Kim");
        String early = paid(studio, member, product, "buy-policy-1");
        String late = paid(studio, member, product, "buy-policy-2");

        Response full = studio.api().post("/v1/purchases/" + early + "/refund", studio.owner(),
                json("mode", "money", "reason", "changed mind")).expect(200);
        studio.clock(studio.now().plus(Duration.ofDays(8)));
        Response minusFee = studio.api().post("/v1/purchases/" + late + "/refund", studio.owner(),
                json("mode", "money", "reason", "changed mind")).expect(200);

        assertThat(full.text("/refund/amount/amount")).isEqualTo("135.00");
        assertThat(minusFee.text("/refund/amount/amount")).as("minus 1.5% + 0.25").isEqualTo("132.72");
        assertThat(minusFee.text("/refund/explanation")).contains("payment fee");
        assertThat(stripe.requests("POST", "/v1/refunds")).filteredOn(r -> ("pi_" + late).equals(
                r.param("payment_intent"))).extracting(r -> r.param("amount")).containsExactly("13272");
    }

    /** A purchase of the product through Stripe, paid. */
    private static String paid(StudioFixture studio, String member, String product, String key) {
        String purchase = buy(studio, member, product, key).expect(201).text("/id");
        deliver(studio, stripe.event("checkout.session.completed",
                stripe.completedSession(checkoutOf(stripe, purchase), "pi_" + purchase, null))).expect(200);
        return purchase;
    }

    @Test
    void aRefundMadeInStripesDashboardTakesTheCreditsBackOnce() {
        StudioFixture studio = studio(server);
        String product = studio.pack("4 Pack", 4, "40.00");
        String member = studio.member("Eve");
        String purchase = paid(studio, member, product, "buy-dashboard");

        String refund = stripe.event("charge.refunded", FakeStripe.refundedCharge("pi_" + purchase, 4000, 4000,
                "eur"));
        deliver(studio, refund).expect(200);
        deliver(studio, stripe.event("charge.refunded", FakeStripe.refundedCharge("pi_" + purchase, 4000, 4000,
                "eur"))).expect(200);

        assertThat(studio.balance(member, product)).isZero();
        Response read = studio.api().get("/v1/purchases/" + purchase, studio.owner()).expect(200);
        assertThat(read.text("/status")).isEqualTo("refunded");
        assertThat(read.text("/refundAmount/amount")).isEqualTo("40.00");
        assertThat(server.probe().number("SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'refunded'",
                studio.id())).isEqualTo(1);
    }

    @Test
    void stripeSettingsAreValidatedAndItsSecretsNeverShown() {
        StudioFixture studio = server.studio(true);
        Response bad = studio.api().send("PUT", "/v1/plugins/stripe", studio.owner(), json("enabled", true,
                "settings", Map.of("secretKey", "pk_live_public", "apiBase", "ftp://nope")), Map.of());

        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().get("errors").findValuesAsText("field"))
                .contains("settings.secretKey", "settings.webhookSecret", "settings.apiBase");
        PluginServers.enable(studio, "stripe", Map.of("secretKey", SECRET_KEY, "webhookSecret", WEBHOOK_SECRET));
        String read = studio.api().get("/v1/plugins/stripe", studio.owner()).expect(200).raw();
        assertThat(read).doesNotContain(SECRET_KEY).doesNotContain(WEBHOOK_SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:5432/", "http://169.254.169.254/latest/meta-data", "https://api.stripe.com"})
    void aStudioCannotPointStripesCallsAnywhere(String apiBase) {
        StudioFixture studio = server.studio(true);

        Response refused = studio.api().send("PUT", "/v1/plugins/stripe", studio.owner(), json("enabled", true,
                "settings", Map.of("secretKey", SECRET_KEY, "webhookSecret", WEBHOOK_SECRET, "apiBase", apiBase)),
                Map.of());

        assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
        assertThat(refused.body().get("errors").findValuesAsText("field")).containsExactly("settings.apiBase");
        assertThat(refused.text("/errors/0/message")).contains("plugins.serverSettings.stripe.apiBase");
        assertThat(server.probe().number("SELECT count(*) FROM plugin_settings WHERE studio_id = ?", studio.id()))
                .isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "400 | {\"error\":{\"type\":\"invalid_request_error\",\"message\":\"db-7.internal said SECRET-42\"}} | 502",
        "200 | <html>SECRET-42 admin console of db-7.internal</html> | 502",
        "404 | SECRET-42 on db-7.internal | 502",
        "500 | {\"error\":{\"type\":\"api_error\",\"message\":\"SECRET-42 at db-7.internal\"}} | 503"})
    void whatAProviderAnswersIsNeverEchoed(int status, String body, int answered) {
        StudioFixture studio = studio(server);
        String product = studio.pack("5 Pack", 5, "50.00");
        String member = studio.member("Uma");
        stripe.failWith(status, body);
        LogLines.Logged<Response> failed;
        try {
            failed = LogLines.during(() -> buy(studio, member, product, "buy-echo-" + status));
        } finally {
            stripe.failWith(0, null);
        }

        Response answer = failed.result();
        assertThat(answer.status()).as(answer.raw()).isEqualTo(answered);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.raw()).doesNotContain("SECRET-42").doesNotContain("db-7");
        if (answered == 502) {
            assertThat(answer.text("/type")).endsWith("/payment_provider_failed");
            assertThat(answer.text("/detail")).isEqualTo("the payment provider failed");
        } else {
            assertThat(answer.text("/type")).endsWith("/payment_provider_unavailable");
        }
        assertThat(failed.traces()).as(failed.rendered()).isZero();
        assertThat(failed.lines()).as("at most one line of the provider's answer")
                .filteredOn(line -> line.contains("SECRET-42")).hasSizeLessThanOrEqualTo(1);
    }
}
