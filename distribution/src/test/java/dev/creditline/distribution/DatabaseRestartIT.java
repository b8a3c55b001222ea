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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL restarted under booking load: while it is away the server answers at once with 503, problem+json and
 * Retry-After (never a hang, never a 500), and once it is back the server serves again by itself, without a restart.
 * Requests refused meanwhile, retried with their keys, apply exactly once.
 */
class DatabaseRestartIT {
    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    private PrivatePostgres postgres;

    @AfterEach
    void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void whileTheDatabaseIsAwayRequestsGet503AndTheServerRecoversByItself() throws Exception {
        postgres = PrivatePostgres.start();
        DatabaseUrl database = postgres.url("creditline_restart");
        Server server = servers.start(database, Map.of());
        ApiClient api = server.api();
        BookingLoad.Gym gym = BookingLoad.gym(api, "Restarted", 20, 1000);
        String owner = gym.owner();
        String scheduler = gym.scheduler();
        List<String> members = gym.members();
        Instant startsAt = Instant.now().plus(Duration.ofDays(7));
        BookingLoad load = new BookingLoad(List.of(api), owner, members, scheduler, startsAt).start(8);
        waitFor(() -> count(load.sent(), 201) >= 100, "bookings before the restart");

        postgres.stop();
        waitFor(() -> count(load.sent(), 503) >= 50, "refusals while the database is away");
        int outageFrom = load.sent().size();
        Response health = api.get("/health", null);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(health.header("Retry-After")).isNotNull();

        Thread.sleep(1000);
        int outageTo = load.sent().size();
        postgres.startAgain();
        int sentBeforeRecovery = load.sent().size();
        waitFor(() -> {
            List<Sent> sofar = load.sent();
            return count(sofar.subList(sentBeforeRecovery, sofar.size()), 201) >= 50;
        }, "bookings after the database came back");
        List<Sent> sent = load.stop();

        assertThat(sent).extracting(Sent::status).as("every request answered, with a status of the contract")
                .allMatch(status -> status == 201 || status == 200 || status == 409 || status == 503);
        List<Sent> refused = sent.stream().filter(s -> s.status() == 503).toList();
        assertThat(refused).allSatisfy(s -> {
            assertThat(s.contentType()).isEqualTo("application/problem+json");
            assertThat(s.retryAfter()).isNotNull();
        });
        assertThat(sent.subList(outageFrom, outageTo)).as("answers while the database was away")
                .isNotEmpty().extracting(Sent::status).containsOnly(503);
        assertThat(api.get("/health", null).status()).isEqualTo(200);
        assertThat(server.process().isAlive()).isTrue();

        // The refused requests again, with their keys: each applies now, once.
        for (Sent request : refused) {
            assertThat(api.post(request.path(), owner, request.body(), request.key()).status())
                    .as("retry of %s", request.key()).isIn(200, 201, 409);
        }
        LedgerProbe probe = new LedgerProbe(database);
        assertThat(probe.journalMismatches()).as("lots against their journal").isEmpty();
        assertThat(probe.bookingMismatches()).as("bookings against allocations and entries").isEmpty();
        assertThat(probe.appliedTwice()).isEmpty();
    }

    private static long count(List<Sent> sent, int status) {
        return sent.stream().filter(s -> s.status() == status).count();
    }

    private static void waitFor(Supplier<Boolean> condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
