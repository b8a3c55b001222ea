package dev.creditline.distribution;

import static dev.creditline.distribution.PluginPlatformIT.eventually;
import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The automations plugin through the HTTP API: each trigger fires its action once per event, due time or lot, for
 * the right members; runs are logged; paused automations stay quiet; a run cut off halfway resumes without doing
 * anything twice; bad automations are refused naming the field.
 */
class AutomationsIT {
    private static final String FIXTURES = "test-fixtures";

    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    private static StudioFixture studio() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, "automations", null);
        return studio;
    }

    private static String automation(StudioFixture studio, Object trigger, Object action) {
        return studio.api().post("/v1/automations", studio.owner(), json("name", "Test automation",
                "trigger", trigger, "action", action)).expect(201).text("/id");
    }

    private static Map<String, Object> grant(int amount) {
        return Map.of("type", "grant_credits", "amount", amount, "reason", "automation test");
    }

    private static JsonNode runs(StudioFixture studio, String automationId) {
        return studio.api().get("/v1/automations/" + automationId + "/runs", studio.owner()).expect(200)
                .body().get("items");
    }

    /** The runs once every one of them finished and there are {@code count}. */
    private static JsonNode finishedRuns(StudioFixture studio, String automationId, int count) {
        return finishedRuns(studio, automationId, count, Duration.ofSeconds(15));
    }

    private static JsonNode finishedRuns(StudioFixture studio, String automationId, int count, Duration within) {
        return eventually(() -> runs(studio, automationId), items -> items.size() == count
                && items.findValuesAsText("status").stream().allMatch("finished"::equals), within);
    }

    /** Waits until the studio's outbox is empty: every committed event reached the automations. */
    private static void delivered(StudioFixture studio) {
        eventually(() -> server.probe().number("SELECT count(*) FROM outbox WHERE studio_id = ?", studio.id()),
                left -> left == 0);
    }

    /** As if the nodes running the studio's runs died 5 minutes ago; answers how many runs that was. */
    private static long stopHeartbeats(StudioFixture studio) {
        return server.probe().number("WITH r AS (UPDATE plugin_automations.runs SET heartbeat_at = now()"
                + " - interval '5 minutes' WHERE studio_id = ? RETURNING 1) SELECT count(*) FROM r", studio.id());
    }

    /** The member's tags, as the API shows them. */
    private static List<String> tags(StudioFixture studio, String memberId) {
        List<String> out = new java.util.ArrayList<>();
        studio.api().get("/v1/members/" + memberId, studio.owner()).body().get("tags")
                .forEach(node -> out.add(node.asText()));
        return out;
    }

    @Test
    void aTaggedMemberGetsHerCreditsOnceAndTheRunIsLogged() {
        StudioFixture studio = studio();
        String id = automation(studio, Map.of("type", "member_tagged", "tag", "vip"),
                Map.of("type", "grant_credits", "amount", 5, "validity", "P30D", "reason", "VIP welcome"));
        String mia = studio.member("Mia", "vip");
        String ben = studio.member("Ben");
        String ola = studio.member("Ola", "regular");
        studio.api().patch("/v1/members/" + ben, studio.owner(), json("tags", List.of("vip", "regular")))
                .expect(200);

        JsonNode runs = finishedRuns(studio, id, 2);
        assertThat(studio.balance(mia, "master")).isEqualTo(5);
        assertThat(studio.balance(ben, "master")).isEqualTo(5);
        assertThat(studio.balance(ola, "master")).isZero();
        assertThat(runs.findValuesAsText("reason")).containsOnly("member tagged vip");
        assertThat(runs.findValuesAsText("summary")).allMatch(s -> s.startsWith("granted 5 credits expiring "));
        JsonNode entry = studio.log(mia).get(0);
        assertThat(entry.get("actor").asText()).isEqualTo("automation:Test automation");
        assertThat(entry.get("reason").asText()).isEqualTo("VIP welcome");
        JsonNode lot = studio.credits(mia).get("accounts").get(0).get("lots").get(0);
        assertThat(Duration.between(studio.now(), Instant.parse(lot.get("expiresAt").asText())).toDays())
                .isBetween(29L, 31L);

        String fireKey = runs.get(0).get("fireKey").asText();
        JsonNode run = studio.api().get("/v1/automations/" + id + "/runs/" + fireKey, studio.owner()).expect(200)
                .body();
        assertThat(run.at("/results/items/0/status").asText()).isEqualTo("done");
        assertThat(run.at("/results/items").size()).isEqualTo(1);
    }

    @Test
    void aWeeklyScheduleFiresOncePerDueTimeForTheMembersWithItsTag() {
        StudioFixture studio = studio();
        Instant now = studio.now();
        // Starting the day after tomorrow at noon, in whatever zone: due between 1 and 3 days from now.
        String startsOn = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(2).toString();
        String id = automation(studio, Map.of("type", "schedule", "every", "P1W", "at", "12:00", "startsOn", startsOn,
                "tag", "members"), grant(2));
        List<String> members = List.of(studio.member("A", "members"), studio.member("B", "members"),
                studio.member("C", "members"));
        String guest = studio.member("Guest");

        studio.clock(now.plus(Duration.ofDays(1)).minus(Duration.ofHours(12)));
        assertThat(runs(studio, id)).as("not due yet").isEmpty();
        studio.clock(now.plus(Duration.ofDays(4)));
        studio.clock(now.plus(Duration.ofDays(6)));
        JsonNode first = finishedRuns(studio, id, 1);
        assertThat(first.get(0).get("members").asInt()).isEqualTo(3);
        members.forEach(m -> assertThat(studio.balance(m, "master")).isEqualTo(2));
        assertThat(studio.balance(guest, "master")).isZero();

        studio.clock(now.plus(Duration.ofDays(11)));
        JsonNode both = finishedRuns(studio, id, 2);
        assertThat(both.findValuesAsText("fireKey")).doesNotHaveDuplicates().allMatch(k -> k.startsWith("due:"));
        members.forEach(m -> assertThat(studio.balance(m, "master")).isEqualTo(4));
    }

    @Test
    void aRunCutOffHalfwayResumesForTheMembersLeftWithoutGrantingTwice() {
        StudioFixture studio = studio();
        List<String> members = List.of(studio.member("A", "team"), studio.member("B", "team"),
                studio.member("C", "team"));
        String id = automation(studio, Map.of("type", "member_tagged", "tag", "unused"), grant(3));
        String runKey = studio.api().post("/v1/automations/" + id + "/run", studio.owner(), json("tag", "team"),
                "run-1").expect(202).text("/fireKey");
        finishedRuns(studio, id, 1);
        members.forEach(m -> assertThat(studio.balance(m, "master")).isEqualTo(3));

        // As if a node were granting to B (its grant committed, its result not) and had not come to C yet.
        // (Another node's owner id as a value: Citus runs no volatile function in an update.)
        server.probe().number("WITH r AS (UPDATE plugin_automations.runs SET finished_at = NULL,"
                + " owner = ?::uuid, heartbeat_at = now() WHERE studio_id = ? RETURNING 1)"
                + " SELECT count(*) FROM r", java.util.UUID.randomUUID().toString(), studio.id());
        server.probe().number("WITH m AS (UPDATE plugin_automations.run_members SET result = NULL"
                + " WHERE studio_id = ? AND member_id = ? RETURNING 1) SELECT count(*) FROM m", studio.id(),
                members.get(1));
        server.probe().number("WITH m AS (DELETE FROM plugin_automations.run_members WHERE studio_id = ?"
                + " AND member_id = ? RETURNING 1) SELECT count(*) FROM m", studio.id(), members.get(2));
        assertThat(runs(studio, id).get(0).get("status").asText()).isEqualTo("running");
        studio.clock(studio.now().plus(Duration.ofMinutes(1)));
        assertThat(runs(studio, id).get(0).get("status").asText()).as("its node is alive: nobody takes it over")
                .isEqualTo("running");
        assertThat(studio.balance(members.get(2), "master")).isEqualTo(3);

        // The node dies: no heartbeat for 5 minutes.
        stopHeartbeats(studio);
        studio.clock(studio.now().plus(Duration.ofMinutes(1)));
        JsonNode resumed = finishedRuns(studio, id, 1);
        assertThat(resumed.get(0).get("fireKey").asText()).isEqualTo(runKey);
        assertThat(resumed.get(0).get("members").asInt()).isEqualTo(3);
        members.forEach(m -> assertThat(studio.balance(m, "master")).as("granted once").isEqualTo(3));

        Response retry = studio.api().post("/v1/automations/" + id + "/run", studio.owner(), json("tag", "team"),
                "run-1").expect(202);
        assertThat(retry.text("/fireKey")).as("a retry is the same run").isEqualTo(runKey);
        delivered(studio);
        assertThat(runs(studio, id)).hasSize(1);
        members.forEach(m -> assertThat(studio.balance(m, "master")).isEqualTo(3));
    }

    @Test
    void aBalanceFallingBelowTheThresholdNotifiesTheMemberOncePerFall() {
        StudioFixture studio = studio();
        PluginServers.enable(studio, FIXTURES, null);
        String id = automation(studio, Map.of("type", "balance_below", "threshold", 2),
                Map.of("type", "notify", "subject", "Running low", "text", "Time to top up, {name}."));
        String mia = studio.member("Mia");
        studio.grant(mia, 3);
        String yoga = studio.scheduler("Yoga", 1);
        Instant start = studio.now().plus(Duration.ofDays(2));
        for (int i = 0; i < 3; i++) {
            studio.book(mia, yoga, start.plus(Duration.ofHours(i))).expect(201);
        }

        finishedRuns(studio, id, 1);
        delivered(studio);
        JsonNode mail = studio.api().get("/v1/plugins/" + FIXTURES + "/notifications", studio.owner()).expect(200)
                .body().get("items");
        assertThat(mail).hasSize(1);
        assertThat(mail.get(0).get("text").asText()).isEqualTo("Time to top up, Mia.");
        assertThat(mail.get(0).get("memberId").asText()).isEqualTo(mia);
        assertThat(mail.get(0).get("kind").asText()).isEqualTo("automation");
        assertThat(runs(studio, id).get(0).get("reason").asText()).isEqualTo("balance 1 after held");
    }

    @Test
    void aPurchaseOfTheProductTagsTheBuyer() {
        StudioFixture studio = studio();
        String tenPack = studio.pack("10 pack", 10, "100.00");
        String fivePack = studio.pack("5 pack", 5, "55.00");
        automation(studio, Map.of("type", "purchase_completed", "productId", tenPack),
                Map.of("type", "add_tag", "tag", "customer"));
        String mia = studio.member("Mia");
        String ben = studio.member("Ben");
        studio.purchase(mia, tenPack).expect(201);
        studio.purchase(ben, fivePack).expect(201);

        eventually(() -> tags(studio, mia),
                tags -> tags.contains("customer"));
        delivered(studio);
        assertThat(tags(studio, ben))
                .doesNotContain("customer");
    }

    @Test
    void aLotEnteringTheWindowFiresOnceForItsMember() {
        StudioFixture studio = studio();
        String id = automation(studio, Map.of("type", "lot_expiring", "withinDays", 7),
                Map.of("type", "add_tag", "tag", "expiring"));
        String mia = studio.member("Mia");
        String ben = studio.member("Ben");
        Instant now = studio.now();
        studio.api().post("/v1/members/" + mia + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "add", "amount", 4, "expiresAt", now.plus(Duration.ofDays(10)).toString(),
                "reason", "trial")).expect(200);
        studio.api().post("/v1/members/" + ben + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "add", "amount", 4, "expiresAt", now.plus(Duration.ofDays(30)).toString(),
                "reason", "trial")).expect(200);

        studio.clock(now.plus(Duration.ofDays(2)));
        assertThat(runs(studio, id)).as("8 days left").isEmpty();
        studio.clock(now.plus(Duration.ofDays(4)));
        JsonNode runs = finishedRuns(studio, id, 1);
        assertThat(runs.get(0).get("reason").asText()).startsWith("4 credits of lot ");
        assertThat(tags(studio, mia))
                .containsExactly("expiring");

        studio.api().patch("/v1/members/" + mia, studio.owner(), json("tags", List.of())).expect(200);
        studio.clock(now.plus(Duration.ofDays(5)));
        assertThat(runs(studio, id)).as("once per lot").hasSize(1);
        assertThat(tags(studio, ben)).isEmpty();
    }

    @Test
    void aPausedAutomationDoesNotFireButRunsOnDemand() {
        StudioFixture studio = studio();
        String id = automation(studio, Map.of("type", "member_created"), grant(1));
        studio.api().post("/v1/automations/" + id + "/pause", studio.owner(), null).expect(200);
        String mia = studio.member("Mia");
        delivered(studio);
        assertThat(runs(studio, id)).isEmpty();
        assertThat(studio.api().get("/v1/automations/" + id, studio.owner()).body().get("paused").asBoolean())
                .isTrue();

        Response accepted = studio.api().post("/v1/automations/" + id + "/run", studio.owner(),
                json("memberIds", List.of(mia))).expect(202);
        assertThat(accepted.body().get("status").asText()).isEqualTo("running");
        assertThat(accepted.body().has("startedAt")).isTrue();
        assertThat(accepted.body().has("members")).isTrue();
        JsonNode run = finishedRuns(studio, id, 1).get(0);
        assertThat(run.get("reason").asText()).startsWith("run on demand by ");
        assertThat(studio.balance(mia, "master")).isEqualTo(1);
        studio.api().post("/v1/automations/" + id + "/run", studio.owner(), null).expect(422);

        studio.api().post("/v1/automations/" + id + "/resume", studio.owner(), null).expect(200);
        String ben = studio.member("Ben");
        finishedRuns(studio, id, 2);
        assertThat(studio.balance(ben, "master")).isEqualTo(1);
        assertThat(studio.balance(mia, "master")).isEqualTo(1);
        assertThat(studio.api().get("/v1/automations", studio.owner()).body().get("items")).hasSize(1);
    }

    @Test
    void aFailureThatMayPassIsRetriedLaterWithTheSameKeyAndGrantsOnce() {
        StudioFixture studio = studio();
        PluginServers.enable(studio, FIXTURES, Map.of("fail", Map.of("AutomationAction", "fail")));
        String mia = studio.member("Mia");
        String id = automation(studio, Map.of("type", "member_tagged", "tag", "unused"),
                Map.of("type", "fixture_grant", "amount", 2));
        String fireKey = studio.api().post("/v1/automations/" + id + "/run", studio.owner(),
                json("memberIds", List.of(mia))).expect(202).text("/fireKey");
        String path = "/v1/automations/" + id + "/runs/" + fireKey;
        JsonNode waiting = eventually(() -> studio.api().get(path, studio.owner()).expect(200).body(),
                run -> run.at("/results/items/0/status").asText().equals("retrying"));
        assertThat(waiting.get("status").asText()).as("open until the member is done").isEqualTo("running");
        assertThat(studio.balance(mia, "master")).isZero();

        // The plugin works again; the run's worker has stopped beating, so the run is resumed.
        PluginServers.enable(studio, FIXTURES, Map.of());
        eventually(() -> stopHeartbeats(studio), n -> n == 1);
        studio.clock(studio.now().plus(Duration.ofMinutes(1)));
        JsonNode finished = finishedRuns(studio, id, 1).get(0);
        assertThat(finished.get("members").asInt()).isEqualTo(1);
        assertThat(finished.get("failures").asInt()).isZero();
        assertThat(studio.balance(mia, "master")).isEqualTo(2);
    }

    @Test
    void automationsThatTagAndUntagEachOtherStopGoingRound() {
        StudioFixture studio = studio();
        String untag = automation(studio, Map.of("type", "member_tagged", "tag", "vip"),
                Map.of("type", "remove_tag", "tag", "vip"));
        String tag = automation(studio, Map.of("type", "member_untagged", "tag", "vip"),
                Map.of("type", "add_tag", "tag", "vip"));
        studio.member("Mia", "vip");
        // Ten runs each within the hour, then the guard holds; the outbox drains instead of growing for ever.
        finishedRuns(studio, untag, 10, Duration.ofSeconds(60));
        delivered(studio);
        assertThat(runs(studio, untag)).hasSize(10);
        assertThat(runs(studio, tag).size()).isBetween(9, 10);
    }

    @Test
    void listsArePagedWithCursors() {
        StudioFixture studio = studio();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(automation(studio, Map.of("type", "member_created"), grant(1)));
            studio.clock(studio.now().plusSeconds(1));
        }
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = studio.api().get("/v1/automations?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    studio.owner()).expect(200).body();
            page.get("items").forEach(a -> seen.add(a.get("id").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(ids);
        studio.api().get("/v1/automations?cursor=bm9wZQ", studio.owner()).expect(422);
        studio.api().get("/v1/automations?limit=501", studio.owner()).expect(422);

        studio.member("Mia");
        studio.member("Ben");
        studio.member("Ola");
        finishedRuns(studio, ids.get(0), 3);
        JsonNode first = studio.api().get("/v1/automations/" + ids.get(0) + "/runs?limit=2", studio.owner())
                .expect(200).body();
        assertThat(first.get("items")).hasSize(2);
        JsonNode rest = studio.api().get("/v1/automations/" + ids.get(0) + "/runs?limit=2&cursor="
                + first.get("next").asText(), studio.owner()).expect(200).body();
        assertThat(rest.get("items")).hasSize(1);
        assertThat(rest.get("next").isNull()).isTrue();
        assertThat(rest.get("items").get(0).get("fireKey").asText())
                .isNotIn(first.get("items").findValuesAsText("fireKey"));
    }

    @Test
    void badAutomationsAreRefusedNamingTheFieldAndOnlyStaffOfTheStudioSeeThem() {
        StudioFixture studio = studio();
        var api = studio.api();
        Response unknown = api.post("/v1/automations", studio.owner(), json("trigger", Map.of("type", "moon_phase"),
                "action", grant(1))).expect(422);
        assertThat(unknown.raw()).contains("trigger.type").contains("member_tagged").contains("schedule");
        Response bad = api.post("/v1/automations", studio.owner(), json("trigger", Map.of("type", "balance_below"),
                "action", Map.of("type", "grant_credits", "amount", 0))).expect(422);
        assertThat(bad.raw()).contains("trigger.threshold").contains("action.amount").contains("action.reason");
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        api.post("/v1/automations", studio.owner(), json("trigger", "member_created", "action", grant(1)))
                .expect(422);
        api.post("/v1/automations", studio.owner(), json("trigger", Map.of("type", "member_created"),
                "action", grant(1), "colour", "red")).expect(422);
        assertThat(api.post("/v1/automations", studio.owner(), json("trigger",
                Map.of("type", "member_tagged", "tag", " vip"), "action", grant(1))).expect(422).raw())
                .contains("trigger.tag");
        assertThat(api.post("/v1/automations", studio.owner(), json("trigger", Map.of("type", "member_created"),
                "action", Map.of("type", "grant_credits", "account", "prd_nope", "amount", 1, "reason", "x")))
                .expect(422).raw()).contains("action.account");
        Response never = api.post("/v1/automations", studio.owner(), json("trigger",
                Map.of("type", "schedule", "cron", "0 0 30 2 *"), "action", Map.of("type", "grant_credits",
                        "amount", 1, "validity", "P999999999Y", "reason", "x"))).expect(422);
        assertThat(never.raw()).contains("trigger.cron").contains("action.validity");
        assertThat(api.post("/v1/automations", studio.owner(), json("trigger", Map.of("type", "member_created"),
                "action", Map.of("type", "grant_credits", "amount", 1, "expiresAt", "2001-01-01T00:00:00Z",
                        "reason", "x"))).expect(422).raw()).contains("action.expiresAt");
        assertThat(api.get("/v1/automations", studio.owner()).body().get("items")).isEmpty();

        String id = automation(studio, Map.of("type", "member_created"), grant(1));
        api.post("/v1/automations/" + id + "/run", studio.owner(), "[1]").expect(400);
        api.post("/v1/automations/" + id + "/run", studio.owner(), "{bad").expect(400);
        assertThat(api.post("/v1/automations/" + id + "/run", studio.owner(), json("memberIds", List.of()))
                .expect(422).raw()).contains("memberIds");
        assertThat(runs(studio, id)).isEmpty();
        String untagged = automation(studio, Map.of("type", "member_untagged", "tag", "vip"), grant(1));
        assertThat(api.post("/v1/automations/" + untagged + "/run", studio.owner(), null).expect(422).raw())
                .as("those with the tag are not whom it is for").contains("memberIds");
        String athlete = studio.key("athlete", studio.member("Mia"));
        api.get("/v1/automations", athlete).expect(403);
        StudioFixture other = studio();
        other.api().get("/v1/automations/" + id, other.owner()).expect(404);
        other.api().post("/v1/automations/" + id + "/run", other.owner(), json("memberIds", List.of("x")))
                .expect(404);
        StudioFixture without = server.studio(true);
        without.api().get("/v1/automations", without.owner()).expect(404);
    }

    @Test
    void theAutomationsPageIsInTheDashboardOfStudiosThatEnabledThePlugin() {
        StudioFixture studio = studio();

        var pages = studio.api().get("/v1/dashboard/pages?language=de", studio.owner()).expect(200).body()
                .get("items");

        assertThat(pages).anySatisfy(page -> {
            assertThat(page.get("title").asText()).isEqualTo("Automationen");
            assertThat(page.get("module").asText()).isEqualTo("/dashboard/plugins/automations/automations.js");
        });
        assertThat(studio.api().get("/dashboard/plugins/automations/automations.js", null).expect(200).raw())
                .contains("export async function render(root, context)");
    }
}
