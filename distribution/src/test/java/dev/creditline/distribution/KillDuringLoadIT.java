package dev.creditline.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.distribution.BookingLoad.Sent;
import dev.creditline.distribution.ServerProcesses.Server;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.LedgerProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of the server in the middle of a booking load, then a restart: what committed is whole, what did
 * not left no trace, and every request, retried with its key, takes effect exactly once.
 */
class KillDuringLoadIT {
    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void aServerKilledUnderLoadLeavesTheLedgerWholeAndEveryKeyAppliedOnce() throws Exception {
        DatabaseUrl database = servers.database();
        Server first = servers.start(database, Map.of());
        ApiClient api = first.api();
        BookingLoad.Gym gym = BookingLoad.gym(api, "Killed", 20, 40);
        String owner = gym.owner();
        String scheduler = gym.scheduler();
        List<String> members = gym.members();
        BookingLoad load = new BookingLoad(List.of(api), owner, members, scheduler,
                Instant.now().plus(Duration.ofDays(7))).start(16);
        while (load.sent().stream().filter(s -> s.status() == 201).count() < 200) {
            Thread.sleep(50);
        }

        first.kill();
        List<Sent> sent = load.stop();
        Server second = servers.start(database, Map.of());

        LedgerProbe probe = new LedgerProbe(database);
        assertThat(probe.journalMismatches()).as("lots against their journal").isEmpty();
        assertThat(probe.bookingMismatches()).as("bookings against allocations and entries").isEmpty();
        assertThat(probe.appliedTwice()).isEmpty();
        assertThat(sent).filteredOn(s -> s.status() == 0).as("requests cut off by the kill").isNotEmpty();

        // Every request again, with its key: an answered one replays its answer, a cut-off one applies now or
        // replays what committed before the kill; none applies twice.
        ApiClient restarted = second.api();
        for (Sent request : sent) {
            Response again = restarted.post(request.path(), owner, request.body(), request.key());
            if (request.status() != 0) {
                assertThat(again.status()).as("replay of %s", request.key()).isEqualTo(request.status());
                assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
                if (request.bookingId() != null) {
                    assertThat(again.text("/id")).isEqualTo(request.bookingId());
                }
            } else {
                assertThat(again.status()).as("retry of %s", request.key()).isIn(200, 201, 409);
            }
        }
        assertThat(probe.journalMismatches()).isEmpty();
        assertThat(probe.bookingMismatches()).isEmpty();
        assertThat(probe.appliedTwice()).isEmpty();
        assertThat(probe.number("SELECT count(*) FROM lots WHERE remaining < 0 OR remaining > quantity")).isZero();
    }

    @Test
    void aServerKilledWhileHoldsPostLeavesEachPostedOnce() throws Exception {
        DatabaseUrl database = servers.database();
        Map<String, String> env = Map.of("CREDITLINE_CONFIG", servers.config("""
                ledger:
                  expirySweepInterval: PT1S
                """).toString());
        Server first = servers.start(database, env);
        ApiClient api = first.api();
        var created = api.post("/admin/studios", ServerProcesses.ADMIN_TOKEN, ApiClient.json("name", "Holds",
                "timezone", "Europe/Berlin", "currency", "EUR", "testMode", true)).expect(201);
        String owner = created.text("/ownerKey");
        String studio = created.text("/id");
        String scheduler = api.post("/v1/schedulers", owner, ApiClient.json("name", "Yoga", "creditCost", 1,
                "paymentMode", "credits", "cancellationWindow", "PT1H")).expect(201).text("/id");
        Instant now = Instant.parse(api.get("/v1/clock", owner).expect(200).text("/now"));
        int bookings = 0;
        for (int m = 0; m < 40; m++) {
            String member = api.post("/v1/members", owner, ApiClient.json("name", "Athlete " + m)).expect(201)
                    .text("/id");
            api.post("/v1/members/" + member + "/credits/adjust", owner, ApiClient.json("account", "master",
                    "mode", "add", "amount", 20, "reason", "test")).expect(200);
            for (int c = 0; c < 20; c++) {
                api.post("/v1/bookings", owner, ApiClient.json("memberId", member, "schedulerId", scheduler,
                        "startsAt", now.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(c)).toString())).expect(201);
                bookings++;
            }
        }
        LedgerProbe probe = new LedgerProbe(database);
        String posted = "SELECT count(*) FROM bookings WHERE studio_id = ? AND posted_at IS NOT NULL";

        // The clock passes every window: the holds post in batches; the server dies once the first have.
        Thread mover = new Thread(() -> {
            try {
                api.post("/v1/clock", owner, ApiClient.json("now", now.plus(Duration.ofDays(3)).toString()));
            } catch (RuntimeException cutOff) {
                // the kill answers it
            }
        });
        mover.start();
        Instant deadline = Instant.now().plusSeconds(30);
        while (probe.number(posted, studio) == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(2);
        }
        first.kill();
        mover.join();
        long postedAtKill = probe.number(posted, studio);
        assertThat(postedAtKill).as("posting had begun").isPositive();
        assertThat(probe.journalMismatches()).isEmpty();
        assertThat(probe.bookingMismatches()).isEmpty();

        // The restarted server's sweep posts the rest (the clock moved before the kill), each hold once.
        servers.start(database, env);
        int all = bookings;
        Instant until = Instant.now().plusSeconds(60);
        while (probe.number(posted, studio) < all && Instant.now().isBefore(until)) {
            Thread.sleep(200);
        }
        assertThat(probe.number(posted, studio)).as("posted at the kill: %d", postedAtKill).isEqualTo(all);
        assertThat(probe.number("SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'redeemed'", studio))
                .as("one post per booking").isEqualTo(all);
        assertThat(probe.journalMismatches()).isEmpty();
        assertThat(probe.bookingMismatches()).isEmpty();
    }
}
