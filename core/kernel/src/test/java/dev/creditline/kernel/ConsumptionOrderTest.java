package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.http.StudioContexts;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.ledger.ConsumptionOrder;
import dev.creditline.store.StudioRepository;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The consumption order is the studio's: FIFO by default, earliest expiry when chosen, config winning. */
class ConsumptionOrderTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void aStudioThatChoseEarliestExpirySpendsTheSoonestExpiringCreditsFirst() {
        String owner = server.api().post("/admin/studios", TestServer.ADMIN_TOKEN, json("name", "EE",
                "timezone", "UTC", "currency", "EUR", "testMode", true, "consumptionOrder", "earliest_expiry"))
                .expect(201).text("/ownerKey");
        String member = server.api().post("/v1/members", owner, json("name", "Mia")).expect(201).text("/id");
        Instant now = Instant.parse(server.api().get("/v1/clock", owner).text("/now"));
        String longLived = grant(owner, member, now.plus(Duration.ofDays(90)));
        String soon = grant(owner, member, now.plus(Duration.ofDays(5)));
        String scheduler = server.api().post("/v1/schedulers", owner, json("name", "Yoga", "creditCost", 1,
                "paymentMode", "credits", "cancellationWindow", "PT1H")).expect(201).text("/id");

        Response booking = server.api().post("/v1/bookings", owner, json("memberId", member, "schedulerId", scheduler,
                "startsAt", now.plus(Duration.ofDays(1)).toString())).expect(201);

        assertThat(booking.text("/allocations/0/lotId")).isEqualTo(soon).isNotEqualTo(longLived);
    }

    private static String grant(String owner, String member, Instant expiresAt) {
        return server.api().post("/v1/members/" + member + "/credits/adjust", owner, json("account", "master",
                "mode", "add", "amount", 1, "reason", "gift", "expiresAt", expiresAt.toString())).expect(200)
                .body().get("lots").findValuesAsText("id").stream()
                .reduce((first, second) -> second).orElseThrow();
    }

    @Test
    void theConfigFileWinsOverTheStoredOrder() {
        var studio = new StudioRepository.Studio("std_1", "S", ZoneId.of("UTC"), Currency.getInstance("EUR"), false,
                null, ConsumptionOrder.FIFO);
        Config config = Config.defaults().toBuilder()
                .studios(Map.of("std_1", new Config.Studio(ConsumptionOrder.EARLIEST_EXPIRY, Map.of(), null)))
                .build();
        Clock clock = Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);

        assertThat(new StudioContexts(config, clock, null).of(studio).order()).isEqualTo(ConsumptionOrder.EARLIEST_EXPIRY);
        assertThat(new StudioContexts(Config.defaults(), clock, null).of(studio).order())
                .isEqualTo(ConsumptionOrder.FIFO);
    }
}
