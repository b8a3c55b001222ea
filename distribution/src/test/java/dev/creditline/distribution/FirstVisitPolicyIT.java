package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
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
    void itsSettingsAreValidated() {
        StudioFixture studio = server.studio(true);
        Response bad = studio.api().send("PUT", "/v1/plugins/first-visit-policy", studio.owner(),
                json("enabled", true, "settings", Map.of("maxVisits", 0)), Map.of());

        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.text("/errors/0/field")).isEqualTo("settings.maxVisits");
    }
}
