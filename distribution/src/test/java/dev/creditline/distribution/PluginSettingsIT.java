package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.boot.DaggerKernelComponent;
import dev.creditline.kernel.boot.Kernel;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.store.WriteFaults;
import dev.creditline.testkit.ApiClient.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bundled plugin declares its settings, and the kernel holds studios and the config file to the declaration:
 * unknown names, wrong types and numbers that are not finite are 422s naming the setting (never stored), and a bad
 * setting in the config file stops the start.
 */
class PluginSettingsIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    static final List<String> BUNDLED = List.of("automations", "email", "first-visit-policy", "refund-policy",
            "reporting", "stripe", "test-fixtures", "trainer-bound", "vouchers");

    private static Response put(StudioFixture studio, String plugin, String settingsJson) {
        return studio.api().send("PUT", "/v1/plugins/" + plugin, studio.owner(),
                "{\"enabled\":true,\"settings\":" + settingsJson + "}", Map.of());
    }

    private static List<String> fields(Response response) {
        return response.body().get("errors").findValuesAsText("field");
    }

    static Stream<String> bundled() {
        return BUNDLED.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundled")
    void aSettingThePluginDoesNotDeclareIsRefusedByName(String plugin) {
        StudioFixture studio = server.studio(true);

        Response refused = put(studio, plugin, "{\"x\":1e400}");

        assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(fields(refused)).contains("settings.x");
        assertThat(server.probe().number("SELECT count(*) FROM plugin_settings WHERE studio_id = ?", studio.id()))
                .as("nothing stored").isZero();
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("first-visit-policy", "{\"maxVisits\":\"two\"}", "settings.maxVisits"),
                Arguments.of("first-visit-policy", "{\"maxVisits\":1.5}", "settings.maxVisits"),
                Arguments.of("refund-policy", "{\"fullRefundDays\":true}", "settings.fullRefundDays"),
                Arguments.of("refund-policy", "{\"feePercent\":1e400}", "settings.feePercent"),
                Arguments.of("refund-policy", "{\"feeFixed\":\"a lot\"}", "settings.feeFixed"),
                Arguments.of("email", "{\"host\":\"smtp.example.com\",\"from\":\"a@example.com\",\"port\":\"25\"}",
                        "settings.port"),
                Arguments.of("email", "{\"host\":\"smtp.example.com\",\"from\":\"a@example.com\",\"ssl\":\"yes\"}",
                        "settings.ssl"),
                Arguments.of("email", "{\"host\":1e400,\"from\":\"a@example.com\"}", "settings.host"),
                Arguments.of("stripe", "{\"secretKey\":\"sk_test_1\",\"webhookSecret\":\"whsec_1\","
                        + "\"successUrl\":5}", "settings.successUrl"),
                Arguments.of("stripe", "{\"secretKey\":1e400,\"webhookSecret\":\"whsec_1\"}", "settings.secretKey"),
                Arguments.of("test-fixtures", "{\"vetoMaster\":\"yes\"}", "settings.vetoMaster"),
                Arguments.of("test-fixtures", "{\"exportLines\":12345678901}", "settings.exportLines"),
                // json-typed: any structure the plugin checks itself, but numbers are finite
                Arguments.of("test-fixtures", "{\"fail\":{\"CreditPolicy\":1e400}}", "settings.fail"),
                Arguments.of("test-fixtures", "{\"fail\":{\"CreditPolicy\":\"explode\"}}", "settings.fail"),
                Arguments.of("test-fixtures", "{\"fail\":[\"CreditPolicy\"]}", "settings.fail"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongTypes")
    void aSettingOfTheWrongTypeIsRefusedByName(String plugin, String settings, String field) {
        StudioFixture studio = server.studio(true);

        Response refused = put(studio, plugin, settings);

        assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
        assertThat(fields(refused)).containsExactly(field);
        assertThat(refused.raw()).doesNotContain("Infinity");
    }

    @Test
    void theDeclarationIsDescribedAndItsSecretsAreMasked() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, "stripe", Map.of("secretKey", "sk_test_described", "webhookSecret",
                "whsec_described"));

        Response stripe = studio.api().get("/v1/plugins/stripe", studio.owner()).expect(200);
        Response firstVisit = studio.api().get("/v1/plugins/first-visit-policy", studio.owner()).expect(200);

        JsonNode schema = stripe.body().get("settingsSchema");
        assertThat(schema).extracting(s -> s.get("name").asText())
                .containsExactly("secretKey", "webhookSecret", "successUrl", "cancelUrl");
        JsonNode secretKey = schema.get(0);
        assertThat(secretKey.get("type").asText()).isEqualTo("string");
        assertThat(secretKey.get("required").booleanValue()).isTrue();
        assertThat(secretKey.get("secret").booleanValue()).isTrue();
        assertThat(secretKey.get("default").isNull()).isTrue();
        assertThat(secretKey.get("description").asText()).contains("sk_");
        assertThat(schema.get(2).get("type").asText()).isEqualTo("url");
        assertThat(stripe.text("/settings/secretKey")).isEqualTo("********");
        assertThat(stripe.raw()).doesNotContain("sk_test_described").doesNotContain("whsec_described");
        JsonNode maxVisits = firstVisit.body().at("/settingsSchema/0");
        assertThat(maxVisits.get("name").asText()).isEqualTo("maxVisits");
        assertThat(maxVisits.get("type").asText()).isEqualTo("integer");
        assertThat(maxVisits.get("default").intValue()).isEqualTo(1);
        assertThat(maxVisits.get("min").intValue()).isEqualTo(1);
        assertThat(maxVisits.get("max").intValue()).isEqualTo(100);
        assertThat(studio.api().get("/v1/plugins/vouchers", studio.owner()).expect(200).body()
                .get("settingsSchema")).as("vouchers take no settings").isEmpty();
    }

    @Test
    void requiredSettingsAreRequiredOfAnEnabledPluginOnly() {
        StudioFixture studio = server.studio(true);

        Response enabled = put(studio, "email", "{\"port\":587}");
        Response disabled = studio.api().send("PUT", "/v1/plugins/email", studio.owner(),
                json("enabled", false, "settings", Map.of("port", 587)), Map.of());

        assertThat(enabled.status()).isEqualTo(422);
        assertThat(fields(enabled)).containsExactlyInAnyOrder("settings.host", "settings.from");
        assertThat(disabled.status()).as(disabled.raw()).isEqualTo(200);
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("plugins.defaults.first-visit-policy.settings.maxVisits",
                        new Config.Plugins(List.of(PluginServers.PLUGINS), null, Map.of("first-visit-policy",
                                new Config.PluginChoice(true, new JsonObject().put("maxVisits", "two"))),
                                Duration.ofSeconds(2))),
                Arguments.of("plugins.defaults.refund-policy.settings.colour",
                        new Config.Plugins(List.of(PluginServers.PLUGINS), null, Map.of("refund-policy",
                                new Config.PluginChoice(false, new JsonObject().put("colour", "red"))),
                                Duration.ofSeconds(2))),
                Arguments.of("plugins.defaults.email.settings.host",
                        new Config.Plugins(List.of(PluginServers.PLUGINS), null, Map.of("email",
                                new Config.PluginChoice(true, new JsonObject().put("host", "169.254.169.254")
                                        .put("from", "desk@example.com"))), Duration.ofSeconds(2))),
                Arguments.of("plugins.serverSettings.email.allowedPorts",
                        new Config.Plugins(List.of(PluginServers.PLUGINS), null, Map.of(), Duration.ofSeconds(2),
                                Map.of("email", new JsonObject().put("allowedPorts", new JsonArray().add("25"))))));
    }

    /** What only the server reaches is not a studio's SMTP server: a 422 naming the setting, nothing stored. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1", "localhost", "0.0.0.0", "169.254.169.254", "10.0.0.5", "172.16.0.1",
            "192.168.1.1", "100.64.0.1", "[::1]", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "224.0.0.1"})
    void anSmtpHostOnlyTheServerReachesIsRefused(String host) {
        StudioFixture studio = server.studio(true);

        Response refused = studio.api().send("PUT", "/v1/plugins/email", studio.owner(), json("enabled", true,
                "settings", Map.of("host", host, "port", 587, "from", "desk@example.com")), Map.of());

        assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
        assertThat(fields(refused)).containsExactly("settings.host");
        assertThat(refused.text("/errors/0/message")).contains("must be a public SMTP server")
                .contains("plugins.serverSettings.email.allowPrivateHosts");
        assertThat(server.probe().number("SELECT count(*) FROM plugin_settings WHERE studio_id = ?", studio.id()))
                .as("nothing stored").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {22, 80, 443, 3306, 5432, 6379, 8080})
    void anSmtpPortOtherThanTheOperatorAllowsIsRefused(int port) {
        StudioFixture studio = server.studio(true);

        Response refused = studio.api().send("PUT", "/v1/plugins/email", studio.owner(), json("enabled", true,
                "settings", Map.of("host", "203.0.113.25", "port", port, "from", "desk@example.com")), Map.of());

        assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
        assertThat(fields(refused)).containsExactly("settings.port");
        assertThat(refused.text("/errors/0/message")).contains("25, 465, 587, 2525");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {25, 465, 587, 2525})
    void aPublicSmtpServerIsStored(int port) {
        StudioFixture studio = server.studio(true);

        Response stored = studio.api().send("PUT", "/v1/plugins/email", studio.owner(), json("enabled", true,
                "settings", Map.of("host", "203.0.113.25", "port", port, "from", "desk@example.com")), Map.of());

        assertThat(stored.status()).as(stored.raw()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void aBadSettingInTheConfigFileStopsTheStartNamingPluginAndSetting(String named, Config.Plugins plugins) {
        Config config = Config.defaults().toBuilder().database(server.databaseUrl()).httpPort(0).httpInstances(1)
                .poolSize(2).adminToken(TestServer.ADMIN_TOKEN).plugins(plugins).build();
        Kernel kernel = DaggerKernelComponent.builder().config(config).clock(Clock.systemUTC())
                .writeFaults(WriteFaults.NONE).build().kernel();
        try {
            assertThatThrownBy(() -> kernel.start().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS)).hasMessageContaining(named);
        } finally {
            kernel.stop().join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"maxVisits\":2}", "{}", "{\"maxVisits\":null}"})
    void validSettingsAreStored(String settings) {
        StudioFixture studio = server.studio(true);

        assertThat(put(studio, "first-visit-policy", settings).status()).isEqualTo(200);
    }
}
