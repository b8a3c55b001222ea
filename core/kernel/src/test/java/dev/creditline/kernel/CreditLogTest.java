package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The credit log a coach reads: one line per action, whatever number of lots it touched; the journal per lot. */
class CreditLogTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static List<JsonNode> items(Response page) {
        List<JsonNode> items = new ArrayList<>();
        page.body().get("items").forEach(items::add);
        return items;
    }

    private static List<JsonNode> journal(StudioFixture studio, String member) {
        return items(studio.api().get("/v1/members/" + member + "/journal?limit=500", studio.owner()).expect(200));
    }

    @Test
    void aSetOverTwoLotsIsOneLineWithEachLotsShare() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        studio.grant(member, 2);
        studio.grant(member, 5);

        studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "set", "amount", 3, "expectedBalance", 7, "reason", "season reset")).expect(200);

        JsonNode set = studio.log(member).get(0);
        assertThat(studio.log(member)).hasSize(3);
        assertThat(set.get("type").asText()).isEqualTo("set");
        assertThat(set.get("delta").asText()).isEqualTo("-4");
        assertThat(set.get("balanceAfter").intValue()).isEqualTo(3);
        assertThat(set.get("reason").asText()).isEqualTo("season reset");
        assertThat(set.get("lots")).hasSize(2);
        assertThat(set.get("lots")).extracting(l -> Integer.parseInt(l.get("delta").asText()))
                .allMatch(delta -> delta < 0).satisfies(deltas -> assertThat(deltas.stream()
                        .mapToInt(Integer::intValue).sum()).isEqualTo(-4));
        assertThat(journal(studio, member)).extracting(e -> e.get("type").asText())
                .containsExactly("set", "set", "granted", "granted");
    }

    @Test
    void aBookingOverTwoLotsIsOneLineAndItsCancelAnother() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ben");
        String workshop = studio.scheduler("Workshop", 3);
        studio.grant(member, 2);
        studio.grant(member, 2);

        String booking = studio.book(member, workshop, studio.now().plus(Duration.ofDays(2))).expect(201)
                .text("/id");

        JsonNode redeemed = studio.log(member).get(0);
        assertThat(redeemed.get("delta").asText()).isEqualTo("-3");
        assertThat(redeemed.get("description").asText()).isEqualTo("Held for Workshop");
        assertThat(redeemed.get("schedulerName").asText()).isEqualTo("Workshop");
        assertThat(redeemed.get("bookingId").asText()).isEqualTo(booking);
        assertThat(redeemed.get("balanceAfter").intValue()).isEqualTo(1);
        assertThat(redeemed.get("lots")).extracting(l -> l.get("delta").asText()).containsExactly("-2", "-1");
        assertThat(journal(studio, member)).hasSize(4);

        studio.cancel(booking).expect(200);

        assertThat(studio.log(member)).extracting(e -> e.get("type").asText() + e.get("delta").asText() + "="
                        + e.get("balanceAfter").asText())
                .containsExactly("released+3=4", "held-3=1", "granted+2=4", "granted+2=2");
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void aBookingThatSpendsLotsOfTwoAccountsInTurnIsOneLinePerAccount() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ella");
        String workshop = studio.scheduler("Workshop", 3);
        String pack = studio.pack("Single", 1, "15.00");
        studio.grant(member, 1);
        studio.clock(studio.now().plus(Duration.ofHours(1)));
        studio.purchase(member, pack);
        studio.clock(studio.now().plus(Duration.ofHours(1)));
        studio.grant(member, 1);

        studio.book(member, workshop, studio.now().plus(Duration.ofDays(1))).expect(201);

        List<JsonNode> log = studio.log(member);
        assertThat(log.subList(0, 2)).extracting(e -> e.get("account").asText() + e.get("delta").asText() + "="
                + e.get("balanceAfter").asText()).containsExactly("master-2=0", pack + "-1=0");
        assertThat(log.get(0).get("lots")).hasSize(2);
        assertThat(items(studio.api().get("/v1/members/" + member + "/credit-logs?account=master", studio.owner())
                .expect(200)).get(0).get("delta").asText()).as("the same line filtered").isEqualTo("-2");
        Response first = studio.api().get("/v1/members/" + member + "/credit-logs?limit=1", studio.owner())
                .expect(200);
        assertThat(items(first)).as("an action is never cut between pages").hasSize(2);
        assertThat(items(studio.api().get("/v1/members/" + member + "/credit-logs?limit=1&cursor="
                + first.text("/next"), studio.owner()).expect(200)).get(0).get("type").asText()).isEqualTo("granted");
    }

    @Test
    void pagesCountActionsNotEntries() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Cleo");
        String workshop = studio.scheduler("Workshop", 3);
        for (int i = 0; i < 6; i++) {
            studio.grant(member, 1);
        }
        studio.book(member, workshop, studio.now().plus(Duration.ofDays(2))).expect(201);
        studio.book(member, workshop, studio.now().plus(Duration.ofDays(3))).expect(201);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = studio.api().get("/v1/members/" + member + "/credit-logs?limit=1"
                    + (cursor == null ? "" : "&cursor=" + cursor), studio.owner()).expect(200);
            items(page).forEach(item -> seen.add(item.get("type").asText() + item.get("delta").asText()));
            cursor = page.body().get("next").isNull() ? null : page.text("/next");
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(seen).containsExactly("held-3", "held-3", "granted+1", "granted+1", "granted+1",
                "granted+1", "granted+1", "granted+1");
    }

    @Test
    void bookingsOfAnUnlimitedPeriodAreLinesSoTheUsageAndTheLogAgree() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Dana");
        String yoga = studio.scheduler("Rising Stars Class", 1);
        String product = studio.product(json("name", "Monthly Unlimited", "kind", "subscription",
                "credits", "unlimited", "price", json("amount", "89.00", "currency", "EUR"),
                "billingInterval", "P1M"));
        studio.purchase(member, product);
        List<String> bookings = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            bookings.add(studio.book(member, yoga, studio.now().plus(Duration.ofDays(i))).expect(201).text("/id"));
        }
        studio.cancel(bookings.get(2)).expect(200);

        List<JsonNode> log = studio.log(member);
        assertThat(log).extracting(e -> e.get("type").asText() + e.get("delta").asText() + "="
                        + e.get("balanceAfter").asText())
                .containsExactly("refunded+1=unlimited", "redeemed-1=unlimited", "redeemed-1=unlimited",
                        "redeemed-1=unlimited", "purchased+unlimited=unlimited");
        assertThat(log).allMatch(e -> e.get("unlimited").booleanValue());
        assertThat(log.get(1).get("description").asText()).isEqualTo("Redeemed for Rising Stars Class");
        JsonNode account = studio.credits(member).get("accounts").get(1);
        assertThat(account.at("/usage/0/used").intValue()).as("3 booked, 1 cancelled").isEqualTo(2);

        studio.clock(studio.now().plus(Duration.ofDays(32)));

        assertThat(studio.log(member)).extracting(e -> e.get("type").asText() + e.get("delta").asText() + "="
                        + e.get("balanceAfter").asText())
                .contains("period_ended-unlimited=0").doesNotContain("expired-unlimited=0");
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void itemsNameTheirProductSoAClientCanWordThemInItsOwnLanguage() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Finn");
        String yoga = studio.scheduler("Rising Stars Class", 1);
        String pack = studio.pack("10-Credit Package", 10, "135.00");
        studio.purchase(member, pack);
        studio.grant(member, 2);
        studio.book(member, yoga, studio.now().plus(Duration.ofDays(1))).expect(201);
        studio.api().patch("/v1/products/" + pack, studio.owner(), json("name", "10er-Karte")).expect(200);

        List<JsonNode> log = studio.log(member);

        assertThat(log).extracting(e -> e.get("type").asText() + " " + e.get("productName").asText() + " "
                        + e.get("schedulerName").asText() + " " + e.get("counterpartMemberId").asText())
                .containsExactly("held 10er-Karte Rising Stars Class null", "granted null null null",
                        "purchased 10er-Karte null null");
        assertThat(log.get(2).get("description").asText()).as("written when it happened")
                .isEqualTo("Purchased 10-Credit Package");
        assertThat(log.get(1).get("productName").isNull()).as("master credits").isTrue();
    }

    @Test
    void aMergesTransfersNameTheOtherMember() {
        StudioFixture studio = server.studio(true);
        String keep = studio.member("Mia");
        String duplicate = studio.member("Mia (duplicate)");
        String pack = studio.pack("Single", 1, "15.00");
        studio.grant(duplicate, 3);
        studio.purchase(duplicate, pack);
        studio.grant(keep, 1);

        studio.api().post("/v1/members/" + keep + "/merge", studio.owner(), json("fromMemberId", duplicate))
                .expect(200);

        List<JsonNode> transfers = studio.log(keep).stream().filter(e -> e.get("type").asText().equals("transferred"))
                .toList();
        assertThat(transfers).extracting(e -> e.get("memberId").asText() + " " + e.get("delta").asText() + " "
                        + e.get("account").asText() + " " + e.get("counterpartMemberId").asText() + " "
                        + e.get("productName").asText())
                .containsExactlyInAnyOrder(keep + " +3 master " + duplicate + " null",
                        keep + " +1 " + pack + " " + duplicate + " Single",
                        duplicate + " -3 master " + keep + " null",
                        duplicate + " -1 " + pack + " " + keep + " Single");
        assertThat(studio.log(keep)).filteredOn(e -> !e.get("type").asText().equals("transferred"))
                .allMatch(e -> e.get("counterpartMemberId").isNull());
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void entryIdsAndCursorsTellNothingOfOtherStudios() {
        StudioFixture busy = server.studio(true);
        String someone = busy.member("Someone");
        for (int i = 0; i < 5; i++) {
            busy.grant(someone, 1);
        }
        StudioFixture fresh = server.studio(true);
        String member = fresh.member("New");
        fresh.grant(member, 1);
        fresh.grant(member, 2);

        Response page = fresh.api().get("/v1/members/" + member + "/credit-logs?limit=1", fresh.owner()).expect(200);
        String id = page.body().at("/items/0/id").asText();
        String cursor = page.text("/next");

        assertThat(id).startsWith("ent_").doesNotMatch("ent_[0-9]+");
        assertThat(journal(fresh, member).get(0).get("id").asText()).as("the same entry, the same id").isEqualTo(id);
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("c1:");
        Response second = fresh.api().get("/v1/members/" + member + "/credit-logs?limit=1&cursor=" + cursor,
                fresh.owner()).expect(200);
        assertThat(second.body().at("/items/0/delta").asText()).isEqualTo("+1");
        char[] forged = cursor.toCharArray();
        forged[forged.length / 2] = forged[forged.length / 2] == 'A' ? 'B' : 'A';
        assertThat(fresh.api().get("/v1/members/" + member + "/credit-logs?cursor=" + new String(forged),
                fresh.owner()).status()).isEqualTo(422);
    }
}
