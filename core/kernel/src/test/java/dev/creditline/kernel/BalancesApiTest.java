package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        // Past both cancellation windows: the holds posted, the credits are used.
        studio.clock(studio.now().plus(Duration.ofHours(40)));

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

    @Test
    void anAccountNamesTheSchedulersItPaysForToStaffAndToTheAthlete() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ida");
        String yoga = studio.scheduler("Yoga", 1);
        String spin = studio.scheduler("Spin", 1);
        String pack = studio.product(json("name", "Yoga & Spin 5", "kind", "package", "credits", 5,
                "price", json("amount", "50.00"), "validity", "P6M", "redeemableSchedulerIds", List.of(spin, yoga)));
        String open = studio.pack("Open 10", 10, "100.00");
        studio.purchase(member, pack);
        studio.purchase(member, open);
        studio.grant(member, 1);
        Instant bought = studio.now();
        String athlete = studio.key("athlete", member);

        JsonNode staff = studio.credits(member);
        JsonNode own = studio.api().get("/v1/me/credits", athlete).expect(200).body();

        assertThat(account(staff, pack).get("redeemableSchedulers")).extracting(s -> s.get("id").asText() + " "
                + s.get("name").asText()).containsExactly(spin + " Spin", yoga + " Yoga");
        assertThat(account(staff, open).get("redeemableSchedulers").isNull()).as("pays for every class").isTrue();
        assertThat(account(staff, "master").get("redeemableSchedulers").isNull()).isTrue();
        assertThat(own.get("accounts")).isEqualTo(staff.get("accounts"));
        assertThat(account(asOf(studio, member, bought).expect(200).body(), pack).get("redeemableSchedulers"))
                .as("also as of an instant").isEqualTo(account(staff, pack).get("redeemableSchedulers"));
        assertThat(studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", pack,
                "mode", "add", "amount", 1, "reason", "make-good")).expect(200).body().get("redeemableSchedulers"))
                .as("the account an adjustment answers").isEqualTo(account(staff, pack).get("redeemableSchedulers"));
    }

    @Test
    void theMembersListCarriesEachMembersBalancesExactlyAsTheirCreditViews() {
        StudioFixture studio = server.studio(true);
        String yoga = studio.scheduler("Yoga", 1);
        String pack = studio.pack("10-Credit Package", 10, "135.00");
        String yoga2 = studio.product(json("name", "Yoga 2", "kind", "package", "credits", 2,
                "price", json("amount", "20.00"), "validity", "P6M", "redeemableSchedulerIds", List.of(yoga)));
        String unlimited = studio.product(json("name", "Monthly Unlimited", "kind", "subscription",
                "credits", "unlimited", "price", json("amount", "89.00", "currency", "EUR"), "billingInterval", "P1M"));
        Instant now = studio.now();

        String holder = studio.member("Holder");
        studio.purchase(holder, pack);
        studio.grant(holder, 2);
        studio.book(holder, yoga, now.plus(Duration.ofDays(1))).expect(201);
        String usedUp = studio.member("Used Up");
        studio.purchase(usedUp, yoga2);
        studio.book(usedUp, yoga, now.plus(Duration.ofDays(1))).expect(201);
        studio.book(usedUp, yoga, now.plus(Duration.ofDays(2))).expect(201);
        String expired = studio.member("Expired");
        studio.grant(expired, 3);
        String expiredLot = studio.purchase(expired, pack).body().at("/lots/0/id").asText();
        String unlimitedHolder = studio.member("Unlimited");
        studio.purchase(unlimitedHolder, unlimited);
        studio.grant(unlimitedHolder, 1);
        String waiting = studio.member("Paused and not started");
        String pausedLot = studio.purchase(waiting, pack).body().at("/lots/0/id").asText();
        String laterLot = studio.purchase(waiting, yoga2).body().at("/lots/0/id").asText();
        studio.grant(waiting, 1);
        String none = studio.member("Nothing");
        // Past its expiry and not swept yet (the studio's clock stands still); paused; starting tomorrow.
        require(server.probe().tryExecute("UPDATE lots SET expires_at = '" + now.minusSeconds(60) + "' WHERE id = '"
                + expiredLot + "'"));
        require(server.probe().tryExecute("UPDATE lots SET paused = true WHERE id = '" + pausedLot + "'"));
        require(server.probe().tryExecute("UPDATE lots SET valid_from = '" + now.plus(Duration.ofDays(1))
                + "' WHERE id = '" + laterLot + "'"));

        Map<String, JsonNode> listed = new LinkedHashMap<>();
        String cursor = null;
        do {
            Response page = studio.api().get("/v1/members?limit=4" + (cursor == null ? "" : "&cursor=" + cursor),
                    studio.owner()).expect(200);
            page.body().get("items").forEach(m -> listed.put(m.get("id").asText(), m.get("credits")));
            cursor = page.text("/next");
        } while (cursor != null);

        assertThat(listed.keySet()).containsExactly(holder, usedUp, expired, unlimitedHolder, waiting, none);
        listed.forEach((member, credits) -> {
            JsonNode view = studio.credits(member);
            assertThat(credits).as("the listed credits of %s", member).isEqualTo(json("total", view.get("total"),
                    "available", view.get("available"), "unlimitedUntil", view.get("unlimitedUntil")));
        });
        assertThat(summary(listed.get(holder))).isEqualTo("11/11/null");
        assertThat(summary(listed.get(usedUp))).isEqualTo("0/0/null");
        assertThat(summary(listed.get(expired))).as("the expired package counts no more").isEqualTo("3/3/null");
        assertThat(listed.get(unlimitedHolder).get("unlimitedUntil").isNull()).isFalse();
        assertThat(summary(listed.get(unlimitedHolder))).isEqualTo("1/1/"
                + listed.get(unlimitedHolder).get("unlimitedUntil").asText());
        assertThat(summary(listed.get(waiting))).as("held, but only the master credit pays now").isEqualTo("13/1/null");
        assertThat(summary(listed.get(none))).isEqualTo("0/0/null");
        assertThat(studio.api().get("/v1/members?q=unlimited", studio.owner()).expect(200).body()
                .at("/items/0/credits")).as("a search's items too").isEqualTo(listed.get(unlimitedHolder));
    }

    @Test
    void anotherStudiosLotsNeverCountInTheMembersList() {
        StudioFixture mine = server.studio(true);
        StudioFixture theirs = server.studio(true);
        String member = mine.member("Mine");
        mine.grant(member, 2);
        // A member of the other studio under the same id (ids are keyed by studio), with credits of its own.
        require(server.probe().tryExecute("""
                INSERT INTO members (studio_id, id, name, created_at, updated_at)
                VALUES ('%1$s', '%2$s', 'Theirs', now(), now());
                INSERT INTO lots (studio_id, id, member_id, account, quantity, remaining, acquired_at, valid_from,
                                  expires_at, validity_start, cost_minor, currency, category)
                VALUES ('%1$s', 'lot_theirs_1', '%2$s', 'master', 40, 40, now() - interval '1 day',
                        now() - interval '1 day', NULL, 'purchase', 0, 'EUR', 'promotional')"""
                .formatted(theirs.id(), member)));

        JsonNode mineListed = mine.api().get("/v1/members", mine.owner()).expect(200).body().at("/items/0");
        JsonNode theirsListed = theirs.api().get("/v1/members", theirs.owner()).expect(200).body().at("/items/0");

        assertThat(mineListed.get("id").asText()).isEqualTo(member);
        assertThat(summary(mineListed.get("credits"))).isEqualTo("2/2/null");
        assertThat(theirsListed.get("id").asText()).isEqualTo(member);
        assertThat(summary(theirsListed.get("credits"))).isEqualTo("40/40/null");
    }

    private static String summary(JsonNode credits) {
        return credits.get("total").intValue() + "/" + credits.get("available").intValue() + "/"
                + credits.get("unlimitedUntil").asText();
    }

    private static void require(String sqlState) {
        assertThat(sqlState).as("SQL state of the set-up").isNull();
    }

    private static dev.creditline.testkit.ApiClient.Response asOf(StudioFixture studio, String member,
                                                                  Instant at) {
        return studio.api().get("/v1/members/" + member + "/credits?asOf=" + at, studio.owner());
    }
}
