package dev.creditline.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A promotion to every athlete with a tag, two ways: {@code POST /v1/credits/bulk-grant} (500 members per
 * transaction) and an automation run on demand ({@code grant_credits}, one ledger grant per member, each recorded in
 * the run). Alternating rounds on fresh tags of the same members, so both see the same machine; each is timed until
 * it answered (bulk grant) or finished (run) and the listeners have all its journal entries (the automations plugin
 * is one). Then checked: every credit granted once.
 */
public final class Grants {
    private static final int CONNECTIONS = 16;

    private Grants() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI base = URI.create(args.text("url", null));
        int members = args.integer("members", 10_000);
        int rounds = args.integer("rounds", 3);
        List<Double> bulk = new ArrayList<>();
        List<Double> automation = new ArrayList<>();
        try (Api api = new Api(base, CONNECTIONS);
             Connection db = DriverManager.getConnection(args.text("jdbc", null))) {
            JsonObject studio = api.call(HttpMethod.POST, "/admin/studios", args.text("admin-token", null),
                    new JsonObject().put("name", "Grants").put("timezone", "Europe/Berlin").put("currency", "EUR"))
                    .expect(201).body();
            String owner = studio.getString("ownerKey");
            List<String> tags = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                tags.add("bulk-" + round);
                tags.add("auto-" + round);
            }
            // Before the plugin is on: its member events would otherwise still be delivered while measuring.
            createMembers(api, owner, members, tags);
            api.call(HttpMethod.PUT, "/v1/plugins/automations", owner, new JsonObject().put("enabled", true))
                    .expect(200);
            String id = api.call(HttpMethod.POST, "/v1/automations", owner, new JsonObject()
                    .put("name", "Promotion")
                    .put("trigger", new JsonObject().put("type", "member_tagged").put("tag", "never-set"))
                    .put("action", new JsonObject().put("type", "grant_credits").put("amount", 2)
                            .put("reason", "bench promotion"))).expect(201).body().getString("id");
            String studioId = studio.getString("id");
            drained(db, studioId);
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                int granted = api.call(HttpMethod.POST, "/v1/credits/bulk-grant", owner, new JsonObject()
                        .put("tag", "bulk-" + round).put("account", "master").put("amount", 2)
                        .put("reason", "bench promotion")).expect(200).body().getInteger("granted");
                drained(db, studioId);
                bulk.add(members / ((System.nanoTime() - start) / 1e9));
                check(granted == members, "bulk grant granted " + granted);

                start = System.nanoTime();
                String fireKey = api.call(HttpMethod.POST, "/v1/automations/" + id + "/run", owner,
                        new JsonObject().put("tag", "auto-" + round)).expect(202).body().getString("fireKey");
                JsonObject run;
                do {
                    Thread.sleep(100);
                    run = api.call(HttpMethod.GET, "/v1/automations/" + id + "/runs/" + fireKey + "?limit=1", owner,
                            null).expect(200).body();
                    check(run.getString("status") != null, "a run without a status: " + run.encode());
                } while (!run.getString("status").equals("finished"));
                drained(db, studioId);
                automation.add(members / ((System.nanoTime() - start) / 1e9));
                check(run.getInteger("members") == members && run.getInteger("failures") == 0,
                        "automation run: " + run.encode());
                System.out.printf("round %d: bulk grant %,.0f members/s, automation %,.0f members/s%n", round,
                        bulk.get(round), automation.get(round));
            }
            long credits = Sql.count(db, "SELECT coalesce(sum(delta), 0) FROM journal WHERE studio_id = ?",
                    studioId);
            check(credits == 2L * 2 * rounds * members, credits + " credits granted in " + rounds + " rounds");
        }
        double bulkMedian = median(bulk);
        double automationMedian = median(automation);
        String report = String.join("\n", List.of(
                "### Promotions to " + String.format("%,d", members) + " tagged athletes",
                "",
                "| way | members/s (median of " + rounds + ") | seconds for all |",
                "|---|---|---|",
                String.format("| bulk grant | %,.0f | %.1f |", bulkMedian, members / bulkMedian),
                String.format("| automation run | %,.0f | %.1f |", automationMedian, members / automationMedian),
                "",
                String.format("The automation run reaches %.0f%% of the bulk grant's rate.", 100 * automationMedian
                        / bulkMedian),
                ""));
        System.out.println(report);
        Files.writeString(Path.of(args.text("out", "bench/target/grants.md")), report);
    }

    /** The athletes, each with every tag (one fresh tag per way and round). */
    private static void createMembers(Api api, String owner, int members, List<String> tags) {
        Api.inWaves(members, 200, i -> api.send(HttpMethod.POST, "/v1/members", owner, new JsonObject()
                .put("name", "Athlete " + i).put("tags", new JsonArray(tags)), "grants-member-" + i))
                .forEach(answer -> answer.expect(201));
    }

    /**
     * Waits until the listeners (the automations plugin among them) have every journal entry: the grants' delivery
     * of one way does not run into the other's measurement.
     */
    private static void drained(Connection db, String studioId) throws Exception {
        while (Sql.count(db, "SELECT count(*) FROM outbox WHERE studio_id = ?", studioId) > 0) {
            Thread.sleep(100);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
