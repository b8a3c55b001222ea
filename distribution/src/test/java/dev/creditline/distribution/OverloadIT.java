package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.distribution.ServerProcesses.Server;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.LedgerProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Far more clients than database connections: every request is answered (served after a wait, or refused at once
 * with 503, problem+json and Retry-After), none hangs, the server's memory stays within bounds, and it serves
 * normally afterwards.
 */
class OverloadIT {
    private static final int CLIENTS = 400;
    private static final int REQUESTS_EACH = 8;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void moreClientsThanConnectionsAreServedOrRefusedNeverLeftHanging() throws Exception {
        DatabaseUrl database = servers.database();
        // Two connections: 128 requests may wait for them, the rest are refused.
        Path config = servers.config("database:\n  poolSize: 2\n");
        Server server = servers.start(database, Map.of("CREDITLINE_CONFIG", config.toString(),
                "JAVA_OPTS", "-Xms64m -Xmx256m"));
        ApiClient api = server.api();
        BookingLoad.Gym gym = BookingLoad.gym(api, "Busy", 40, 1000);
        String owner = gym.owner();
        String scheduler = gym.scheduler();
        List<String> members = gym.members();
        String startsAt = Instant.now().plus(Duration.ofDays(7)).toString();

        ConcurrentLinkedQueue<Response> answers = new ConcurrentLinkedQueue<>();
        AtomicLong unanswered = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicLong peakRssKiB = new AtomicLong();
        var sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peakRssKiB.accumulateAndGet(rssKiB(server), Math::max), 0, 200,
                TimeUnit.MILLISECONDS);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                for (int n = 0; n < REQUESTS_EACH; n++) {
                    String member = members.get(ThreadLocalRandom.current().nextInt(members.size()));
                    try {
                        answers.add(n % 3 == 2
                                ? api.get("/v1/members/" + member + "/credits", owner)
                                : api.post("/v1/bookings", owner, json("memberId", member, "schedulerId", scheduler,
                                        "startsAt", startsAt), "busy-" + client + "-" + n));
                    } catch (RuntimeException e) {
                        if (unanswered.incrementAndGet() == 1) {
                            firstFailure.set(e);
                        }
                    }
                }
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).as("every client finished").isTrue();
        sampler.shutdownNow();

        assertThat(unanswered.get()).as("requests without an answer, first: %s", firstFailure.get()).isZero();
        assertThat(answers).hasSize(CLIENTS * REQUESTS_EACH);
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isIn(200, 201, 503));
        List<Response> refused = answers.stream().filter(r -> r.status() == 503).toList();
        assertThat(refused).as("refused").isNotEmpty().allSatisfy(r -> {
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(r.header("Retry-After")).isNotNull();
        });
        assertThat(answers).filteredOn(r -> r.status() == 201).as("booked").isNotEmpty();
        // The heap is capped at 256 MiB; the process as a whole stays within a bound an operator can plan for.
        assertThat(peakRssKiB.get() / 1024).as("peak RSS in MiB").isLessThan(640);

        LedgerProbe probe = new LedgerProbe(database);
        assertThat(probe.journalMismatches()).isEmpty();
        assertThat(probe.bookingMismatches()).isEmpty();
        assertThat(api.get("/health", null).status()).isEqualTo(200);
        assertThat(api.post("/v1/bookings", owner, json("memberId", members.get(0), "schedulerId", scheduler,
                "startsAt", startsAt), "after-the-storm").status()).isEqualTo(201);
    }

    private static long rssKiB(Server server) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + server.process().pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // the process is gone; nothing to sample
        }
        return 0;
    }
}
