package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.distribution.ServerProcesses.Server;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.LedgerProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two kernel processes on different ports against one database, under concurrent load on the same athletes: no
 * overdraw, each lot expired once, each journal entry delivered once to the studio's ledger listener; and each
 * process sweeps and delivers on its own when the other is gone; and a scheduled automation that both see fall due
 * fires once.
 */
class TwoNodesIT {
    private static final String FIXTURES = "test-fixtures";

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    private DatabaseUrl database;
    private Path home;
    private Map<String, String> env;
    private LedgerProbe probe;
    private String owner;
    private String studio;

    @Test
    void twoProcessesShareTheLedgerAndItsBackgroundWork() throws Exception {
        database = servers.database();
        probe = new LedgerProbe(database);
        try (var jars = Files.list(PluginServers.PLUGINS)) {
            home = servers.installation(jars.filter(jar -> jar.getFileName().toString().contains(FIXTURES)).toList());
        }
        // Both sweep every second, and every studio has the test plugin's ledger listener.
        env = Map.of("CREDITLINE_CONFIG", servers.config("""
                ledger:
                  expirySweepInterval: PT1S
                plugins:
                  defaults:
                    test-fixtures:
                      enabled: true
                """).toString());
        Server a = servers.start(home, database, env);
        Server b = servers.start(home, database, env);
        ApiClient api = a.api();
        var created = api.post("/admin/studios", ServerProcesses.ADMIN_TOKEN, json("name", "Two nodes",
                "timezone", "Europe/Berlin", "currency", "EUR")).expect(201);
        owner = created.text("/ownerKey");
        studio = created.text("/id");
        String scheduler = api.post("/v1/schedulers", owner, json("name", "Open Gym", "creditCost", 1,
                "paymentMode", "credits", "cancellationWindow", "PT1H")).expect(201).text("/id");
        List<String> athletes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String member = member(i % 2 == 0 ? a : b, "Athlete " + i);
            grant(i % 2 == 0 ? a : b, member, 10, null);
            athletes.add(member);
        }
        // Lots that fall due while both run: the members first, so that the grants fit before the due time even
        // on a busy machine (a grant expiring in the past is refused).
        List<String> expiring = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expiring.add(member(a, "Expiring " + i));
        }
        // Far enough ahead that the grants fit before it on a slow machine; the sweep waits below allow for it.
        Instant due = Instant.now().plusSeconds(30);
        for (int i = 0; i < 30; i++) {
            grant(i % 2 == 0 ? a : b, expiring.get(i), 3, due);
        }
        // Bookings whose cancellation window closes then too: their holds post while both sweep, each once.
        for (int i = 0; i < 10; i++) {
            Server via = i % 2 == 0 ? a : b;
            String member = member(via, "Holding " + i);
            grant(via, member, 2, null);
            via.api().post("/v1/bookings", owner, json("memberId", member, "schedulerId", scheduler,
                    "startsAt", due.plus(Duration.ofHours(1)).toString())).expect(201);
        }

        BookingLoad load = new BookingLoad(List.of(a.api(), b.api()), owner, athletes, scheduler,
                Instant.now().plus(Duration.ofDays(7))).start(16);
        // Until the athletes ran out and enough went through (a busy machine answers slower; the count is what counts).
        await(() -> load.sent().stream().filter(s -> s.status() == 201).count() > 40
                && load.sent().stream().anyMatch(s -> s.status() == 409), "the load ran the athletes out");
        List<BookingLoad.Sent> sent = load.stop();

        assertThat(sent).filteredOn(s -> s.status() == 201).hasSizeGreaterThan(40);
        assertThat(sent).filteredOn(s -> s.status() == 409).as("athletes ran out").isNotEmpty();
        assertThat(sent).allSatisfy(s -> assertThat(s.status()).isIn(200, 201, 409));
        // No athlete holds more booked classes than the ten credits they were given.
        assertThat(probe.number("SELECT count(*) FROM (SELECT member_id FROM bookings WHERE studio_id = ?"
                + " AND status = 'booked' GROUP BY member_id HAVING sum(cost) > 10) overdrawn", studio)).isZero();
        awaitExpired(30);
        await(() -> probe.number("SELECT count(*) FROM bookings WHERE studio_id = ? AND status = 'booked'"
                + " AND cost > 0 AND posted_at IS NULL AND cancel_by < now()", studio) == 0, "due holds posted");
        assertThat(probe.number("SELECT count(*) FROM journal j JOIN members m ON m.studio_id = j.studio_id"
                + " AND m.id = j.member_id WHERE j.studio_id = ? AND m.name LIKE 'Holding %' AND j.type = 'redeemed'",
                studio)).as("each hold posted once").isEqualTo(10);
        awaitDelivered();
        assertLedgerWhole();

        // Each process on its own: A sweeps and delivers while B is stopped, and then the other way round.
        servers.stop(b);
        grant(a, member(a, "Only A"), 2, Instant.now().plusSeconds(2));
        awaitExpired(31);
        awaitDelivered();
        Server b2 = servers.start(home, database, env);
        servers.stop(a);
        grant(b2, member(b2, "Only B"), 2, Instant.now().plusSeconds(2));
        awaitExpired(32);
        awaitDelivered();
        assertLedgerWhole();
    }

    @Test
    void aScheduledAutomationFiresOnceAlthoughBothProcessesLookForDueWork() throws Exception {
        database = servers.database();
        probe = new LedgerProbe(database);
        try (var jars = Files.list(PluginServers.PLUGINS)) {
            home = servers.installation(jars.filter(jar -> jar.getFileName().toString().contains("automations"))
                    .toList());
        }
        // Both look for due work every second.
        env = Map.of("CREDITLINE_CONFIG", servers.config("""
                ledger:
                  expirySweepInterval: PT1S
                plugins:
                  defaults:
                    automations:
                      enabled: true
                """).toString());
        Server a = servers.start(home, database, env);
        Server b = servers.start(home, database, env);
        var created = a.api().post("/admin/studios", ServerProcesses.ADMIN_TOKEN, json("name", "Two nodes",
                "timezone", "Europe/Berlin", "currency", "EUR")).expect(201);
        owner = created.text("/ownerKey");
        studio = created.text("/id");
        for (int i = 0; i < 60; i++) {
            (i % 2 == 0 ? a : b).api().post("/v1/members", owner, json("name", "Athlete " + i,
                    "tags", List.of("regulars"))).expect(201);
        }
        java.time.ZonedDateTime due = java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Berlin"))
                .plusSeconds(4).withNano(0);
        String automation = a.api().post("/v1/automations", owner, json("name", "Daily bonus",
                "trigger", Map.of("type", "schedule", "every", "P1D", "at", due.toLocalTime().toString(),
                        "startsOn", due.toLocalDate().toString(), "tag", "regulars"),
                "action", Map.of("type", "grant_credits", "amount", 1, "reason", "daily bonus"))).expect(201)
                .text("/id");

        await(() -> probe.number("SELECT count(*) FROM plugin_automations.runs WHERE studio_id = ?"
                + " AND finished_at IS NOT NULL", studio) == 1, "the run finished");
        Thread.sleep(2000);
        assertThat(probe.number("SELECT count(*) FROM plugin_automations.runs WHERE studio_id = ?", studio))
                .as("one run for the due time").isEqualTo(1);
        assertThat(probe.number("SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'granted'", studio))
                .isEqualTo(60);
        assertThat(probe.number("SELECT count(DISTINCT member_id) FROM journal WHERE studio_id = ?"
                + " AND type = 'granted'", studio)).as("one grant per member").isEqualTo(60);
        var runs = b.api().get("/v1/automations/" + automation + "/runs", owner).expect(200).body().get("items");
        assertThat(runs.get(0).get("members").asInt()).isEqualTo(60);
        assertLedgerWhole();
    }

    private String member(Server server, String name) {
        return server.api().post("/v1/members", owner, json("name", name)).expect(201).text("/id");
    }

    private void grant(Server server, String member, int credits, Instant expiresAt) {
        var body = json("account", "master", "mode", "add", "amount", credits, "reason", "test");
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        server.api().post("/v1/members/" + member + "/credits/adjust", owner, body).expect(200);
    }

    /** Waits until no lot is due and the expected number of lots expired, each once. */
    private void awaitExpired(int lots) throws InterruptedException {
        await(() -> probe.number("SELECT count(DISTINCT lot_id) FROM journal WHERE studio_id = ?"
                + " AND type = 'expired'", studio) >= lots, lots + " lots expired");
        assertThat(probe.number("SELECT count(*) FROM lots WHERE studio_id = ? AND remaining > 0"
                + " AND expires_at <= now()", studio)).as("lots still due").isZero();
        assertThat(probe.number("SELECT count(DISTINCT lot_id) FROM journal WHERE studio_id = ? AND type = 'expired'",
                studio)).isEqualTo(lots);
        assertThat(probe.number("SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'expired'", studio))
                .as("one expired entry per lot").isEqualTo(lots);
    }

    /** Waits until the outbox is empty, then checks every entry reached the listener exactly once. */
    private void awaitDelivered() throws InterruptedException {
        await(() -> probe.number("SELECT count(*) FROM outbox WHERE studio_id = ?", studio) == 0, "outbox drained");
        assertThat(probe.number("SELECT count(*) FROM plugin_test_fixtures.received WHERE studio_id = ?", studio))
                .isEqualTo(probe.number("SELECT count(*) FROM journal WHERE studio_id = ?", studio));
        assertThat(probe.number("SELECT count(*) FROM plugin_test_fixtures.received WHERE studio_id = ?"
                + " AND deliveries <> 1", studio)).isZero();
    }

    private void assertLedgerWhole() {
        assertThat(probe.journalMismatches()).isEmpty();
        assertThat(probe.bookingMismatches()).isEmpty();
        assertThat(probe.appliedTwice()).isEmpty();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(200);
        }
    }
}
