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

/** Members: create, update, list by tag, erase (the journal stays) and merge. */
class MembersApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void membersAreCreatedUpdatedAndListedByTagPageByPage() {
        StudioFixture studio = server.studio(false);
        List<String> juniors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            juniors.add(studio.member("Junior " + i, "juniors"));
        }
        String adult = studio.member("Adult", "adults");

        Response patched = studio.api().patch("/v1/members/" + adult, studio.owner(),
                json("tags", List.of("adults", "juniors"), "email", "adult@example.com")).expect(200);
        assertThat(patched.body().get("tags")).extracting(JsonNode::asText).containsExactly("adults", "juniors");
        assertThat(patched.text("/name")).isEqualTo("Adult");
        juniors.add(adult);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            Response page = studio.api().get("/v1/members?tag=juniors&limit=4"
                    + (cursor == null ? "" : "&cursor=" + cursor), studio.owner()).expect(200);
            page.body().get("items").forEach(m -> listed.add(m.get("id").asText()));
            cursor = page.text("/next");
        } while (cursor != null);

        assertThat(listed).containsExactlyElementsOf(juniors);
        assertThat(studio.api().get("/v1/members?tag=nobody", studio.owner()).body().get("items")).isEmpty();
    }

    @Test
    void membersAreSearchedByNameOrEmailIgnoringCaseWithTheTagAndPaged() {
        StudioFixture studio = server.studio(false);
        String anna = studio.member("Anna Berg", "juniors");
        String joanna = studio.api().post("/v1/members", studio.owner(),
                json("name", "J. Smith", "email", "JOANNA@example.com", "tags", List.of("adults"))).expect(201)
                .text("/id");
        studio.member("Bernd Maier", "juniors");
        studio.member("100% Anna_", "juniors");
        StudioFixture other = server.studio(false);
        other.member("Anna Other");

        assertThat(ids(studio, "q=anna")).containsExactly(anna, joanna, ids(studio, "q=100").get(0));
        assertThat(ids(studio, "q=ANNA&tag=adults")).containsExactly(joanna);
        // LIKE's wildcards are what was typed, not patterns.
        assertThat(ids(studio, "q=%25")).hasSize(1);
        assertThat(ids(studio, "q=a_")).hasSize(1);
        Response first = studio.api().get("/v1/members?q=anna&limit=2", studio.owner()).expect(200);
        assertThat(first.body().get("items")).hasSize(2);
        assertThat(studio.api().get("/v1/members?q=anna&limit=2&cursor=" + first.text("/next"), studio.owner())
                .expect(200).body().get("items")).hasSize(1);
        assertThat(studio.api().get("/v1/members?q=" + "x".repeat(201), studio.owner()).status()).isEqualTo(422);
    }

    @Test
    void aSearchTooShortForATrigramFindsTheSameAsOneLongEnough() {
        StudioFixture studio = server.studio(false);
        String anna = studio.member("Anna Berg");
        String ben = studio.api().post("/v1/members", studio.owner(), json("name", "Ben", "email", "ben@BERG.example"))
                .expect(201).text("/id");
        studio.member("Cleo Maier");
        String dots = studio.member("A.B. C");

        assertThat(ids(studio, "q=bErG")).containsExactly(anna, ben);
        assertThat(ids(studio, "q=Be")).as("two letters: no trigram").containsExactly(anna, ben);
        assertThat(ids(studio, "q=@b")).containsExactly(ben);
        assertThat(ids(studio, "q=a.b")).as("no three letters in a row").containsExactly(dots);
        assertThat(ids(studio, "q=" + java.net.URLEncoder.encode("a b", java.nio.charset.StandardCharsets.UTF_8)))
                .containsExactly(anna);
        assertThat(ids(studio, "q=zz")).isEmpty();
    }

    private static List<String> ids(StudioFixture studio, String query) {
        List<String> ids = new ArrayList<>();
        studio.api().get("/v1/members?" + query, studio.owner()).expect(200).body().get("items")
                .forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }

    @Test
    void anExternalIdIsUniqueWithinAStudio() {
        StudioFixture studio = server.studio(false);
        studio.api().post("/v1/members", studio.owner(), json("name", "A", "externalId", "crm-1")).expect(201);

        Response duplicate = studio.api().post("/v1/members", studio.owner(), json("name", "B", "externalId", "crm-1"));

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(server.studio(false).api().post("/v1/members", server.studio(false).owner(),
                json("name", "C", "externalId", "crm-1")).status()).isEqualTo(201);
    }

    @Test
    void deletingAMemberWithCreditsNeedsForfeitAndKeepsTheJournal() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        studio.api().patch("/v1/members/" + member, studio.owner(), json("email", "mia@example.com")).expect(200);
        studio.grant(member, 4);
        String athlete = studio.key("athlete", member);

        Response blocked = studio.api().delete("/v1/members/" + member, studio.owner());
        assertThat(blocked.status()).isEqualTo(409);
        assertThat(blocked.text("/type")).endsWith("/credits_outstanding");
        assertThat(blocked.number("/outstanding")).isEqualTo(4);

        Response deleted = studio.api().delete("/v1/members/" + member + "?forfeit=true", studio.owner()).expect(200);

        assertThat(deleted.number("/forfeited")).isEqualTo(4);
        assertThat(studio.api().get("/v1/members/" + member, studio.owner()).status()).isEqualTo(404);
        assertThat(studio.api().get("/v1/me", athlete).status()).as("the athlete key is revoked").isEqualTo(401);
        assertThat(server.probe().text("SELECT coalesce(name, '-') || coalesce(email, '-') FROM members WHERE id = ?",
                member)).isEqualTo("--");
        assertThat(server.probe().rows("SELECT type || delta FROM journal WHERE member_id = ? ORDER BY seq", member))
                .containsExactly("granted4", "forfeited-4");
        assertThat(studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", "master", "mode", "add", "amount", 1, "reason", "x")).status()).isEqualTo(404);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void cancellingABookingOfAnErasedMemberReturnsNoCredits() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ola");
        String scheduler = studio.scheduler("Swim", 2);
        studio.grant(member, 5);
        String booking = studio.book(member, scheduler, studio.now().plus(Duration.ofDays(3))).expect(201)
                .text("/id");
        studio.api().delete("/v1/members/" + member + "?forfeit=true", studio.owner()).expect(200);

        Response cancelled = studio.cancel(booking).expect(200);

        assertThat(cancelled.number("/refunded")).isZero();
        assertThat(server.probe().number("SELECT coalesce(sum(remaining), 0) FROM lots WHERE member_id = ?", member))
                .isZero();
    }

    @Test
    void mergingMovesLotsBookingsAndHistory() {
        StudioFixture studio = server.studio(true);
        String keep = studio.member("Mia", "juniors");
        String duplicate = studio.member("Mia (duplicate)", "swim");
        String scheduler = studio.scheduler("Swim", 1);
        studio.grant(keep, 1);
        studio.grant(duplicate, 3);
        String booking = studio.book(duplicate, scheduler, studio.now().plus(Duration.ofDays(2))).expect(201)
                .text("/id");
        String duplicateKey = studio.key("athlete", duplicate);

        Response merged = studio.api().post("/v1/members/" + keep + "/merge", studio.owner(),
                json("fromMemberId", duplicate)).expect(200);

        assertThat(merged.number("/merged/transferredCredits")).isEqualTo(2);
        assertThat(merged.body().get("tags")).extracting(JsonNode::asText).containsExactly("juniors", "swim");
        assertThat(studio.balance(keep, "master")).isEqualTo(3);
        assertThat(studio.log(keep)).extracting(e -> e.get("type").asText())
                .contains("transferred", "held", "granted");
        Response gone = studio.book(duplicate, scheduler, studio.now().plus(Duration.ofDays(2)));
        assertThat(gone.status()).isEqualTo(409);
        assertThat(gone.text("/mergedInto")).isEqualTo(keep);
        assertThat(studio.cancel(booking).expect(200).number("/refunded")).isEqualTo(1);
        assertThat(studio.api().get("/v1/me", duplicateKey).status()).as("the merged member's key").isEqualTo(401);
        assertThat(studio.balance(keep, "master")).isEqualTo(4);
        assertThat(studio.api().post("/v1/members/" + keep + "/merge", studio.owner(),
                json("fromMemberId", keep)).status()).isEqualTo(422);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }
}
