package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.jobs.ExpiryJob;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.store.ExpirySweep;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Expiry: test clocks run the sweep; the periodic sweep is idempotent and safe on several nodes at once. */
class ExpiryApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void movingATestClockExpiresDueLotsBeforeItAnswers() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        Instant now = studio.now();
        studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "add", "amount", 3, "expiresAt", now.plus(Duration.ofDays(10)).toString(),
                "reason", "trial")).expect(200);
        studio.grant(member, 2);

        studio.clock(now.plus(Duration.ofDays(10)));

        assertThat(studio.balance(member, "master")).isEqualTo(2);
        JsonNode expired = studio.log(member).get(0);
        assertThat(expired.get("type").asText()).isEqualTo("expired");
        assertThat(expired.get("delta").asText()).isEqualTo("-3");
        assertThat(expired.get("description").asText()).isEqualTo("Expired (unused)");
        assertThat(expired.get("actor").asText()).isEqualTo("system");
        assertThat(Instant.parse(expired.get("at").asText())).isEqualTo(now.plus(Duration.ofDays(10)));
        assertThat(studio.credits(member).at("/accounts/0/expirations/0/expired").intValue()).isEqualTo(3);

        studio.clock(now.plus(Duration.ofDays(11)));
        assertThat(studio.log(member)).as("a second sweep writes nothing").hasSize(3);
    }

    @Test
    void creditsReleasedInAnExpiredLotExpireAtOnce() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ivy");
        String scheduler = studio.scheduler("Yoga", 1);
        Instant now = studio.now();
        studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "add", "amount", 1, "expiresAt", now.plus(Duration.ofHours(1)).toString(),
                "reason", "trial")).expect(200);
        String booking = studio.book(member, scheduler, now.plus(Duration.ofDays(2))).expect(201).text("/id");
        studio.clock(now.plus(Duration.ofHours(2)));

        Response cancelled = studio.cancel(booking).expect(200);

        assertThat(cancelled.number("/refunded")).isZero();
        assertThat(studio.log(member)).extracting(e -> e.get("type").asText() + e.get("delta").asText()
                        + " by " + e.get("actor").asText())
                .startsWith("expired-1 by system", "released+1 by Owner", "held-1 by Owner");
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void aCancelToALotThatExpiredBeforeTheSweepExpiresOnlyTheCreditsItReturns() throws Exception {
        server.awaitFirstSweep();
        StudioFixture studio = server.studio(false);
        String member = studio.member("Uma");
        String scheduler = studio.scheduler("Yoga", 1);
        Instant now = studio.now();
        studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "add", "amount", 3, "expiresAt", now.plus(Duration.ofHours(1)).toString(),
                "reason", "trial")).expect(200);
        String booking = studio.book(member, scheduler, now.plus(Duration.ofDays(2))).expect(201).text("/id");
        // The server's time passes the lot's expiry; the periodic sweep has not run yet.
        server.clock().advance(Duration.ofHours(2));

        Response cancelled = studio.cancel(booking).expect(200);

        assertThat(cancelled.number("/refunded")).isZero();
        assertThat(studio.log(member)).extracting(e -> e.get("type").asText() + e.get("delta").asText())
                .startsWith("expired-1", "released+1", "held-1");
        assertThat(server.probe().number("SELECT remaining FROM lots WHERE studio_id = ? AND member_id = ?",
                studio.id(), member)).as("the two unused credits wait for the sweep").isEqualTo(2);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void thePeriodicSweepTakesATestStudiosTimeFromItsClock() throws Exception {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Jon");
        Instant now = studio.now();
        for (Duration validFor : List.of(Duration.ofHours(1), Duration.ofDays(5))) {
            studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", "master",
                    "mode", "add", "amount", 1, "expiresAt", now.plus(validFor).toString(), "reason", "trial"))
                    .expect(200);
        }
        // The clock moved without its sweep (a request raced the move): one lot is due on the studio's clock.
        // (A constant: Citus refuses an update computing a time from the row's own.)
        server.probe().tryExecute("UPDATE studios SET clock_now = '" + now.plus(Duration.ofHours(2))
                + "' WHERE id = '" + studio.id() + "'");

        server.clock().advance(Duration.ofDays(30));
        try {
            server.component().expiryJob().runOnce().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } finally {
            server.clock().advance(Duration.ofDays(-30));
        }

        assertThat(studio.balance(member, "master")).as("the 5-day lot is valid on the studio's clock").isEqualTo(1);
        assertThat(server.probe().number("SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'expired'",
                studio.id())).isEqualTo(1);
    }

    @Test
    void testClocksMoveForwardOnlyAndOnlyInTestMode() {
        StudioFixture test = server.studio(true);
        StudioFixture live = server.studio(false);

        assertThat(test.api().post("/v1/clock", test.owner(), json("now", test.now().minusSeconds(1).toString()))
                .status()).isEqualTo(422);
        assertThat(live.api().post("/v1/clock", live.owner(), json("now", "2030-01-01T00:00:00Z")).status())
                .isEqualTo(409);
    }

    @Test
    void thePeriodicSweepExpiresRealTimeStudiosOnceEvenWithTwoNodesSweeping() throws Exception {
        StudioFixture studio = server.studio(false);
        Instant now = server.clock().instant();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String member = studio.member("M" + i);
            members.add(member);
            studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", "master",
                    "mode", "add", "amount", 2, "expiresAt", now.plus(Duration.ofHours(1)).toString(),
                    "reason", "trial")).expect(200);
        }
        server.clock().advance(Duration.ofHours(2));

        // Two sweepers at once, as on two kernel nodes, and the kernel's own job.
        var pool = server.component().pool();
        var distribution = new dev.creditline.store.citus.Distribution();
        distribution.detect(pool).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ExpirySweep sweep = new ExpirySweep(new dev.creditline.store.LotRepository(distribution),
                new dev.creditline.store.JournalRepository(dev.creditline.store.OutboxPolicy.NONE));
        Instant later = server.clock().instant();
        var first = sweep.sweepBatch(pool, later, 7);
        var second = sweep.sweepBatch(pool, later, 7);
        first.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        second.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        ExpiryJob job = server.component().expiryJob();
        job.runOnce().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        for (String member : members) {
            assertThat(studio.balance(member, "master")).isZero();
        }
        assertThat(server.probe().number("SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'expired'",
                studio.id())).isEqualTo(30);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }
}
