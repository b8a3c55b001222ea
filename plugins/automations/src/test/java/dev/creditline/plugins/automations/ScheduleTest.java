package dev.creditline.plugins.automations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant CREATED = at("2026-01-05T08:00");

    private static Instant at(String local) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), BERLIN).toInstant();
    }

    private static Optional<Instant> lastDue(JsonObject trigger, String now) {
        return Triggers.Schedule.lastDue(trigger, BERLIN, CREATED, at(now));
    }

    @Test
    void aCronScheduleIsDueAtItsLastMatchInTheStudiosZoneAndAtExactlyItsTime() {
        JsonObject mondays = new JsonObject().put("cron", "0 9 * * 1");
        assertThat(lastDue(mondays, "2026-01-05T08:59")).as("before the first Monday 09:00").isEmpty();
        assertThat(lastDue(mondays, "2026-01-05T09:00")).contains(at("2026-01-05T09:00"));
        assertThat(lastDue(mondays, "2026-01-09T12:00")).contains(at("2026-01-05T09:00"));
        assertThat(lastDue(mondays, "2026-03-30T10:00")).as("after the switch to summer time")
                .contains(at("2026-03-30T09:00"));
    }

    @Test
    void aCronDueTimeIsItsWholeMinuteWhateverTheSecondsOfTheClock() {
        JsonObject mondays = new JsonObject().put("cron", "0 9 * * 1");
        // One due time, one fire key: a clock at 09:00:30 and one at 09:05 see the same 09:00.
        assertThat(lastDue(mondays, "2026-01-12T09:00:30")).contains(at("2026-01-12T09:00"));
        assertThat(lastDue(mondays, "2026-01-12T09:00:59.999")).contains(at("2026-01-12T09:00"));
        assertThat(lastDue(mondays, "2026-01-12T09:05")).contains(at("2026-01-12T09:00"));
    }

    @Test
    void aPeriodScheduleCountsFromItsStartSoMonthsKeepTheirDay() {
        JsonObject monthly = new JsonObject().put("every", "P1M").put("at", "07:30").put("startsOn", "2026-01-31");
        assertThat(lastDue(monthly, "2026-01-31T07:29")).isEmpty();
        assertThat(lastDue(monthly, "2026-02-28T08:00")).contains(at("2026-02-28T07:30"));
        assertThat(lastDue(monthly, "2026-03-31T07:30")).as("not Mar 28: the 31st again")
                .contains(at("2026-03-31T07:30"));
        assertThat(lastDue(monthly, "2029-06-01T00:00")).contains(at("2029-05-31T07:30"));
    }

    @Test
    void aScheduleDoesNotFireForDueTimesBeforeTheAutomationExisted() {
        JsonObject daily = new JsonObject().put("every", "P1D").put("at", "06:00");
        assertThat(lastDue(daily, "2026-01-05T20:00")).as("06:00 on the day it was created, at 08:00").isEmpty();
        assertThat(lastDue(daily, "2026-01-06T06:00")).contains(at("2026-01-06T06:00"));
        assertThat(lastDue(daily, "2026-01-09T05:00")).as("after an outage: the latest due time only")
                .contains(at("2026-01-08T06:00"));
    }

    @Test
    void badSchedulesAreNamedByParameter() {
        var schedule = new Triggers.Schedule();
        assertThat(schedule.validate(new JsonObject().put("type", "schedule").put("cron", "0 9 * *")))
                .singleElement().asString().startsWith("cron: ");
        assertThat(schedule.validate(new JsonObject().put("every", "P1W")))
                .containsExactly("at: is required with every (a time of day, e.g. 09:00)");
        assertThat(schedule.validate(new JsonObject().put("every", "PT1H").put("at", "9am")))
                .containsExactly("every: must be an ISO 8601 period of days, weeks, months or years, e.g. P1W",
                        "at: must be a time of day, e.g. 09:00");
        assertThat(schedule.validate(new JsonObject())).containsExactly("cron: give either cron or every");
        assertThat(schedule.validate(new JsonObject().put("cron", "0 9 * * 1").put("color", "red")))
                .containsExactly("color: is not a parameter here (allowed: cron, every, at, startsOn, tag)");
        assertThat(schedule.validate(new JsonObject().put("every", "P1W").put("at", "09:00")
                .put("tag", "members"))).isEmpty();
        assertThat(schedule.validate(new JsonObject().put("cron", "0 0 30 2 *")))
                .containsExactly("cron: never comes due");
        assertThat(schedule.validate(new JsonObject().put("every", "P999999999Y").put("at", "09:00")))
                .containsExactly("every: must be at most ten years");
        assertThat(schedule.validate(new JsonObject().put("every", "P1D").put("at", "09:00")
                .put("startsOn", "-999999999-01-01"))).containsExactly("startsOn: must be a date from 2000 to 2100");
        assertThat(schedule.validate(new JsonObject().put("cron", "0 9 * * 1").put("tag", " vip")))
                .containsExactly("tag: must not start or end with a space");
        assertThat(schedule.validate(new JsonObject().put("cron", 9))).singleElement().asString()
                .startsWith("cron: ");
    }
}
