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

/** Booking with credits: eligibility, spending order, allocations, cancellation and its window. */
class BookingsApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void aBookingSpendsTheOldestEligibleLotsFirstAndRecordsTheAllocations() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String workshop = studio.scheduler("Workshop", 3);
        String grant = studio.grant(member, 2).body().at("/lots/0/id").asText();
        String product = studio.pack("10-Credit Package", 10, "135.00");
        String packLot = studio.purchase(member, product).body().at("/lots/0/id").asText();

        Response booking = studio.book(member, workshop, studio.now().plus(Duration.ofDays(2))).expect(201);

        assertThat(booking.text("/status")).isEqualTo("booked");
        assertThat(booking.number("/cost")).isEqualTo(3);
        assertThat(booking.body().get("allocations")).extracting(a -> a.get("lotId").asText(),
                        a -> a.get("credits").intValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(grant, 2),
                        org.assertj.core.groups.Tuple.tuple(packLot, 1));
        assertThat(studio.balance(member, "master")).isZero();
        assertThat(studio.balance(member, product)).isEqualTo(9);
        // Two days ahead its 12-hour cancellation window is open: the credits are held, not yet redeemed.
        assertThat(booking.body().get("allocations")).allSatisfy(a -> assertThat(a.get("held").booleanValue()).isTrue());
        assertThat(studio.log(member).get(0).get("description").asText()).isEqualTo("Held for Workshop");
    }

    @Test
    void cancellingWithinTheWindowRefundsTheSameLotsWithTheirExpiry() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Noah");
        String scheduler = studio.scheduler("Rising Stars Class", 2);
        String product = studio.pack("5 Pack", 5, "60.00");
        studio.purchase(member, product);
        JsonNode lotBefore = studio.credits(member).at("/accounts/1/lots/0");
        Instant startsAt = studio.now().plus(Duration.ofDays(1));
        String booking = studio.book(member, scheduler, startsAt).expect(201).text("/id");
        // Move to 13 hours before the class: still inside the 12-hour window.
        studio.clock(startsAt.minus(Duration.ofHours(13)));

        Response cancelled = studio.cancel(booking).expect(200);

        assertThat(cancelled.text("/status")).isEqualTo("cancelled");
        assertThat(cancelled.number("/refunded")).isEqualTo(2);
        JsonNode lotAfter = studio.credits(member).at("/accounts/1/lots/0");
        assertThat(lotAfter.get("id")).isEqualTo(lotBefore.get("id"));
        assertThat(lotAfter.get("remaining").intValue()).isEqualTo(5);
        assertThat(lotAfter.get("expiresAt")).isEqualTo(lotBefore.get("expiresAt"));
        JsonNode refund = studio.log(member).get(0);
        assertThat(refund.get("type").asText()).isEqualTo("released");
        assertThat(refund.get("description").asText()).isEqualTo("Released: cancelled Rising Stars Class");
        assertThat(server.probe().number("SELECT count(*) FROM journal WHERE studio_id = ? AND type IN ('redeemed',"
                + " 'refunded')", studio.id())).as("no redemption and refund churn").isZero();
        assertThat(studio.cancel(booking).status()).as("cancelled twice").isEqualTo(409);
    }

    @Test
    void cancellingAfterTheWindowIsALateCancelWithoutRefund() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ava");
        String scheduler = studio.scheduler("Spin", 1);
        studio.grant(member, 1);
        Instant startsAt = studio.now().plus(Duration.ofDays(1));
        String booking = studio.book(member, scheduler, startsAt).expect(201).text("/id");
        studio.clock(startsAt.minus(Duration.ofHours(11)));

        Response cancelled = studio.cancel(booking).expect(200);

        assertThat(cancelled.text("/status")).isEqualTo("late_cancelled");
        assertThat(cancelled.number("/refunded")).isZero();
        assertThat(studio.balance(member, "master")).isZero();
    }

    @Test
    void aChangedCreditCostAppliesToNewBookingsOnlyAndACancelRefundsWhatWasPaid() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Leo");
        String scheduler = studio.scheduler("Pilates", 1);
        studio.grant(member, 5);
        String booking = studio.book(member, scheduler, studio.now().plus(Duration.ofDays(3))).expect(201)
                .text("/id");

        studio.api().patch("/v1/schedulers/" + scheduler, studio.owner(), json("creditCost", 3)).expect(200);

        assertThat(studio.cancel(booking).expect(200).number("/refunded")).isEqualTo(1);
        assertThat(studio.book(member, scheduler, studio.now().plus(Duration.ofDays(3))).expect(201)
                .number("/cost")).isEqualTo(3);
    }

    @Test
    void notEnoughCreditsIs409WithTheEligibilityExplanation() {
        StudioFixture studio = server.studio(true);
        String pt = studio.scheduler(json("name", "Personal Training", "creditCost", 5, "paymentMode", "credits",
                "cancellationWindow", "P1D"));
        String yoga = studio.scheduler("Yoga", 1);
        String bound = studio.product(json("name", "Yoga 10", "kind", "package", "credits", 10,
                "price", json("amount", "100.00"), "redeemableSchedulerIds", List.of(yoga)));
        String member = studio.member("Ida");
        studio.purchase(member, bound);
        studio.grant(member, 2);

        Response refused = studio.book(member, pt, studio.now().plus(Duration.ofDays(2)));
        Response explained = studio.api().get("/v1/members/" + member + "/eligibility?schedulerId=" + pt,
                studio.owner()).expect(200);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("/type")).endsWith("/not_enough_credits");
        JsonNode eligibility = refused.body().get("eligibility");
        assertThat(eligibility.get("canBook").booleanValue()).isFalse();
        assertThat(eligibility.get("cost").intValue()).isEqualTo(5);
        assertThat(eligibility.get("shortBy").intValue()).isEqualTo(3);
        assertThat(eligibility.get("schedulerId").asText()).isEqualTo(pt);
        assertThat(eligibility.get("schedulerName").asText()).isEqualTo("Personal Training");
        assertThat(explained.text("/schedulerName")).isEqualTo("Personal Training");
        assertThat(eligibility.get("lots")).extracting(l -> l.get("account").asText(),
                        l -> l.get("eligible").booleanValue(), l -> l.get("reasons").findValuesAsText("reasons"))
                .hasSize(2);
        assertThat(explained.body().get("lots").findValues("reasons").toString())
                .contains("scheduler_not_redeemable");
        assertThat(explained.body().get("canBook").booleanValue()).isFalse();
        assertThat(studio.total(member)).isEqualTo(12);
    }

    @Test
    void aLotBoundToATrainerPaysOnlyForThatTrainersClassesWithoutAnyPlugin() {
        StudioFixture studio = server.studio(true);
        String anna = studio.trainer("Anna");
        String ben = studio.trainer("Ben");
        String annas = studio.scheduler(json("name", "Anna's Yoga", "creditCost", 1, "paymentMode", "credits",
                "trainerId", anna, "cancellationWindow", "PT12H"));
        String bens = studio.scheduler(json("name", "Ben's Spin", "creditCost", 1, "paymentMode", "credits",
                "trainerId", ben, "cancellationWindow", "PT12H"));
        String open = studio.scheduler("Open Gym", 1);
        String product = studio.product(json("name", "Anna 10", "kind", "package", "credits", 10,
                "price", json("amount", "100.00"), "trainerId", anna));
        String member = studio.member("Ida");
        studio.purchase(member, product);
        Instant later = studio.now().plus(Duration.ofDays(2));

        Response wrong = studio.book(member, bens, later);
        Response untrained = studio.book(member, open, later);
        JsonNode explained = studio.api().get("/v1/members/" + member + "/eligibility?schedulerId=" + bens,
                studio.owner()).expect(200).body();
        Response right = studio.book(member, annas, later);

        assertThat(wrong.status()).isEqualTo(409);
        assertThat(wrong.body().at("/eligibility/lots/0/reasons").toString()).contains("wrong_trainer");
        assertThat(untrained.status()).as("a class without a trainer takes no bound lots").isEqualTo(409);
        assertThat(explained.get("canBook").booleanValue()).isFalse();
        assertThat(explained.at("/lots/0/reasons").toString()).isEqualTo("[\"wrong_trainer\"]");
        assertThat(right.status()).isEqualTo(201);
        assertThat(studio.balance(member, product)).isEqualTo(9);
    }

    @Test
    void validityFromFirstUseStartsAtTheFirstBooking() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Max");
        String scheduler = studio.scheduler("Yoga", 1);
        String product = studio.product(json("name", "Intro 3", "kind", "package", "credits", 3,
                "price", json("amount", "30.00"), "validity", "P30D", "validityStart", "first_use"));
        studio.purchase(member, product);
        assertThat(studio.credits(member).at("/accounts/1/lots/0/expiresAt").isNull()).isTrue();

        Instant firstUse = studio.now().plus(Duration.ofDays(40));
        studio.clock(firstUse);
        studio.book(member, scheduler, firstUse.plus(Duration.ofDays(1))).expect(201);

        Instant expiresAt = Instant.parse(studio.credits(member).at("/accounts/1/lots/0/expiresAt").asText());
        assertThat(expiresAt).isEqualTo(firstUse.plus(Duration.ofDays(30)));
    }

    @Test
    void paymentModesDecideWhetherCreditsPay() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Zoe");
        studio.grant(member, 3);
        String direct = studio.scheduler(json("name", "Drop-in", "creditCost", 1, "paymentMode", "direct",
                "cancellationWindow", "PT0S", "price", json("amount", "15.00")));
        String credits = studio.scheduler("Members Only", 1);
        String both = studio.scheduler(json("name", "Flexible", "creditCost", 1, "paymentMode", "both",
                "cancellationWindow", "PT2H"));
        Instant later = studio.now().plus(Duration.ofDays(1));

        Response paidDirectly = studio.book(member, direct, later).expect(201);
        Response creditsOnDirect = studio.api().post("/v1/bookings", studio.owner(), json("memberId", member,
                "schedulerId", direct, "startsAt", later.toString(), "payWith", "credits"));
        Response directOnCredits = studio.api().post("/v1/bookings", studio.owner(), json("memberId", member,
                "schedulerId", credits, "startsAt", later.toString(), "payWith", "direct"));
        Response flexibleDirect = studio.api().post("/v1/bookings", studio.owner(), json("memberId", member,
                "schedulerId", both, "startsAt", later.toString(), "payWith", "direct")).expect(201);
        Response eligibility = studio.api().get("/v1/members/" + member + "/eligibility?schedulerId=" + direct,
                studio.owner()).expect(200);

        assertThat(paidDirectly.text("/payWith")).isEqualTo("direct");
        assertThat(paidDirectly.number("/cost")).isZero();
        assertThat(creditsOnDirect.status()).isEqualTo(422);
        assertThat(creditsOnDirect.text("/errors/0/field")).isEqualTo("payWith");
        assertThat(directOnCredits.status()).isEqualTo(422);
        assertThat(flexibleDirect.number("/cost")).isZero();
        assertThat(eligibility.body().get("canBook").booleanValue()).isFalse();
        assertThat(eligibility.body().get("creditsAccepted").booleanValue()).isFalse();
        assertThat(studio.balance(member, "master")).isEqualTo(3);
    }

    @Test
    void aBookingCanBeReadBack() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Tom");
        String scheduler = studio.scheduler("Run Club", 1);
        studio.grant(member, 1);
        String booking = studio.book(member, scheduler, studio.now().plus(Duration.ofDays(1))).expect(201)
                .text("/id");

        Response read = studio.api().get("/v1/bookings/" + booking, studio.owner()).expect(200);

        assertThat(read.text("/memberId")).isEqualTo(member);
        assertThat(read.body().get("allocations")).hasSize(1);
        assertThat(List.of(read.text("/status"))).containsExactly("booked");
    }

    @Test
    void aClassThatStartedIsBookedOnlyWhenStaffRecordItAfterwards() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Paula");
        String yoga = studio.scheduler("Yoga", 1);
        studio.grant(member, 2);
        Instant started = studio.now().minus(Duration.ofHours(2));

        Response refused = studio.book(member, yoga, started);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().at("/errors/0/field").asText()).isEqualTo("startsAt");
        Response notPast = studio.api().post("/v1/bookings", studio.owner(), json("memberId", member,
                "schedulerId", yoga, "startsAt", studio.now().plus(Duration.ofDays(1)).toString(), "recordPast", true));
        assertThat(notPast.status()).isEqualTo(422);
        assertThat(notPast.body().at("/errors/0/field").asText()).isEqualTo("recordPast");
        assertThat(studio.total(member)).isEqualTo(2);

        studio.api().post("/v1/bookings", studio.owner(), json("memberId", member, "schedulerId", yoga,
                "startsAt", started.toString(), "recordPast", true)).expect(201);

        JsonNode line = studio.log(member).get(0);
        assertThat(line.get("description").asText()).isEqualTo("Redeemed for Yoga");
        assertThat(line.get("reason").asText()).isEqualTo("recorded after the class started");
        assertThat(studio.total(member)).isEqualTo(1);
    }

    @Test
    void aRetryOfABookingMadeBeforeItsClassStartedGetsItsFirstAnswer() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Quinn");
        String yoga = studio.scheduler("Yoga", 1);
        studio.grant(member, 2);
        Instant startsAt = studio.now().plus(Duration.ofMinutes(30));
        var body = json("memberId", member, "schedulerId", yoga, "startsAt", startsAt.toString());
        String booked = studio.api().post("/v1/bookings", studio.owner(), body, "late-answer").expect(201).text("/id");

        studio.clock(startsAt.plus(Duration.ofMinutes(5)));
        Response retried = studio.api().post("/v1/bookings", studio.owner(), body, "late-answer");

        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.text("/id")).isEqualTo(booked);
        assertThat(studio.total(member)).isEqualTo(1);
    }
}
