package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bookings over their life after the window (API.md "Bookings over their life"): check-in, no-show, what a late
 * cancel or a no-show costs under the studio's (or the scheduler's) penalty setting with its free allowance, and a
 * waiver giving back what a penalty kept.
 */
class BookingPenaltiesTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    /** Monday 1 March 2027, 08:00 UTC: the week below stays in one calendar week and month in any studio zone. */
    private static final Instant MONDAY = Instant.parse("2027-03-01T08:00:00Z");

    private static Response act(StudioFixture studio, String bookingId, String action) {
        return studio.api().post("/v1/bookings/" + bookingId + "/" + action, studio.owner(), null);
    }

    private static JsonNode booking(StudioFixture studio, String bookingId) {
        return studio.api().get("/v1/bookings/" + bookingId, studio.owner()).expect(200).body();
    }

    private static List<String> lines(StudioFixture studio, String member) {
        return studio.log(member).stream()
                .map(e -> e.get("delta").asText() + " " + e.get("description").asText()).toList();
    }

    @Test
    void aWeekOfAStudioOnItsTestClock() {
        StudioFixture studio = server.studio(true);
        studio.clock(MONDAY);
        studio.api().patch("/v1/studio", studio.owner(), json("penalty", json("lateCancel", "forfeit",
                "noShow", json("forfeitCredits", 1), "freePerPeriod", json("count", 1, "per", "P1W")))).expect(200);
        String yoga = studio.scheduler("Yoga", 2);
        String pilates = studio.scheduler(json("name", "Pilates", "creditCost", 2, "paymentMode", "credits",
                "cancellationWindow", "PT12H", "penalty", json("lateCancel", "refund")));
        String mia = studio.member("Mia");
        studio.grant(mia, 20);

        // Monday: a class on Tuesday, cancelled in time: the hold is released, nothing redeemed.
        String tuesday = studio.book(mia, yoga, MONDAY.plus(Duration.ofHours(34))).expect(201).text("/id");
        assertThat(studio.cancel(tuesday).expect(200).text("/status")).isEqualTo("cancelled");
        assertThat(studio.balance(mia, "master")).isEqualTo(20);

        // Wednesday's class: the window closes at 06:00 (the hold posts), Mia checks in before it starts.
        Instant wednesdayClass = MONDAY.plus(Duration.ofHours(58));
        String wednesday = studio.book(mia, yoga, wednesdayClass).expect(201).text("/id");
        assertThat(act(studio, wednesday, "no-show").status()).as("not before the class started").isEqualTo(409);
        studio.clock(wednesdayClass.minus(Duration.ofMinutes(10)));
        assertThat(booking(studio, wednesday).get("postedAt").isNull()).isFalse();
        JsonNode checkedIn = act(studio, wednesday, "check-in").expect(200).body();
        assertThat(checkedIn.get("checkedInAt").asText()).isEqualTo(wednesdayClass.minus(Duration.ofMinutes(10))
                .toString());
        assertThat(act(studio, wednesday, "check-in").body().get("type").asText()).endsWith("/already_checked_in");
        studio.clock(wednesdayClass.plus(Duration.ofHours(2)));
        assertThat(act(studio, wednesday, "no-show").body().get("type").asText()).endsWith("/checked_in");
        Response noReason = studio.api().post("/v1/bookings/" + wednesday + "/waive", studio.owner(), json());
        assertThat(noReason.status()).as("a waiver gives a reason").isEqualTo(422);
        assertThat(noReason.body().at("/errors/0/field").asText()).isEqualTo("reason");
        assertThat(studio.api().post("/v1/bookings/" + wednesday + "/waive", studio.owner(),
                json("reason", "nothing kept")).body().get("type").asText()).endsWith("/nothing_to_waive");

        // Thursday: a late cancel, the week's free one: the credits go back, the allowance is used.
        Instant thursdayClass = MONDAY.plus(Duration.ofHours(82));
        String thursday = studio.book(mia, yoga, thursdayClass).expect(201).text("/id");
        studio.clock(thursdayClass.minus(Duration.ofHours(2)));
        JsonNode late = studio.cancel(thursday).expect(200).body();
        assertThat(late.get("status").asText()).isEqualTo("late_cancelled");
        assertThat(late.get("refunded").intValue()).isEqualTo(2);
        assertThat(late.at("/penalty/outcome").asText()).isEqualTo("free");
        assertThat(late.at("/penalty/forfeited").intValue()).isZero();
        assertThat(lines(studio, mia).get(0)).isEqualTo("+2 Late cancel of Yoga — refunded (free allowance)");

        // Friday: a no-show with the allowance used up: the setting keeps 1 credit of 2.
        Instant fridayClass = MONDAY.plus(Duration.ofHours(106));
        String friday = studio.book(mia, yoga, fridayClass).expect(201).text("/id");
        studio.clock(fridayClass.plus(Duration.ofMinutes(30)));
        JsonNode noShow = act(studio, friday, "no-show").expect(200).body();
        assertThat(noShow.get("status").asText()).isEqualTo("no_show");
        assertThat(noShow.get("refunded").intValue()).isEqualTo(1);
        assertThat(noShow.at("/penalty/outcome").asText()).isEqualTo("partial");
        assertThat(noShow.at("/penalty/forfeited").intValue()).isEqualTo(1);
        assertThat(lines(studio, mia).subList(0, 2))
                .containsExactly("+1 No-show of Yoga — refunded", "-2 No-show — 1 credit forfeited");
        assertThat(studio.balance(mia, "master")).isEqualTo(20 - 2 - 1);

        // The coach waives it: the kept credit goes back, with the reason and who gave it.
        JsonNode waived = studio.api().post("/v1/bookings/" + friday + "/waive", studio.owner(),
                json("reason", "Her car broke down")).expect(200).body();
        assertThat(waived.at("/penalty/waived/reason").asText()).isEqualTo("Her car broke down");
        assertThat(waived.get("refunded").intValue()).isEqualTo(2);
        JsonNode waiver = studio.log(mia).get(0);
        assertThat(waiver.get("delta").asText()).isEqualTo("+1");
        assertThat(waiver.get("description").asText()).startsWith("No-show — waived by ");
        assertThat(waiver.get("reason").asText()).isEqualTo("Her car broke down");
        assertThat(studio.api().post("/v1/bookings/" + friday + "/waive", studio.owner(), json("reason", "again"))
                .body().get("type").asText()).endsWith("/already_waived");

        // Saturday: Yoga's late cancel forfeits (the allowance is used); Pilates' own setting refunds.
        Instant saturdayClass = MONDAY.plus(Duration.ofHours(130));
        String yogaSaturday = studio.book(mia, yoga, saturdayClass).expect(201).text("/id");
        String pilatesSaturday = studio.book(mia, pilates, saturdayClass).expect(201).text("/id");
        studio.clock(saturdayClass.minus(Duration.ofHours(1)));
        JsonNode forfeited = studio.cancel(yogaSaturday).expect(200).body();
        assertThat(forfeited.at("/penalty/outcome").asText()).isEqualTo("forfeit");
        assertThat(forfeited.get("refunded").intValue()).isZero();
        // Its line is its charge (booked before Pilates, so the log's second), worded as the penalty.
        assertThat(lines(studio, mia).subList(0, 2))
                .containsExactly("-2 Redeemed for Pilates", "-2 Late cancel — 2 credits forfeited");
        JsonNode refunded = studio.cancel(pilatesSaturday).expect(200).body();
        assertThat(refunded.at("/penalty/outcome").asText()).isEqualTo("refund");
        assertThat(refunded.get("refunded").intValue()).isEqualTo(2);

        // Used: Wednesday (2), Friday's none after the waiver, Saturday's Yoga (2).
        assertThat(studio.balance(mia, "master")).isEqualTo(16);
        assertThat(studio.credits(mia).at("/accounts/0/held").intValue()).isZero();
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void theDefaultForfeitsAndBadSettingsAreRefusedNamingTheField() {
        StudioFixture studio = server.studio(true);
        assertThat(studio.api().get("/v1/studio", studio.owner()).expect(200).body().get("penalty").toString())
                .isEqualTo("{\"lateCancel\":\"forfeit\",\"noShow\":\"forfeit\"}");
        Response bad = studio.api().patch("/v1/studio", studio.owner(), json("penalty", json("lateCancel", "maybe")));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().at("/errors/0/field").asText()).isEqualTo("penalty.lateCancel");
        Response period = studio.api().patch("/v1/studio", studio.owner(),
                json("penalty", json("freePerPeriod", json("count", 2, "per", "P2M"))));
        assertThat(period.body().at("/errors/0/field").asText()).isEqualTo("penalty.freePerPeriod.per");
        Response fee = studio.api().patch("/v1/studio", studio.owner(),
                json("penalty", json("noShow", json("fee", json("amount", "5.00", "currency", "EUR")))));
        assertThat(fee.body().at("/errors/0/field").asText()).isEqualTo("penalty.noShow");
        assertThat(studio.api().patch("/v1/studio", studio.owner(), json("penalty", json("surcharge", 1)))
                .body().at("/errors/0/field").asText()).isEqualTo("penalty.surcharge");

        String mia = studio.member("Mia");
        studio.grant(mia, 3);
        String yoga = studio.scheduler("Yoga", 1);
        Instant startsAt = studio.now().plus(Duration.ofHours(3));
        String booked = studio.book(mia, yoga, startsAt).expect(201).text("/id");
        studio.clock(startsAt.plus(Duration.ofHours(1)));
        JsonNode noShow = act(studio, booked, "no-show").expect(200).body();
        assertThat(noShow.at("/penalty/outcome").asText()).isEqualTo("forfeit");
        assertThat(lines(studio, mia).get(0)).isEqualTo("-1 No-show — 1 credit forfeited");
        assertThat(act(studio, booked, "no-show").body().get("type").asText()).endsWith("/booking_not_active");
        assertThat(studio.api().post("/v1/bookings/" + booked + "/no-show", studio.key("athlete", mia), null)
                .status()).as("staff only").isEqualTo(403);
        StudioFixture other = server.studio(true);
        assertThat(other.api().post("/v1/bookings/" + booked + "/no-show", other.owner(), null).status())
                .as("another studio's booking").isEqualTo(404);
        // An erased member's credits went with her data: nothing to give back to.
        studio.api().delete("/v1/members/" + mia + "?forfeit=true", studio.owner()).expect(200);
        assertThat(studio.api().post("/v1/bookings/" + booked + "/waive", studio.owner(), json("reason", "late"))
                .body().get("type").asText()).endsWith("/member_erased");
        assertThat(server.probe().journalMismatches()).isEmpty();
    }
}
