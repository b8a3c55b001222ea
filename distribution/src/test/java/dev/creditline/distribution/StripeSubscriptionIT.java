package dev.creditline.distribution;

import static dev.creditline.distribution.StripeIT.checkoutOf;
import static dev.creditline.distribution.StripeIT.deliver;
import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.FakeStripe;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subscriptions through Stripe on a studio's test clock: a monthly unlimited one (checkout, the first invoice, "3/∞"
 * bookings, renewals, cancellation at period end at Stripe, and the end), top-ups that accumulate until a failed
 * payment makes them unusable and its retry makes them usable again, and events that arrive out of order.
 */
class StripeSubscriptionIT {
    static final FakeStripe stripe = FakeStripe.start();
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins(PluginServers.stripeAt(stripe));

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @AfterAll
    static void stopStripe() {
        stripe.close();
    }

    @Test
    void aMonthOfAnUnlimitedSubscription() {
        StudioFixture studio = StripeIT.studio(server);
        String member = studio.member("Mia");
        String yoga = studio.scheduler("Yoga", 1);
        String product = studio.product(json("name", "Monthly Unlimited", "kind", "subscription",
                "credits", "unlimited", "price", json("amount", "89.00", "currency", "EUR"), "billingInterval", "P1M"));
        Instant start = studio.now();
        Instant end = start.atZone(BERLIN).plusMonths(1).toInstant();
        Instant end2 = end.atZone(BERLIN).plusMonths(1).toInstant();
        Instant end3 = end2.atZone(BERLIN).plusMonths(1).toInstant();

        // Checkout in subscription mode; the credits wait for Stripe.
        Response pending = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "stripe"), "sub-buy").expect(201);
        String purchase = pending.text("/id");
        FakeStripe.Request checkout = checkoutOf(stripe, purchase);
        assertThat(checkout.param("mode")).isEqualTo("subscription");
        assertThat(checkout.param("line_items[0][price_data][recurring][interval]")).isEqualTo("month");
        assertThat(checkout.param("line_items[0][price_data][recurring][interval_count]")).isEqualTo("1");
        Map<String, String> metadata = FakeStripe.metadataOf(checkout, "subscription_data[metadata]");
        assertThat(metadata).containsEntry("creditline_purchase", purchase);
        assertThat(studio.book(member, yoga, start.plus(Duration.ofDays(1))).status()).isEqualTo(409);

        // The first invoice is paid before Stripe reports the completed checkout: the credits arrive anyway, once.
        deliver(studio, stripe.event("invoice.paid", stripe.invoice(metadata, "sub_month", start, end, 8900, "eur",
                "pi_first", "paid"))).expect(200);
        deliver(studio, stripe.event("checkout.session.completed",
                stripe.completedSession(checkout, null, "sub_month"))).expect(200);
        for (int i = 0; i < 3; i++) {
            studio.book(member, yoga, start.plus(Duration.ofDays(2 + i))).expect(201);
        }
        JsonNode account = account(studio, product);
        assertThat(account.get("balance").asText()).isEqualTo("unlimited");
        assertThat(account.get("subscriptionStatus").asText()).isEqualTo("active");
        assertThat(account.at("/usage/0/used").intValue()).isEqualTo(3);
        assertThat(account.at("/usage/0/limit").asText()).isEqualTo("unlimited");
        assertThat(server.probe().number("SELECT cost_minor FROM lots WHERE studio_id = ? AND purchase_id = ?",
                studio.id(), purchase)).isEqualTo(8900);

        // Renewal: Stripe bills the second month.
        studio.clock(end.plus(Duration.ofMinutes(5)));
        deliver(studio, stripe.event("invoice.paid", stripe.invoice(metadata, "sub_month", end, end2, 8900, "eur",
                "pi_second", "paid"))).expect(200);
        assertThat(account(studio, product).get("usage")).as("a new period counts anew").isEmpty();
        studio.book(member, yoga, end.plus(Duration.ofDays(1))).expect(201);

        // The third month is paid too.
        studio.clock(end2.plus(Duration.ofMinutes(5)));
        deliver(studio, stripe.event("invoice.paid", stripe.invoice(metadata, "sub_month", end2, end3, 8900, "eur",
                "pi_third", "paid"))).expect(200);
        studio.book(member, yoga, end2.plus(Duration.ofDays(1))).expect(201);

        // Cancelled at the period's end, at Stripe: the credits work until then.
        String subscription = studio.api().get("/v1/members/" + member + "/subscriptions", studio.owner())
                .body().at("/items/0/id").asText();
        Response cancelled = studio.api().post("/v1/subscriptions/" + subscription + "/cancel", studio.owner(), null,
                "cancel-sub").expect(200);
        assertThat(cancelled.body().get("cancelAtPeriodEnd").booleanValue()).isTrue();
        FakeStripe.Request cancel = stripe.requests("POST", "/v1/subscriptions/sub_month").get(0);
        assertThat(cancel.param("cancel_at_period_end")).isEqualTo("true");
        assertThat(cancel.idempotencyKey()).isEqualTo("creditline-cancel-" + subscription);
        studio.clock(end3.minus(Duration.ofDays(1)));
        studio.book(member, yoga, end3.minus(Duration.ofHours(12))).expect(201);

        // The end: Stripe deletes the subscription; no more unlimited credits.
        studio.clock(end3.plus(Duration.ofMinutes(5)));
        deliver(studio, stripe.event("customer.subscription.deleted", FakeStripe.subscription("sub_month", metadata,
                "canceled", end2, end3, true))).expect(200);
        assertThat(studio.book(member, yoga, end3.plus(Duration.ofDays(1))).status()).isEqualTo(409);
        assertThat(studio.api().get("/v1/subscriptions/" + subscription, studio.owner()).text("/status"))
                .isEqualTo("canceled");
        assertThat(server.probe().number("SELECT count(*) FROM purchases WHERE studio_id = ? AND member_id = ?",
                studio.id(), member)).as("three paid months").isEqualTo(3);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void topUpsAccumulateAndAFailedPaymentMakesThemUnusableUntilItIsPaid() {
        StudioFixture studio = StripeIT.studio(server);
        String member = studio.member("Ida");
        String yoga = studio.scheduler("Yoga", 1);
        String product = studio.product(json("name", "8 a Month", "kind", "subscription", "credits", 8,
                "price", json("amount", "60.00", "currency", "EUR"), "billingInterval", "P1M"));
        Instant start = studio.now();
        Instant end = start.atZone(BERLIN).plusMonths(1).toInstant();
        Instant end2 = end.atZone(BERLIN).plusMonths(1).toInstant();
        Instant end3 = end2.atZone(BERLIN).plusMonths(1).toInstant();
        String purchase = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "stripe")).expect(201).text("/id");
        Map<String, String> metadata = FakeStripe.metadataOf(checkoutOf(stripe, purchase),
                "subscription_data[metadata]");
        deliver(studio, stripe.event("invoice.paid", stripe.invoice(metadata, "sub_topup", start, end, 6000, "eur",
                "pi_t1", "paid"))).expect(200);
        studio.book(member, yoga, start.plus(Duration.ofDays(1))).expect(201);
        studio.clock(end.plus(Duration.ofMinutes(5)));
        deliver(studio, stripe.event("invoice.paid", stripe.invoice(metadata, "sub_topup", end, end2, 6000, "eur",
                "pi_t2", "paid"))).expect(200);
        assertThat(studio.balance(member, product)).as("7 left of the first month, 8 of the second").isEqualTo(15);

        // The third month's payment fails: none of the credits pay until it is paid.
        studio.clock(end2.plus(Duration.ofMinutes(5)));
        deliver(studio, stripe.event("invoice.payment_failed", stripe.invoice(metadata, "sub_topup", end2, end3,
                0, "eur", null, "open"))).expect(200);
        Response refused = studio.book(member, yoga, end2.plus(Duration.ofDays(1)));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().at("/eligibility/lots")).extracting(l -> l.get("reasons").toString())
                .allMatch(reasons -> reasons.contains("subscription_inactive"));
        assertThat(account(studio, product).get("subscriptionStatus").asText()).isEqualTo("past_due");

        // Stripe's retry succeeds: all of them pay again, and the third month's arrive.
        deliver(studio, stripe.event("invoice.paid", stripe.invoice(metadata, "sub_topup", end2, end3, 6000, "eur",
                "pi_t3", "paid"))).expect(200);
        studio.book(member, yoga, end2.plus(Duration.ofDays(1))).expect(201);
        assertThat(studio.balance(member, product)).isEqualTo(22);
        assertThat(account(studio, product).get("subscriptionStatus").asText()).isEqualTo("active");
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void anOlderSubscriptionEventArrivingLateUndoesNothing() {
        StudioFixture studio = StripeIT.studio(server);
        String member = studio.member("Ben");
        String product = studio.product(json("name", "8 a Month", "kind", "subscription", "credits", 8,
                "price", json("amount", "60.00", "currency", "EUR"), "billingInterval", "P1M"));
        Instant start = studio.now();
        Instant end = start.atZone(BERLIN).plusMonths(1).toInstant();
        String purchase = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "stripe")).expect(201).text("/id");
        Map<String, String> metadata = FakeStripe.metadataOf(checkoutOf(stripe, purchase),
                "subscription_data[metadata]");
        deliver(studio, stripe.event("invoice.paid", stripe.invoice(metadata, "sub_late", start, end, 6000, "eur",
                "pi_late", "paid"))).expect(200);
        String pastDue = FakeStripe.createdAt(stripe.event("customer.subscription.updated",
                FakeStripe.subscription("sub_late", metadata, "past_due", start, end, false)),
                Instant.now().minus(Duration.ofMinutes(10)));
        String active = stripe.event("customer.subscription.updated",
                FakeStripe.subscription("sub_late", metadata, "active", start, end, false));

        deliver(studio, active).expect(200);
        Response late = deliver(studio, pastDue).expect(200);

        assertThat(late.text("/outcome")).isEqualTo("older than the state applied");
        assertThat(account(studio, product).get("subscriptionStatus").asText()).isEqualTo("active");
        assertThat(studio.balance(member, product)).isEqualTo(8);
    }

    private static JsonNode account(StudioFixture studio, String product) {
        for (JsonNode a : studio.credits(studio.api().get("/v1/members", studio.owner()).body()
                .at("/items/0/id").asText()).get("accounts")) {
            if (a.get("account").asText().equals(product)) {
                return a;
            }
        }
        throw new AssertionError("no account " + product);
    }
}
