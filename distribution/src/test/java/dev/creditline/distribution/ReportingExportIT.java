package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.distribution.ServerProcesses.Server;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.LedgerProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A journal of a million entries exports as CSV from a server whose heap is far smaller than the export: the rows
 * are streamed from a database cursor to the socket, never held.
 */
class ReportingExportIT {
    private static final int ENTRIES = Integer.getInteger("creditline.it.exportEntries", 1_000_000);

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void aMillionEntriesStreamThroughA96MegabyteHeap() throws Exception {
        DatabaseUrl database = servers.database();
        Server server = servers.start(database, Map.of("JAVA_OPTS", "-Xmx96m"));
        ApiClient api = server.api();
        var studio = api.post("/admin/studios", ServerProcesses.ADMIN_TOKEN, json("name", "Long history",
                "timezone", "Europe/Berlin", "currency", "EUR")).expect(201);
        String owner = studio.text("/ownerKey");
        String studioId = studio.text("/id");
        api.send("PUT", "/v1/plugins/reporting", owner, json("enabled", true), Map.of()).expect(200);
        String member = api.post("/v1/members", owner, json("name", "Mia")).expect(201).text("/id");
        api.post("/v1/members/" + member + "/credits/adjust", owner, json("account", "master", "mode", "add",
                "amount", 1, "reason", "history")).expect(200);
        LedgerProbe probe = new LedgerProbe(database);
        String lot = probe.text("SELECT id FROM lots WHERE studio_id = ?", studioId);
        // The history, written straight into the journal (it is append-only, so this is how it grows).
        assertThat(probe.tryExecute("""
                INSERT INTO journal (studio_id, member_id, account, lot_id, type, delta, balance_after, description,
                                     actor, at)
                SELECT '%s', '%s', 'master', '%s', 'granted', 1, g, 'Granted 1 credit, a long time ago', 'history',
                       now() - interval '1 day'
                FROM generate_series(1, %d) g""".formatted(studioId, member, lot, ENTRIES))).isNull();

        HttpResponse<Stream<String>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/reports/credits.csv"))
                        .header("Authorization", "Bearer " + owner).timeout(Duration.ofMinutes(5)).build(),
                        HttpResponse.BodyHandlers.ofLines());
        AtomicLong lines = new AtomicLong();
        AtomicLong granted = new AtomicLong();
        try (Stream<String> body = response.body()) {
            body.forEach(line -> {
                lines.incrementAndGet();
                if (line.contains(",granted,")) {
                    granted.incrementAndGet();
                }
            });
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(lines.get()).as("the header and every entry").isEqualTo(ENTRIES + 2);
        assertThat(granted.get()).isEqualTo(ENTRIES + 1);
        assertThat(server.process().isAlive()).isTrue();
        assertThat(server.output()).doesNotContain("OutOfMemoryError");
        assertThat(api.get("/health", null).status()).isEqualTo(200);
    }
}
