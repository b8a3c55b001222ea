package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.testkit.FreshDatabase;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.Concurrently;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bookings of a studio on real time commit in batches when they come together: each request still gets its own
 * answer, exactly as alone: no overdraw, refusals for the request that earned them, one booking per key.
 */
class BatchBookingTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static final Instant CLASS = Instant.now().plus(Duration.ofDays(3));

    @Test
    void concurrentBookingsShareCommitsAndNeverOverdraw() throws Exception {
        StudioFixture studio = server.studio(false);
        String scheduler = studio.scheduler("Open Gym", 1);
        List<String> members = athletes(studio, 10, 3);

        // Four requests per athlete holding three credits, all at once.
        List<Response> answers = Concurrently.run(40, i -> () -> studio.api().post("/v1/bookings", studio.owner(),
                json("memberId", members.get(i % 10), "schedulerId", scheduler, "startsAt", CLASS.toString()),
                "batch-" + i));

        for (int m = 0; m < 10; m++) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = m; i < 40; i += 10) {
                statuses.add(answers.get(i).status());
            }
            assertThat(statuses).as("answers of athlete %d", m).containsExactlyInAnyOrder(201, 201, 201, 409);
            assertThat(studio.balance(members.get(m), "master")).isZero();
        }
        assertThat(answers).filteredOn(r -> r.status() == 409)
                .allSatisfy(r -> assertThat(r.text("/type")).endsWith("/not_enough_credits"));
        // Bookings written by one transaction share its id: fewer transactions than bookings means batches.
        long bookings = server.probe().number("SELECT count(*) FROM bookings WHERE studio_id = ?", studio.id());
        long transactions = server.probe().number(
                "SELECT count(DISTINCT xmin::text) FROM bookings WHERE studio_id = ?", studio.id());
        assertThat(bookings).isEqualTo(30);
        assertThat(transactions).isLessThan(bookings);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void bookingsOfManyStudiosShareCommits() throws Exception {
        List<StudioFixture> studios = new ArrayList<>();
        List<String> schedulers = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StudioFixture studio = server.studio(false);
            studios.add(studio);
            schedulers.add(studio.scheduler("Open Gym", 1));
            String member = studio.member("Athlete " + i);
            studio.grant(member, 2);
            members.add(member);
        }

        // Three requests per athlete holding two credits, one athlete in each of 20 studios, all at once.
        List<Response> answers = Concurrently.run(60, i -> () -> studios.get(i % 20).api().post("/v1/bookings",
                studios.get(i % 20).owner(), json("memberId", members.get(i % 20), "schedulerId",
                        schedulers.get(i % 20), "startsAt", CLASS.toString()), "platform-" + i));

        for (int s = 0; s < 20; s++) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = s; i < 60; i += 20) {
                statuses.add(answers.get(i).status());
            }
            assertThat(statuses).as("answers in studio %d", s).containsExactlyInAnyOrder(201, 201, 409);
            assertThat(studios.get(s).balance(members.get(s), "master")).isZero();
        }
                List<String> ids = studios.stream().map(StudioFixture::id).toList();
        server.probe().assertBatchedAsTheDatabaseWants("bookings", ids);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void aStudioOnATestClockBatchesToo() throws Exception {
        StudioFixture studio = server.studio(true);
        String scheduler = studio.scheduler("Open Gym", 1);
        List<String> members = athletes(studio, 8, 2);
        String startsAt = studio.now().plus(Duration.ofDays(2)).toString();

        List<Response> answers = Concurrently.run(24, i -> () -> studio.api().post("/v1/bookings", studio.owner(),
                json("memberId", members.get(i % 8), "schedulerId", scheduler, "startsAt", startsAt), "clock-" + i));

        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(16);
        long bookings = server.probe().number("SELECT count(*) FROM bookings WHERE studio_id = ?", studio.id());
        long transactions = server.probe().number(
                "SELECT count(DISTINCT xmin::text) FROM bookings WHERE studio_id = ?", studio.id());
        assertThat(bookings).isEqualTo(16);
        assertThat(transactions).isLessThan(bookings);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void bookingsAgainstAUsageLimitAtOnceBookExactlyTheLimit() throws Exception {
        StudioFixture studio = server.studio(false);
        String yoga = studio.scheduler("Yoga", 1);
        String product = studio.product(json("name", "Three a Week", "kind", "package", "credits", 20,
                "price", json("amount", "100.00", "currency", "EUR"),
                "usageLimits", List.of(Map.of("schedulerId", yoga, "max", 3, "per", "P1W"))));
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String member = studio.member("Limited " + i);
            studio.purchase(member, product);
            members.add(member);
        }

        // Five bookings per athlete for classes of one week, with a limit of three, all at once.
        List<Response> answers = Concurrently.run(20, i -> () -> studio.api().post("/v1/bookings", studio.owner(),
                json("memberId", members.get(i % 4), "schedulerId", yoga, "startsAt", CLASS.toString()),
                "limited-" + i));

        for (int m = 0; m < 4; m++) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = m; i < 20; i += 4) {
                statuses.add(answers.get(i).status());
            }
            assertThat(statuses).as("answers of athlete %d", m).containsExactlyInAnyOrder(201, 201, 201, 409, 409);
            assertThat(studio.balance(members.get(m), product)).isEqualTo(17);
        }
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void batchedBookingsNeverPayAnotherTrainersClassWithABoundLot() throws Exception {
        StudioFixture studio = server.studio(false);
        String anna = studio.trainer("Anna");
        String ben = studio.trainer("Ben");
        String annas = studio.scheduler(json("name", "Anna's Yoga", "creditCost", 1, "paymentMode", "credits",
                "trainerId", anna, "cancellationWindow", "PT12H"));
        String bens = studio.scheduler(json("name", "Ben's Spin", "creditCost", 1, "paymentMode", "credits",
                "trainerId", ben, "cancellationWindow", "PT12H"));
        String product = studio.product(json("name", "Anna 10", "kind", "package", "credits", 10,
                "price", json("amount", "100.00", "currency", "EUR"), "trainerId", anna));
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String member = studio.member("Bound " + i);
            studio.purchase(member, product);
            members.add(member);
        }

        // The trainer-bound plugin is not there: the kernel keeps Anna's credits for Anna's classes.
        List<Response> answers = Concurrently.run(16, i -> () -> studio.api().post("/v1/bookings", studio.owner(),
                json("memberId", members.get(i % 4), "schedulerId", i / 4 % 2 == 0 ? annas : bens,
                        "startsAt", CLASS.toString()), "bound-" + i));

        for (int i = 0; i < 16; i++) {
            Response answer = answers.get(i);
            if (i / 4 % 2 == 0) {
                assertThat(answer.status()).as("answer %d", i).isEqualTo(201);
            } else {
                assertThat(answer.status()).as("answer %d", i).isEqualTo(409);
                assertThat(answer.body().at("/eligibility/lots/0/reasons").toString()).contains("wrong_trainer");
            }
        }
        for (String member : members) {
            assertThat(studio.balance(member, product)).isEqualTo(8);
        }
    }

    @Test
    void oneKeySentManyTimesAtOnceBooksOnce() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Mia");
        studio.grant(member, 5);
        Object request = json("memberId", member, "schedulerId", studio.scheduler("Yoga", 2),
                "startsAt", CLASS.toString());

        List<Response> answers = Concurrently.run(12, i -> () ->
                studio.api().post("/v1/bookings", studio.owner(), request, "same-key"));

        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        assertThat(answers.stream().map(r -> r.body().get("id").asText()).distinct()).hasSize(1);
        assertThat(answers).filteredOn(r -> r.header("Idempotent-Replayed") != null).hasSize(11);
        assertThat(studio.balance(member, "master")).isEqualTo(3);
    }

    @Test
    void eachRequestOfABatchGetsItsOwnRefusal() throws Exception {
        StudioFixture studio = server.studio(false);
        String scheduler = studio.scheduler("Open Gym", 1);
        String directOnly = studio.scheduler(json("name", "Drop-in", "creditCost", 1, "paymentMode", "direct",
                "price", json("amount", "12.00"), "cancellationWindow", "PT1H"));
        String rich = studio.member("Rich");
        studio.grant(rich, 10);
        String broke = studio.member("Broke");
        String erased = studio.member("Gone");
        studio.api().delete("/v1/members/" + erased, studio.owner()).expect(200);
        Map<String, Object> requests = Map.of(
                "good", json("memberId", rich, "schedulerId", scheduler, "startsAt", CLASS.toString()),
                "unknownMember", json("memberId", "mem_nobody", "schedulerId", scheduler, "startsAt", CLASS.toString()),
                "erasedMember", json("memberId", erased, "schedulerId", scheduler, "startsAt", CLASS.toString()),
                "unknownScheduler", json("memberId", rich, "schedulerId", "sch_nothing", "startsAt", CLASS.toString()),
                "noCredits", json("memberId", broke, "schedulerId", scheduler, "startsAt", CLASS.toString()),
                "creditsOnDirectOnly", json("memberId", rich, "schedulerId", directOnly, "payWith", "credits",
                        "startsAt", CLASS.toString()),
                "direct", json("memberId", broke, "schedulerId", directOnly, "startsAt", CLASS.toString()),
                "started", json("memberId", rich, "schedulerId", scheduler, "startsAt", "2020-01-01T18:00:00Z"));
        List<String> names = new ArrayList<>(requests.keySet());

        // Three times each, at once; the second copy of each carries a key.
        List<Response> answers = Concurrently.run(names.size() * 3, i -> () -> {
            Object request = requests.get(names.get(i % names.size()));
            return i / names.size() == 1
                    ? studio.api().post("/v1/bookings", studio.owner(), request, "refusals-" + i)
                    : studio.api().post("/v1/bookings", studio.owner(), request);
        });

        Map<String, List<String>> byRequest = new java.util.TreeMap<>();
        for (int i = 0; i < answers.size(); i++) {
            Response r = answers.get(i);
            String outcome = r.status() + (r.status() >= 400 ? " " + r.text("/type").replaceAll(".*/", "") + " "
                    + (r.body().has("errors") && r.body().get("errors").size() > 0
                    ? r.body().get("errors").get(0).get("field").asText() : "-") : "");
            byRequest.computeIfAbsent(names.get(i % names.size()), k -> new ArrayList<>()).add(outcome);
        }
        assertThat(byRequest.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().stream().distinct().toList()))).isEqualTo(Map.of(
                "good", List.of("201"),
                "direct", List.of("201"),
                "unknownMember", List.of("404 not_found memberId"),
                "erasedMember", List.of("404 not_found memberId"),
                "unknownScheduler", List.of("404 not_found schedulerId"),
                "noCredits", List.of("409 not_enough_credits -"),
                "creditsOnDirectOnly", List.of("422 invalid_request payWith"),
                "started", List.of("422 invalid_request startsAt")));
        assertThat(studio.balance(rich, "master")).isEqualTo(7);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void aRefusalInABatchIsRememberedForItsKey() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Noah");
        studio.grant(member, 1);
        String scheduler = studio.scheduler("Workshop", 2);
        Object request = json("memberId", member, "schedulerId", scheduler, "startsAt", CLASS.toString());

        List<Response> first = Concurrently.run(6, i -> () ->
                studio.api().post("/v1/bookings", studio.owner(), request, "short-" + i));
        studio.grant(member, 10);
        Response retried = studio.api().post("/v1/bookings", studio.owner(), request, "short-0");

        assertThat(first).allSatisfy(r -> assertThat(r.status()).isEqualTo(409));
        assertThat(retried.status()).isEqualTo(409);
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retried.body()).isEqualTo(first.get(0).body());
        assertThat(studio.balance(member, "master")).isEqualTo(11);
    }

    /**
     * Another node answered the key while this one's batch ran (its row is committed between this batch's look-up
     * and its store): the batch rolls back and the request finds that answer, so the key still made one change.
     */
    @Test
    void aKeyAnsweredByAnotherTransactionMeanwhileRollsTheBatchBack() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Ida");
        studio.grant(member, 5);
        Object request = json("memberId", member, "schedulerId", studio.scheduler("Yoga", 2),
                "startsAt", CLASS.toString());
        DatabaseUrl url = server.databaseUrl();
        try (Connection other = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            other.setAutoCommit(false);
            try (PreparedStatement answered = other.prepareStatement("INSERT INTO idempotency_keys"
                    + " (studio_id, key, request_hash, status, response) VALUES (?, 'raced', '\\x00', 201, '{}')")) {
                answered.setString(1, studio.id());
                answered.executeUpdate();
            }
            var sent = CompletableFuture.supplyAsync(() ->
                    studio.api().post("/v1/bookings", studio.owner(), request, "raced"));
            // The batch booked, and its store of the key waits for the other transaction's row.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // On Citus the wait is on the studio's worker, for the statement the coordinator sent on.
            String waiting = FreshDatabase.citus()
                    ? "SELECT count(*) FROM citus_lock_waits WHERE blocked_statement LIKE 'INSERT INTO idempotency_keys%'"
                    : "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE 'INSERT INTO idempotency_keys (studio_id, key, request_hash, status, response)%'";
            while (server.probe().number(waiting) == 0) {
                assertThat(System.nanoTime()).as("the batch waits on the key").isLessThan(deadline);
                Thread.sleep(20);
            }
            other.commit();

            // Another request's hash: this one is told the key was used for something else, and changed nothing.
            Response answer = sent.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.raw()).contains("Idempotency-Key");
        }
        assertThat(studio.balance(member, "master")).isEqualTo(5);
        assertThat(server.probe().number("SELECT count(*) FROM bookings WHERE studio_id = ?", studio.id())).isZero();
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    /** Athletes of the studio, each granted {@code credits}. */
    private static List<String> athletes(StudioFixture studio, int count, int credits) throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String member = studio.member("Athlete " + i);
            studio.grant(member, credits);
            members.add(member);
        }
        return members;
    }
}
