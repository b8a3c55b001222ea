package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cancellations go through the write pipeline like bookings: those that come together commit together, across
 * studios, and each still gets its own answer, exactly as alone: one refund per booking, whoever asks twice.
 */
class BookingChangesTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static final Instant CLASS = Instant.now().plus(Duration.ofDays(3));

    @Test
    void aBookingCancelledManyTimesAtOnceRefundsOnce() throws Exception {
        StudioFixture studio = server.studio(false);
        String scheduler = studio.scheduler("Open Gym", 2);
        String member = studio.member("Mia");
        studio.grant(member, 10);
        List<String> bookings = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bookings.add(studio.book(member, scheduler, CLASS).expect(201).text("/id"));
        }

        // Each of the member's four bookings cancelled three times, all at once, without keys.
        List<Response> answers = Concurrently.run(12, i -> () ->
                studio.api().post("/v1/bookings/" + bookings.get(i % 4) + "/cancel", studio.owner(), null));

        for (int b = 0; b < 4; b++) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = b; i < 12; i += 4) {
                statuses.add(answers.get(i).status());
            }
            assertThat(statuses).as("answers for booking %d", b).containsExactlyInAnyOrder(200, 409, 409);
        }
        assertThat(answers).filteredOn(r -> r.status() == 200).allSatisfy(r -> {
            assertThat(r.text("/status")).isEqualTo("cancelled");
            assertThat(r.body().get("refunded").asInt()).isEqualTo(2);
            assertThat(r.text("/memberName")).isEqualTo("Mia");
        });
        assertThat(answers).filteredOn(r -> r.status() == 409)
                .allSatisfy(r -> assertThat(r.text("/type")).endsWith("/booking_not_active"));
        assertThat(studio.balance(member, "master")).isEqualTo(10);
        // The bookings held their credits (their window is open): each cancel releases them, once.
        long refunds = server.probe().number("SELECT count(*) FROM journal WHERE studio_id = ? AND type = 'released'",
                studio.id());
        assertThat(refunds).isEqualTo(4);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void cancellationsOfManyStudiosShareCommits() throws Exception {
        List<StudioFixture> studios = new ArrayList<>();
        List<String> members = new ArrayList<>();
        List<String> bookings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StudioFixture studio = server.studio(false);
            String scheduler = studio.scheduler("Open Gym", 1);
            String member = studio.member("Athlete " + i);
            studio.grant(member, 2);
            for (int b = 0; b < 2; b++) {
                bookings.add(studio.book(member, scheduler, CLASS).expect(201).text("/id"));
            }
            studios.add(studio);
            members.add(member);
        }

        List<Response> answers = Concurrently.run(40, i -> () -> studios.get(i / 2).api().post(
                "/v1/bookings/" + bookings.get(i) + "/cancel", studios.get(i / 2).owner(), null, "undo-" + i));

        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        for (int s = 0; s < 20; s++) {
            assertThat(studios.get(s).balance(members.get(s), "master")).isEqualTo(2);
        }
                List<String> ids = studios.stream().map(StudioFixture::id).toList();
        server.probe().assertBatchedAsTheDatabaseWants("bookings", ids);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void cancellationsRacingBookingsOfTheSameMemberNeverLoseACredit() throws Exception {
        StudioFixture studio = server.studio(false);
        String scheduler = studio.scheduler("Open Gym", 1);
        String member = studio.member("Noah");
        studio.grant(member, 4);
        List<String> booked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            booked.add(studio.book(member, scheduler, CLASS).expect(201).text("/id"));
        }

        // Four cancellations and eight bookings of the same member at once: each booking that succeeds took a
        // credit a cancellation gave back.
        List<Response> answers = Concurrently.run(12, i -> () -> i < 4
                ? studio.api().post("/v1/bookings/" + booked.get(i) + "/cancel", studio.owner(), null)
                : studio.api().post("/v1/bookings", studio.owner(),
                        json("memberId", member, "schedulerId", scheduler, "startsAt", CLASS.toString())));

        assertThat(answers.subList(0, 4)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        long newBookings = answers.subList(4, 12).stream().filter(r -> r.status() == 201).count();
        assertThat(answers.subList(4, 12)).filteredOn(r -> r.status() != 201)
                .allSatisfy(r -> assertThat(r.text("/type")).endsWith("/not_enough_credits"));
        assertThat(newBookings).isBetween(0L, 4L);
        assertThat(studio.balance(member, "master")).isEqualTo(4 - (int) newBookings);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void oneKeySentManyTimesAtOnceCancelsOnceAndReplays() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Lea");
        studio.grant(member, 3);
        String booking = studio.book(member, studio.scheduler("Yoga", 3), CLASS).expect(201).text("/id");

        List<Response> answers = Concurrently.run(8, i -> () ->
                studio.api().post("/v1/bookings/" + booking + "/cancel", studio.owner(), null, "cancel-once"));
        Response retried = studio.api().post("/v1/bookings/" + booking + "/cancel", studio.owner(), null,
                "cancel-once");
        Response otherKey = studio.api().post("/v1/bookings/" + booking + "/cancel", studio.owner(), null,
                "cancel-twice");

        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(answers).filteredOn(r -> r.header("Idempotent-Replayed") != null).hasSize(7);
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retried.body()).isEqualTo(answers.get(0).body());
        assertThat(otherKey.status()).isEqualTo(409);
        assertThat(studio.balance(member, "master")).isEqualTo(3);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void aLateCancellationAndAnUnknownBookingInOneBatchEachGetTheirAnswer() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Ben");
        studio.grant(member, 5);
        String strict = studio.scheduler(json("name", "Strict", "creditCost", 1, "paymentMode", "credits",
                "cancellationWindow", "P7D"));
        String late = studio.book(member, strict, CLASS).expect(201).text("/id");
        String inTime = studio.book(member, studio.scheduler("Easy", 1), CLASS).expect(201).text("/id");

        List<Response> answers = Concurrently.run(3, i -> () -> studio.api().post("/v1/bookings/"
                + List.of(late, inTime, "bkg_nothing").get(i) + "/cancel", studio.owner(), null));

        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(answers.get(0).text("/status")).isEqualTo("late_cancelled");
        assertThat(answers.get(0).body().get("refunded").asInt()).isZero();
        assertThat(answers.get(1).text("/status")).isEqualTo("cancelled");
        assertThat(answers.get(2).status()).isEqualTo(404);
        assertThat(studio.balance(member, "master")).isEqualTo(4);
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }
}
