package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.boot.DaggerKernelComponent;
import dev.creditline.kernel.boot.Kernel;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.store.WriteFaults;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.FakeStripe;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plugins' secret settings at rest: encrypted in {@code plugin_settings} with the server's key (AES-GCM, the key's id
 * in front), still what the plugin reads; a missing or wrong key stops the start with a message that says so; keys
 * rotate; and secrets stored in plain text before are encrypted at the next start.
 */
class PluginSecretsIT {
    static final FakeStripe stripe = FakeStripe.start();
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins(PluginServers.stripeAt(stripe));

    static final String OTHER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @AfterAll
    static void stopStripe() {
        stripe.close();
    }

    private String stored(StudioFixture studio, String setting) {
        return server.probe().text("SELECT settings->>'" + setting + "' FROM plugin_settings"
                + " WHERE studio_id = ? AND plugin_id = 'stripe'", studio.id());
    }

    /** Starts another server on the test's database with the given secrets key; the action runs while it runs. */
    private void withServer(String secretsKey, Consumer<ApiClient> action) {
        Config config = Config.defaults().toBuilder().database(server.databaseUrl()).httpPort(0).httpInstances(1)
                .poolSize(2).adminToken(TestServer.ADMIN_TOKEN).secretsKey(secretsKey)
                .expirySweepInterval(Duration.ofHours(1))
                .plugins(new Config.Plugins(List.of(PluginServers.PLUGINS), null, Map.of(), Duration.ofSeconds(2),
                        PluginServers.stripeAt(stripe))).build();
        Kernel kernel = DaggerKernelComponent.builder().config(config).clock(Clock.systemUTC())
                .writeFaults(WriteFaults.NONE).build().kernel();
        try {
            int port = kernel.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            action.accept(new ApiClient(URI.create("http://127.0.0.1:" + port)));
        } catch (Exception e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.toString(), e);
        } finally {
            kernel.stop().join();
        }
    }

    @Test
    void aSecretIsNotReadableInItsRowAndTheStripePluginStillUsesIt() {
        StudioFixture studio = StripeIT.studio(server);

        String row = server.probe().text("SELECT settings::text FROM plugin_settings WHERE studio_id = ?",
                studio.id());
        assertThat(row).doesNotContain(StripeIT.SECRET_KEY).doesNotContain(StripeIT.WEBHOOK_SECRET)
                .doesNotContain(StripeIT.SECRET_KEY.substring(3));
        assertThat(stored(studio, "secretKey")).matches("enc:v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+");
        assertThat(stored(studio, "secretKey")).isNotEqualTo(stored(studio, "webhookSecret"));
        // The key pays for the checkout; the signing secret verifies the webhook.
        String product = studio.pack("5 Pack", 5, "50.00");
        String purchase = studio.api().post("/v1/members/" + studio.member("Mia") + "/purchases", studio.owner(),
                json("productId", product, "payment", "stripe"), "secret-buy").expect(201).text("/id");
        FakeStripe.Request checkout = StripeIT.checkoutOf(stripe, purchase);
        assertThat(checkout.authorization()).isEqualTo("Bearer " + StripeIT.SECRET_KEY);
        StripeIT.deliver(studio, stripe.event("checkout.session.completed",
                stripe.completedSession(checkout, "pi_" + purchase, null))).expect(200);
        // Another node reads them as well.
        withServer(TestServer.SECRETS_KEY, api -> assertThat(api.get("/v1/plugins/stripe", studio.owner())
                .expect(200).text("/settings/secretKey")).isEqualTo("********"));
    }

    @Test
    void aValueCopiedToAnotherStudiosRowDoesNotDecrypt() {
        StudioFixture a = StripeIT.studio(server);
        StudioFixture b = StripeIT.studio(server);
        server.probe().tryExecute("UPDATE plugin_settings SET settings = jsonb_set(settings, '{secretKey}',"
                + " (SELECT settings->'secretKey' FROM plugin_settings WHERE studio_id = '" + a.id() + "'"
                + " AND plugin_id = 'stripe')) WHERE studio_id = '" + b.id() + "' AND plugin_id = 'stripe'");
        try {
            assertThatThrownBy(() -> withServer(TestServer.SECRETS_KEY, api -> { }))
                    .hasMessageContaining("secrets.key").hasMessageContaining(b.id())
                    .hasMessageContaining("does not decrypt");
        } finally {
            server.probe().tryExecute("DELETE FROM plugin_settings WHERE studio_id = '" + b.id() + "'");
        }
    }

    @Test
    void aMissingOrWrongKeyStopsTheStartWithAClearError() {
        StripeIT.studio(server);

        assertThatThrownBy(() -> withServer(OTHER_KEY, api -> { }))
                .hasMessageContaining("secrets.key").hasMessageContaining("encrypted with key")
                .hasMessageContaining("does not hold");
        assertThatThrownBy(() -> withServer(null, api -> { }))
                .hasMessageContaining("secrets.key").hasMessageContaining("is not configured");
        assertThatThrownBy(() -> withServer("not base64!", api -> { }))
                .hasMessageContaining("secrets.key").hasMessageContaining("32");
    }

    @Test
    void keysRotateAndEverySecretIsRewrittenWithTheNewOneAtStart() {
        StudioFixture studio = StripeIT.studio(server);
        String oldId = stored(studio, "secretKey").split(":")[2];

        withServer(OTHER_KEY + "," + TestServer.SECRETS_KEY, api -> { });

        String newId = stored(studio, "secretKey").split(":")[2];
        assertThat(newId).isNotEqualTo(oldId);
        assertThat(server.probe().number("SELECT count(*) FROM plugin_settings WHERE settings::text LIKE ?",
                "%enc:v1:" + oldId + ":%")).as("nothing left under the old key").isZero();
        withServer(OTHER_KEY, api -> assertThat(api.get("/v1/plugins/stripe", studio.owner()).expect(200)
                .text("/settings/webhookSecret")).isEqualTo("********"));
        // Back, for the other tests of this server.
        withServer(TestServer.SECRETS_KEY + "," + OTHER_KEY, api -> { });
        assertThat(stored(studio, "secretKey").split(":")[2]).isEqualTo(oldId);
    }

    @Test
    void secretsStoredInPlainTextBeforeAreEncryptedAtTheNextStart() {
        StudioFixture studio = StripeIT.studio(server);
        server.probe().tryExecute("UPDATE plugin_settings SET settings = settings"
                + " || '{\"secretKey\":\"sk_test_plain\",\"webhookSecret\":\"whsec_plain\"}'::jsonb"
                + " WHERE studio_id = '" + studio.id() + "'");

        withServer(TestServer.SECRETS_KEY, api -> { });

        assertThat(stored(studio, "secretKey")).startsWith("enc:v1:");
        assertThat(stored(studio, "webhookSecret")).startsWith("enc:v1:");
        assertThat(server.probe().text("SELECT settings::text FROM plugin_settings WHERE studio_id = ?",
                studio.id())).doesNotContain("sk_test_plain").doesNotContain("whsec_plain");
        assertThat(stored(studio, "successUrl")).as("what is not secret stays readable").isNull();
    }
}
