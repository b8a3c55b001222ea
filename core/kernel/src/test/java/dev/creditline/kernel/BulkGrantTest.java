package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/credits/bulk-grant}: one grant per member with the tag, also after a retry or a crash halfway. */
class BulkGrantTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @AfterEach
    void noFaults() {
        server.faults().clear();
    }

    /** Members with the tag (and some without, and an erased one with it), written straight into the table. */
    private static void members(StudioFixture studio, int tagged) {
        assertThat(server.probe().tryExecute("""
                INSERT INTO members (studio_id, id, name, tags, created_at, updated_at)
                SELECT '%1$s', 'mem_bulk_' || g, 'Junior ' || g, ARRAY['juniors'], now(), now()
                FROM generate_series(1, %2$d) g;
                INSERT INTO members (studio_id, id, name, tags, created_at, updated_at)
                SELECT '%1$s', 'mem_other_' || g, 'Senior ' || g, ARRAY['seniors'], now(), now()
                FROM generate_series(1, 50) g;
                INSERT INTO members (studio_id, id, name, tags, created_at, updated_at, deleted_at)
                VALUES ('%1$s', 'mem_gone', NULL, ARRAY['juniors'], now(), now(), now());"""
                .formatted(studio.id(), tagged))).isNull();
    }

    private static Response bulk(StudioFixture studio, String key, int amount) {
        return studio.api().post("/v1/credits/bulk-grant", studio.owner(), json("tag", "juniors",
                "account", "master", "amount", amount, "reason", "summer camp"), key);
    }

    private static long grants(StudioFixture studio) {
        return server.probe().number("SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'granted'",
                studio.id());
    }

    @Test
    void tenThousandMembersGetOneGrantEachAndARetryGrantsNothingMore() {
        StudioFixture studio = server.studio(false);
        members(studio, 10_000);

        Response granted = bulk(studio, "camp-2026", 2).expect(200);
        Response retried = bulk(studio, "camp-2026", 2).expect(200);

        assertThat(granted.number("/granted")).isEqualTo(10_000);
        assertThat(retried.number("/granted")).isEqualTo(10_000);
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(grants(studio)).isEqualTo(10_000);
        assertThat(server.probe().number("SELECT count(DISTINCT member_id) FROM journal WHERE studio_id = ?"
                + " AND type = 'granted' AND member_id LIKE 'mem_bulk_%'", studio.id())).isEqualTo(10_000);
        assertThat(studio.balance("mem_bulk_77", "master")).isEqualTo(2);
        assertThat(studio.balance("mem_other_7", "master")).isZero();
        Response misused = bulk(studio, "camp-2026", 3);
        assertThat(misused.status()).isEqualTo(422);
        assertThat(misused.text("/errors/0/field")).isEqualTo("Idempotency-Key");
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyAllAnswerTheOneResult() throws Exception {
        StudioFixture studio = server.studio(false);
        members(studio, 2_500);
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(clients.submit(() -> bulk(studio, "camp-race", 1)));
            }
            for (Future<Response> answer : answers) {
                Response response = answer.get(60, TimeUnit.SECONDS);
                assertThat(response.status()).as(response.raw()).isEqualTo(200);
                assertThat(response.number("/granted")).isEqualTo(2_500);
                assertThat(response.text("/id")).isEqualTo(answers.get(0).get().text("/id"));
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(grants(studio)).isEqualTo(2_500);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void aBulkGrantThatCrashedHalfwayResumesOnRetryAndGrantsNobodyTwice() {
        StudioFixture studio = server.studio(false);
        members(studio, 2_200);
        // Two chunks commit, the third fails: as if the server died in the middle.
        server.faults().failAfter("bulk-chunk", 2);

        Response crashed = bulk(studio, "camp-crash", 1);

        assertThat(crashed.status()).isGreaterThanOrEqualTo(500);
        assertThat(grants(studio)).isEqualTo(1_000);
        server.faults().clear();
        Response resumed = bulk(studio, "camp-crash", 1).expect(200);
        assertThat(resumed.number("/granted")).isEqualTo(2_200);
        assertThat(grants(studio)).isEqualTo(2_200);
        assertThat(server.probe().number("SELECT max(n) FROM (SELECT count(*) AS n FROM journal WHERE studio_id = ?"
                + " AND type = 'granted' GROUP BY member_id) per_member", studio.id())).isEqualTo(1);
    }

    @Test
    void aBulkGrantNamesWhatIsWrongWithIt() {
        StudioFixture studio = server.studio(false);
        Response bad = studio.api().post("/v1/credits/bulk-grant", studio.owner(), json("account", "master",
                "amount", 0, "reason", "x"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().get("errors").findValuesAsText("field")).contains("tag", "amount");
        Response unknown = studio.api().post("/v1/credits/bulk-grant", studio.owner(), json("tag", "juniors",
                "account", "prd_unknown", "amount", 1, "reason", "x"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(studio.api().post("/v1/credits/bulk-grant", studio.key("athlete", studio.member("Mia")),
                json("tag", "juniors", "amount", 1, "reason", "x")).status()).isEqualTo(403);
    }
}
