package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.Concurrently;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example third-party plugin, end to end: promotional credits pay only for a member's first visits. */
class FirstVisitPolicyIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    @Test
    void promotionalCreditsPayOnlyForTheFirstVisits() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, "first-visit-policy", Map.of("maxVisits", 2));
        String member = studio.member("Mia");
        studio.grant(member, 5);
        String yoga = studio.scheduler("Yoga", 1);

        studio.book(member, yoga, studio.now().plus(Duration.ofDays(1))).expect(201);
        studio.book(member, yoga, studio.now().plus(Duration.ofDays(2))).expect(201);
        Response third = studio.book(member, yoga, studio.now().plus(Duration.ofDays(3)));

        assertThat(third.status()).isEqualTo(409);
        assertThat(third.body().at("/eligibility/lots/0/reasons/0").asText()).isEqualTo("first_visits_only");
        studio.sell(member, studio.pack("Paid 5", 5, "50.00"));
        assertThat(studio.book(member, yoga, studio.now().plus(Duration.ofDays(3))).status())
                .as("paid credits are not affected").isEqualTo(201);
    }

    @Test
    void bookingsAtOnceStillSeeEachOtherThroughThePolicy() throws Exception {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, "first-visit-policy", Map.of("maxVisits", 2));
        String member = studio.member("Mia");
        studio.grant(member, 10);
        String yoga = studio.scheduler("Yoga", 1);

        // Eight bookings of one member at once: the policy must see each booking before it, batched or not.
        List<Response> answers = Concurrently.run(8, i -> () -> studio.api().post("/v1/bookings", studio.owner(),
                json("memberId", member, "schedulerId", yoga,
                        "startsAt", studio.now().plus(Duration.ofDays(1 + i)).toString()), "visit-" + i));

        assertThat(answers).extracting(Response::status).containsOnly(201, 409);
        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(2);
        assertThat(studio.balance(member, "master")).isEqualTo(8);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void itsSettingsAreValidated() {
        StudioFixture studio = server.studio(true);
        Response bad = studio.api().send("PUT", "/v1/plugins/first-visit-policy", studio.owner(),
                json("enabled", true, "settings", Map.of("maxVisits", 0)), Map.of());

        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.text("/errors/0/field")).isEqualTo("settings.maxVisits");
    }
}
