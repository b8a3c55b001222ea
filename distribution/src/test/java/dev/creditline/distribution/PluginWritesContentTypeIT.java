package dev.creditline.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.RouteTable;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plugins' write routes go through the kernel's router: with every plugin loaded, each write route (a new one
 * is covered by itself) answers a body that is not JSON with 415, whether or not the studio enabled the plugin.
 * Webhooks take what their sender sends.
 */
class PluginWritesContentTypeIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    static StudioFixture studio;

    @BeforeAll
    static void studio() {
        studio = server.studio(false);
    }

    static Stream<String> pluginWrites() {
        var router = server.component().apiRouter().create(server.component().vertx(), 1024);
        // The kernel's as well as the plugins' (ContentTypeTest covers the kernel's alone).
        List<String> writes = RouteTable.mounted(router, path -> !path.startsWith("/webhooks/")).stream()
                .filter(line -> line.matches("(POST|PUT|PATCH|DELETE) .*"))
                .toList();
        assertThat(writes).as("plugin write routes").contains("POST /v1/vouchers", "POST /v1/automations",
                "POST /v1/trainers/{id}/offboard", "POST /v1/plugins/test-fixtures/notify");
        return writes.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pluginWrites")
    void aBodyThatIsNotJsonIs415(String route) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{\\w+}", "x_unknown");

        Response answer = server.api().send(method, path, studio.owner(), "code=SPRING",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.text("/expected")).isEqualTo("application/json");
    }
}
