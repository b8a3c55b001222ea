package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The credit view's balances: what a member holds, what can pay now, and accounts that are used up. */
class BalancesApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static JsonNode account(JsonNode credits, String account) {
        for (JsonNode a : credits.get("accounts")) {
            if (a.get("account").asText().equals(account)) {
                return a;
            }
        }
        return null;
    }

    @Test
    void pausedCreditsAreHeldButNotAvailable() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String pack = studio.pack("10-Credit Package", 10, "135.00");
        String lot = studio.purchase(member, pack).body().at("/lots/0/id").asText();
        studio.grant(member, 2);
        // No API pauses lots yet (member pauses come with the member lifecycle): the flag is set as a pause would.
        assertThat(server.probe().tryExecute("UPDATE lots SET paused = true WHERE id = '" + lot + "'")).isNull();

        JsonNode credits = studio.credits(member);

        assertThat(credits.get("total").intValue()).isEqualTo(12);
        assertThat(credits.get("available").intValue()).as("she has 12 but can use 2").isEqualTo(2);
        assertThat(account(credits, pack).get("balance").intValue()).isEqualTo(10);
        assertThat(account(credits, pack).get("available").intValue()).isZero();
        assertThat(account(credits, "master").get("available").intValue()).isEqualTo(2);
    }

    @Test
    void aPausedUnlimitedPeriodIsHeldButCannotPay() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Uma");
        String product = studio.product(json("name", "Monthly Unlimited", "kind", "subscription",
                "credits", "unlimited", "price", json("amount", "89.00", "currency", "EUR"), "billingInterval", "P1M"));
        String lot = studio.purchase(member, product).body().at("/lots/0/id").asText();
        assertThat(account(studio.credits(member), product).get("available").asText()).isEqualTo("unlimited");

        assertThat(server.probe().tryExecute("UPDATE lots SET paused = true WHERE id = '" + lot + "'")).isNull();

        JsonNode paused = account(studio.credits(member), product);
        assertThat(paused.get("balance").asText()).isEqualTo("unlimited");
        assertThat(paused.get("available").intValue()).isZero();
    }

    @Test
    void aUsedUpProductAccountStaysAtZeroUntilItsPurchaseIsVoided() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ben");
        String yoga = studio.scheduler("Yoga", 1);
        String pack = studio.product(json("name", "Yoga 2", "kind", "package", "credits", 2,
                "price", json("amount", "20.00"), "validity", "P6M", "redeemableSchedulerIds",
                java.util.List.of(yoga)));
        String purchase = studio.purchase(member, pack).text("/id");
        studio.book(member, yoga, studio.now().plus(Duration.ofDays(1))).expect(201);
        studio.book(member, yoga, studio.now().plus(Duration.ofDays(2))).expect(201);

        JsonNode used = account(studio.credits(member), pack);

        assertThat(used).as("the tab stays when its credits are used").isNotNull();
        assertThat(used.get("name").asText()).isEqualTo("Yoga 2");
        assertThat(used.get("balance").intValue()).isZero();
        assertThat(used.get("available").intValue()).isZero();
        assertThat(used.get("lots")).isEmpty();
        assertThat(used.get("redeemableSchedulerIds")).extracting(JsonNode::asText).containsExactly(yoga);
        assertThat(studio.api().get("/v1/members/" + member + "/credit-logs?account=" + pack, studio.owner())
                .expect(200).body().get("items")).hasSize(3);

        String other = studio.pack("Spare", 1, "10.00");
        String spare = studio.purchase(member, other).text("/id");
        studio.api().post("/v1/purchases/" + spare + "/void", studio.owner(), json("reason", "added by mistake"))
                .expect(200);

        assertThat(account(studio.credits(member), other)).as("a voided product leaves the view").isNull();
        assertThat(account(studio.credits(member), pack)).isNotNull();
        assertThat(purchase).isNotNull();
    }

    @Test
    void theViewAsOfAnInstantIsRebuiltFromTheJournal() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Cleo");
        String yoga = studio.scheduler("Yoga", 1);
        String pack = studio.pack("10-Credit Package", 10, "135.00");
        Instant joined = studio.now();
        studio.clock(joined.plus(Duration.ofDays(1)));
        studio.purchase(member, pack);
        Instant bought = studio.now();
        studio.clock(bought.plus(Duration.ofDays(1)));
        studio.book(member, yoga, studio.now().plus(Duration.ofDays(1))).expect(201);
        studio.book(member, yoga, studio.now().plus(Duration.ofDays(2))).expect(201);
        studio.grant(member, 3);
        Instant later = studio.now();
        studio.clock(later.plus(Duration.ofDays(200)));

        JsonNode atPurchase = asOf(studio, member, bought).expect(200).body();
        JsonNode beforeExpiry = asOf(studio, member, later).expect(200).body();
        JsonNode today = studio.credits(member);

        assertThat(atPurchase.get("total").intValue()).isEqualTo(10);
        assertThat(atPurchase.get("asOf").asText()).isEqualTo(bought.toString());
        assertThat(account(atPurchase, pack).at("/lots/0/remaining").intValue()).isEqualTo(10);
        assertThat(account(atPurchase, "master").get("balance").intValue()).isZero();
        assertThat(beforeExpiry.get("total").intValue()).isEqualTo(11);
        assertThat(account(beforeExpiry, pack).get("balance").intValue()).isEqualTo(8);
        assertThat(today.get("total").intValue()).as("the package expired after six months").isEqualTo(3);
        assertThat(asOf(studio, member, joined.minus(Duration.ofSeconds(1))).status())
                .as("before the member existed").isEqualTo(404);
        assertThat(asOf(studio, member, studio.now().plus(Duration.ofDays(1))).status()).isEqualTo(422);
        assertThat(asOf(studio, member, later).body()).as("a read, the same each time").isEqualTo(beforeExpiry);
    }

    @Test
    void refusedViewsAsOfAnInstantGiveTheirConnectionBack() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Dana");
        String athlete = studio.key("athlete", member);

        for (int i = 0; i < 40; i++) {
            assertThat(asOf(studio, member, studio.now().plus(Duration.ofDays(1 + i))).status()).isEqualTo(422);
            assertThat(studio.api().get("/v1/me/credits?asOf=%2B999999999-12-31T23:59:59-18:00", athlete).status())
                    .isEqualTo(422);
        }

        assertThat(studio.credits(member).get("total").intValue()).as("the pool still serves").isZero();
        assertThat(studio.api().get("/v1/bookings?from=%2B999999999-12-31T23:59:59-18:00", studio.owner()).status())
                .isEqualTo(422);
    }

    private static dev.creditline.testkit.ApiClient.Response asOf(StudioFixture studio, String member,
                                                                  Instant at) {
        return studio.api().get("/v1/members/" + member + "/credits?asOf=" + at, studio.owner());
    }
}
