package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A booking made inside its cancellation window holds its credits until the class is certain (API.md "Bookings over
 * their life"): out of the balance but still in the lot, released by a cancel in time, posted (redeemed) when the
 * window closes, exactly once.
 */
class BookingHoldsTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static long entries(StudioFixture studio, String bookingId, String type) {
        return server.probe().number("SELECT count(*) FROM journal WHERE studio_id = ? AND booking_id = ? AND type = ?",
                studio.id(), bookingId, type);
    }

    @Test
    void aHoldLeavesTheCreditsInTheLotOutOfTheBalanceUntilTheWindowCloses() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String yoga = studio.scheduler("Yoga", 2);
        studio.grant(member, 5);
        Instant startsAt = studio.now().plus(Duration.ofDays(2));

        Response booked = studio.book(member, yoga, startsAt).expect(201);

        assertThat(booked.body().at("/allocations/0/held").booleanValue()).isTrue();
        assertThat(booked.body().get("postedAt").isNull()).isTrue();
        JsonNode master = studio.credits(member).at("/accounts/0");
        assertThat(master.get("balance").intValue()).isEqualTo(3);
        assertThat(master.get("held").intValue()).isEqualTo(2);
        assertThat(master.at("/lots/0/remaining").intValue()).isEqualTo(5);
        assertThat(master.at("/lots/0/held").intValue()).isEqualTo(2);
        assertThat(master.at("/lots/0/available").intValue()).isEqualTo(3);
        JsonNode line = studio.log(member).get(0);
        assertThat(line.get("type").asText() + line.get("delta").asText() + " " + line.get("description").asText())
                .isEqualTo("held-2 Held for Yoga");
        assertThat(entries(studio, booked.text("/id"), "redeemed")).as("nothing redeemed yet").isZero();

        // The 12-hour window closes a day and a half from now: the clock passes it, the hold posts.
        studio.clock(startsAt.minus(Duration.ofHours(11)));

        JsonNode posted = studio.api().get("/v1/bookings?memberId=" + member, studio.owner()).expect(200)
                .body().at("/items/0");
        assertThat(posted.at("/allocations/0/held").booleanValue()).isFalse();
        assertThat(Instant.parse(posted.get("postedAt").asText())).isEqualTo(startsAt.minus(Duration.ofHours(12)));
        master = studio.credits(member).at("/accounts/0");
        assertThat(master.get("balance").intValue()).isEqualTo(3);
        assertThat(master.get("held").intValue()).isZero();
        assertThat(master.at("/lots/0/remaining").intValue()).isEqualTo(3);
        List<JsonNode> log = studio.log(member);
        assertThat(log).extracting(e -> e.get("type").asText() + e.get("delta").asText())
                .as("the booking is still one line").containsExactly("redeemed-2", "granted+5");
        assertThat(log.get(0).get("description").asText()).isEqualTo("Redeemed for Yoga");
        assertThat(entries(studio, booked.text("/id"), "redeemed")).isEqualTo(1);

        // The sweep again (another node, a retry) posts nothing more.
        studio.clock(startsAt.plus(Duration.ofHours(1)));
        assertThat(entries(studio, booked.text("/id"), "redeemed")).isEqualTo(1);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void aCancelInTheWindowReleasesWithoutRedeemingAndALateOnePostsFirst() {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Ben");
        String yoga = studio.scheduler("Yoga", 1);
        studio.grant(member, 2);
        Instant startsAt = studio.now().plus(Duration.ofHours(12)).plus(Duration.ofMinutes(5));
        String early = studio.book(member, yoga, startsAt).expect(201).text("/id");
        String late = studio.book(member, yoga, startsAt).expect(201).text("/id");

        Response released = studio.cancel(early).expect(200);
        assertThat(released.text("/status")).isEqualTo("cancelled");
        assertThat(released.number("/refunded")).isEqualTo(1);
        assertThat(entries(studio, early, "released")).isEqualTo(1);
        assertThat(entries(studio, early, "redeemed") + entries(studio, early, "refunded")).isZero();

        // Ten minutes on the server's window has closed, before any sweep came by: the cancel posts the hold.
        server.clock().advance(Duration.ofMinutes(10));
        Response lateCancel = studio.cancel(late).expect(200);

        assertThat(lateCancel.text("/status")).isEqualTo("late_cancelled");
        assertThat(lateCancel.number("/refunded")).isZero();
        assertThat(entries(studio, late, "redeemed")).isEqualTo(1);
        assertThat(entries(studio, late, "released")).isZero();
        assertThat(studio.balance(member, "master")).isEqualTo(1);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void fiftyBookingsAtOnceOnFiveCreditsHoldExactlyFive() throws Exception {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ava");
        String yoga = studio.scheduler("Yoga", 1);
        studio.grant(member, 5);
        Instant startsAt = studio.now().plus(Duration.ofDays(3));

        List<Response> answers = Concurrently.run(50, i -> () -> studio.book(member, yoga, startsAt));

        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(5);
        assertThat(answers).filteredOn(r -> r.status() == 409).hasSize(45);
        assertThat(server.probe().number("SELECT held FROM lots WHERE studio_id = ? AND member_id = ?", studio.id(),
                member)).isEqualTo(5);
        assertThat(studio.balance(member, "master")).isZero();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void cancelsRacingTheWindowsCloseEitherReleaseOrPostNeverBoth() throws Exception {
        StudioFixture studio = server.studio(true);
        String yoga = studio.scheduler("Yoga", 1);
        Instant startsAt = studio.now().plus(Duration.ofDays(1));
        List<String> members = new java.util.ArrayList<>();
        List<String> bookings = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String member = studio.member("M" + i);
            studio.grant(member, 1);
            members.add(member);
            bookings.add(studio.book(member, yoga, startsAt).expect(201).text("/id"));
        }

        // The cancels and the clock passing the window's close, all at once.
        List<Response> answers = Concurrently.run(21, i -> () -> i == 20
                ? studio.api().post("/v1/clock", studio.owner(), json("now",
                        startsAt.minus(Duration.ofHours(11)).toString()))
                : studio.cancel(bookings.get(i)));

        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        for (int i = 0; i < 20; i++) {
            String status = answers.get(i).text("/status");
            long released = entries(studio, bookings.get(i), "released");
            long redeemed = entries(studio, bookings.get(i), "redeemed");
            assertThat(released + redeemed).as("booking %d, %s", i, status).isEqualTo(1);
            assertThat(studio.balance(members.get(i), "master")).isEqualTo(status.equals("cancelled") ? 1 : 0);
        }
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }
}
