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
}
