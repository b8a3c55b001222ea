package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Usage limits of a product: at most N bookings per calendar week or month, per scheduler or overall. */
class UsageLimitsApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void twoYogaClassesAWeekThenUsageLimitReachedUntilNextWeek() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String yoga = studio.scheduler("Yoga", 1);
        String spin = studio.scheduler("Spin", 1);
        String product = studio.product(json("name", "Yoga Twice", "kind", "package", "credits", 20,
                "price", json("amount", "150.00", "currency", "EUR"),
                "usageLimits", List.of(Map.of("schedulerId", yoga, "max", 2, "per", "P1W"))));
        studio.purchase(member, product);
        // Classes on Monday and Sunday of next week, in the studio's time zone, and on the Monday after.
        Instant monday = studio.now().atZone(BERLIN).truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.next(DayOfWeek.MONDAY)).withHour(18).toInstant();
        Instant sunday = monday.plus(Duration.ofDays(6));
        Instant nextMonday = monday.plus(Duration.ofDays(7));

        studio.book(member, yoga, monday).expect(201);
        String second = studio.book(member, yoga, sunday).expect(201).text("/id");
        Response third = studio.book(member, yoga, sunday.plus(Duration.ofHours(1)));

        assertThat(third.status()).isEqualTo(409);
        assertThat(third.body().at("/eligibility/lots/0/reasons").toString()).contains("usage_limit_reached");
        studio.book(member, spin, sunday).expect(201);
        studio.book(member, yoga, nextMonday).expect(201);
        JsonNode limit = account(studio.credits(member), product).at("/usageLimits/0");
        assertThat(limit.get("max").intValue()).isEqualTo(2);
        assertThat(limit.get("per").asText()).isEqualTo("P7D");
        Response explained = studio.api().get("/v1/members/" + member + "/eligibility?schedulerId=" + yoga
                + "&startsAt=" + sunday, studio.owner()).expect(200);
        assertThat(explained.body().get("canBook").booleanValue()).isFalse();

        // A cancelled booking no longer counts.
        studio.cancel(second).expect(200);
        studio.book(member, yoga, sunday.plus(Duration.ofHours(2))).expect(201);
        assertThat(server.probe().journalMismatches()).isEmpty();
        assertThat(server.probe().bookingMismatches()).isEmpty();
    }

    @Test
    void aLimitCountsPerCalendarDayWeekMonthOrYearOnly() {
        StudioFixture studio = server.studio(true);
        Response refused = studio.api().post("/v1/products", studio.owner(), json("name", "Odd", "kind", "package",
                "credits", 5, "price", json("amount", "10.00", "currency", "EUR"),
                "usageLimits", List.of(Map.of("max", 2, "per", "P10D"))));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("/errors/0/field")).isEqualTo("usageLimits[0].per");
    }

    private static JsonNode account(JsonNode credits, String account) {
        for (JsonNode a : credits.get("accounts")) {
            if (a.get("account").asText().equals(account)) {
                return a;
            }
        }
        throw new AssertionError("no account " + account + " in " + credits);
    }
}
