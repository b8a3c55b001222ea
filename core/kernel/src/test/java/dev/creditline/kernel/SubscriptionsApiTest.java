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
 * Subscriptions added without payment: the kernel renews them at each period's end (on the studio's test clock), an
 * unlimited period pays for any number of bookings and counts them per scheduler, finite top-ups accumulate up to
 * the roll-over cap, and a cancelled subscription runs to the end of its period.
 */
class SubscriptionsApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static String unlimitedMonthly(StudioFixture studio) {
        return studio.product(json("name", "Monthly Unlimited", "kind", "subscription", "credits", "unlimited",
                "price", json("amount", "89.00", "currency", "EUR"), "billingInterval", "P1M"));
    }

    @Test
    void anUnlimitedSubscriptionPaysForEveryBookingOfItsPeriodAndRenewsMonthByMonth() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String yoga = studio.scheduler("Yoga", 1);
        String spin = studio.scheduler("Spin", 2);
        String product = unlimitedMonthly(studio);
        Instant start = studio.now();
        Instant periodEnd = start.atZone(BERLIN).plusMonths(1).toInstant();

        Response bought = studio.purchase(member, product);

        assertThat(bought.text("/status")).isEqualTo("completed");
        assertThat(bought.body().at("/lots/0/remaining").asText()).isEqualTo("unlimited");
        for (String scheduler : List.of(yoga, yoga, yoga, spin)) {
            Response booked = studio.book(member, scheduler, start.plus(Duration.ofDays(1))).expect(201);
            assertThat(booked.body().at("/allocations/0/credits").intValue()).isZero();
        }
        JsonNode credits = studio.credits(member);
        JsonNode account = account(credits, product);
        assertThat(account.get("balance").asText()).isEqualTo("unlimited");
        assertThat(account.get("subscriptionStatus").asText()).isEqualTo("active");
        assertThat(Instant.parse(account.get("periodEndsAt").asText())).isEqualTo(periodEnd);
        assertThat(Instant.parse(credits.get("unlimitedUntil").asText())).isEqualTo(periodEnd);
        assertThat(credits.get("total").intValue()).as("unlimited counts in no total").isZero();
        assertThat(account.get("usage")).extracting(u -> u.get("schedulerId").asText() + " "
                + u.get("used").intValue() + "/" + u.get("limit").asText())
                .containsExactlyInAnyOrder(yoga + " 3/unlimited", spin + " 1/unlimited");
        JsonNode purchased = studio.log(member).get(studio.log(member).size() - 1);
        assertThat(purchased.get("delta").asText()).isEqualTo("+unlimited");
        assertThat(purchased.get("description").asText()).isEqualTo("Purchased Monthly Unlimited");

        studio.clock(periodEnd.plus(Duration.ofHours(1)));

        JsonNode renewed = account(studio.credits(member), product);
        assertThat(renewed.get("balance").asText()).isEqualTo("unlimited");
        assertThat(Instant.parse(renewed.get("periodEndsAt").asText()))
                .isEqualTo(periodEnd.atZone(BERLIN).plusMonths(1).toInstant());
        assertThat(renewed.get("usage")).as("a new period counts anew").isEmpty();
        assertThat(studio.log(member)).extracting(e -> e.get("type").asText() + e.get("delta").asText() + " "
                        + e.get("description").asText())
                .contains("purchased+unlimited Renewed Monthly Unlimited", "period_ended-unlimited Period ended")
                .noneMatch(line -> line.startsWith("expired"));
        assertThat(server.probe().number("SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'expired'",
                studio.id())).as("the end of an unlimited period is no expiry").isZero();
        assertThat(renewed.get("expirations")).isEmpty();
        JsonNode subscriptions = studio.api().get("/v1/members/" + member + "/subscriptions", studio.owner())
                .expect(200).body().get("items");
        assertThat(subscriptions).hasSize(1);
        assertThat(subscriptions.get(0).get("status").asText()).isEqualTo("active");
        // Named for people, the athlete among them (who cannot list the products).
        assertThat(subscriptions.get(0).get("productName").asText()).isEqualTo("Monthly Unlimited");
        assertThat(studio.api().get("/v1/me/subscriptions", studio.key("athlete", member)).expect(200)
                .body().at("/items/0/productName").asText()).isEqualTo("Monthly Unlimited");
        assertThat(server.probe().number("SELECT count(*) FROM purchases WHERE studio_id = ? AND member_id = ?",
                studio.id(), member)).as("one purchase per period").isEqualTo(2);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void aCancelledSubscriptionRunsToTheEndOfItsPeriodAndRenewsNoMore() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ben");
        String yoga = studio.scheduler("Yoga", 1);
        String product = unlimitedMonthly(studio);
        Instant start = studio.now();
        Instant periodEnd = start.atZone(BERLIN).plusMonths(1).toInstant();
        studio.purchase(member, product);
        String subscription = studio.api().get("/v1/members/" + member + "/subscriptions", studio.owner())
                .body().at("/items/0/id").asText();

        Response cancelled = studio.api().post("/v1/subscriptions/" + subscription + "/cancel", studio.owner(), null,
                "cancel-1").expect(200);

        assertThat(cancelled.body().get("cancelAtPeriodEnd").booleanValue()).isTrue();
        assertThat(cancelled.text("/status")).isEqualTo("active");
        studio.clock(periodEnd.minus(Duration.ofDays(1)));
        studio.book(member, yoga, periodEnd.minus(Duration.ofHours(12))).expect(201);

        studio.clock(periodEnd.plus(Duration.ofDays(40)));

        Response sub = studio.api().get("/v1/subscriptions/" + subscription, studio.owner()).expect(200);
        assertThat(sub.text("/status")).isEqualTo("canceled");
        assertThat(Instant.parse(sub.text("/canceledAt"))).isEqualTo(periodEnd);
        Response refused = studio.book(member, yoga, periodEnd.plus(Duration.ofDays(41)));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(server.probe().number("SELECT count(*) FROM purchases WHERE studio_id = ? AND member_id = ?",
                studio.id(), member)).as("no renewal after the cancel").isEqualTo(1);
        assertThat(studio.api().post("/v1/subscriptions/" + subscription + "/cancel", studio.owner(), null,
                "cancel-1").header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void finiteTopUpsAccumulateUpToTheRolloverCap() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ida");
        String yoga = studio.scheduler("Yoga", 1);
        String product = studio.product(json("name", "4 a Month", "kind", "subscription", "credits", 4,
                "rolloverMax", 2, "price", json("amount", "40.00", "currency", "EUR"), "billingInterval", "P1M"));
        Instant start = studio.now();
        studio.purchase(member, product);
        studio.book(member, yoga, start.plus(Duration.ofDays(2))).expect(201);
        assertThat(studio.balance(member, product)).isEqualTo(3);

        studio.clock(start.atZone(BERLIN).plusMonths(1).plusHours(1).toInstant());

        assertThat(studio.balance(member, product)).as("2 carried over, 4 new").isEqualTo(6);
        assertThat(studio.log(member)).extracting(e -> e.get("delta").asText() + " " + e.get("description").asText())
                .contains("-1 Not carried over (at most 2 credits roll over)", "+4 Renewed 4 a Month");

        studio.clock(start.atZone(BERLIN).plusMonths(2).plusHours(1).toInstant());
        assertThat(studio.balance(member, product)).isEqualTo(6);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void aSubscriptionProductNeedsABillingIntervalAndOnlyFiniteOnesRollOver() {
        StudioFixture studio = server.studio(true);
        Response noInterval = studio.api().post("/v1/products", studio.owner(), json("name", "S", "kind",
                "subscription", "credits", 4, "price", json("amount", "40.00", "currency", "EUR")));
        assertThat(noInterval.status()).isEqualTo(422);
        assertThat(noInterval.text("/errors/0/field")).isEqualTo("billingInterval");
        Response unlimitedRollover = studio.api().post("/v1/products", studio.owner(), json("name", "U", "kind",
                "subscription", "credits", "unlimited", "rolloverMax", 3, "billingInterval", "P1M",
                "price", json("amount", "40.00", "currency", "EUR")));
        assertThat(unlimitedRollover.status()).isEqualTo(422);
        assertThat(unlimitedRollover.text("/errors/0/field")).isEqualTo("rolloverMax");
        assertThat(studio.api().post("/v1/subscriptions/sub_unknown/cancel", studio.owner(), null).status())
                .isEqualTo(404);
    }

    private static JsonNode account(JsonNode credits, String account) {
        for (JsonNode a : credits.get("accounts")) {
            if (a.get("account").asText().equals(account)) {
                return a;
            }
        }
        throw new AssertionError("no account " + account + " in " + credits);
    }
}
