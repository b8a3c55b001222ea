package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.distribution.ServerProcesses.Server;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.testkit.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The assembled distribution as an operator uses it: {@code bin/creditline} with the environment overrides. */
class DistributionIT {
    private static final Path HOME = ServerProcesses.HOME;
    private static final Pattern ADMIN_TOKEN = Pattern.compile("Admin token .*: (cla_\\S+)");

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void theLayoutIsWhatTheReadmePromises() {
        assertThat(HOME.resolve("bin/creditline")).isExecutable();
        assertThat(HOME.resolve("config/creditline.yaml")).isRegularFile();
        assertThat(HOME.resolve("plugins")).isDirectory();
        assertThat(HOME.resolve("lib")).isDirectoryContaining("glob:**/creditline-kernel-*.jar")
                .isDirectoryContaining("glob:**/creditline-web-*.jar");
        assertThat(HOME.resolveSibling("creditline.tar.gz")).isRegularFile();
    }

    @Test
    void theArchiveUnpacksIntoACreditlineDirectoryHoldingTheServer() throws Exception {
        Process tar = new ProcessBuilder("tar", "tzf", HOME.resolveSibling("creditline.tar.gz").toString())
                .redirectErrorStream(true).start();
        List<String> entries = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .toList();
        assertThat(tar.waitFor()).isZero();
        assertThat(entries).allMatch(entry -> entry.startsWith("creditline/"))
                .contains("creditline/bin/creditline", "creditline/config/creditline.yaml");
        try (var jars = Files.list(HOME.resolve("lib"))) {
            assertThat(entries).containsAll(jars.map(jar -> "creditline/lib/" + jar.getFileName()).toList());
        }
    }

    @Test
    void firstStartCreatesTheDatabasePrintsTheAdminTokenOnceAndServes() throws Exception {
        DatabaseUrl url = servers.unbornDatabase();
        int port = ServerProcesses.freePort();
        Map<String, String> env = Map.of("CREDITLINE_HTTP_PORT", String.valueOf(port),
                "CREDITLINE_DATABASE_URL", ServerProcesses.url(url));

        Server first = servers.launch(HOME, env);
        String line = first.waitForLine(ADMIN_TOKEN, Duration.ofSeconds(60));
        Matcher token = ADMIN_TOKEN.matcher(line);
        assertThat(token.find()).isTrue();
        ApiClient api = first.api();
        assertThat(api.get("/health", null).expect(200).text("/status")).isEqualTo("up");
        assertThat(first.management().get("/health", null).expect(200).text("/database")).isEqualTo("up");
        String owner = api.post("/admin/studios", token.group(1), json("name", "Rising Stars",
                "timezone", "Europe/Berlin", "currency", "EUR")).expect(201).text("/ownerKey");
        assertThat(api.get("/openapi.json", null).expect(200).text("/openapi")).startsWith("3.");
        // The dashboard and the portal come from lib/'s creditline-web jar, the page the README sends a newcomer to.
        assertThat(api.get("/dashboard/", null).expect(200).raw()).contains("app.js");
        assertThat(api.get("/portal/portal.js", null).expect(200).raw()).contains("/v1/me");
        servers.stop(first);

        Server second = servers.launch(HOME, env);
        second.waitForLine(Pattern.compile("listening on"), Duration.ofSeconds(60));
        assertThat(second.output()).doesNotContain("Admin token");
        assertThat(api.post("/v1/members", owner, json("name", "Mia")).status()).isEqualTo(201);
        assertThat(api.post("/admin/studios", token.group(1), json("name", "Second", "timezone", "UTC",
                "currency", "EUR")).status()).as("the stored admin token still works").isEqualTo(201);
    }

    @Test
    void anUnreachableDatabaseEndsItWithOneClearLine() throws Exception {
        Server process = servers.launch(HOME, Map.of("CREDITLINE_HTTP_PORT",
                String.valueOf(ServerProcesses.freePort()),
                "CREDITLINE_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/creditline"));

        assertThat(process.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.process().exitValue()).isNotZero();
        List<String> lines = process.output().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("creditline: cannot use PostgreSQL at postgresql://postgres@127.0.0.1:1/")
                .contains("CREDITLINE_DATABASE_URL").doesNotContain("Exception");
    }

    @Test
    void aBadSettingEndsItWithOneLineNamingIt() throws Exception {
        Server process = servers.launch(HOME, Map.of("CREDITLINE_HTTP_PORT", "not-a-port"));

        assertThat(process.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.process().exitValue()).isNotZero();
        assertThat(process.output().strip()).isEqualTo(
                "creditline: CREDITLINE_HTTP_PORT: must be a whole number from 0 to 65535, not 'not-a-port'");
    }

    @Test
    void itStartsWithEveryBundledPlugin() throws Exception {
        JsonNode plugins = startAndListPlugins(HOME);

        assertThat(plugins).extracting(p -> p.get("id").asText() + ":" + p.get("state").asText())
                .containsExactly("automations:started", "email:started", "first-visit-policy:started",
                        "refund-policy:started", "reporting:started", "stripe:started", "trainer-bound:started",
                        "vouchers:started");
    }

    @Test
    void itStartsWithoutPlugins() throws Exception {
        Path home = servers.installation(List.of());

        assertThat(startAndListPlugins(home)).isEmpty();
    }

    @Test
    void aBrokenPluginJarIsReportedAndSkipped() throws Exception {
        List<Path> jars = new ArrayList<>();
        try (var shipped = Files.list(HOME.resolve("plugins"))) {
            shipped.forEach(jars::add);
        }
        Path home = servers.installation(jars);
        Files.write(home.resolve("plugins/garbage.jar"), "not a jar at all".getBytes(StandardCharsets.UTF_8));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Plugin-Id", "ghost");
        manifest.getMainAttributes().putValue("Plugin-Version", "1.0.0");
        manifest.getMainAttributes().putValue("Plugin-Class", "com.example.ghost.MissingPlugin");
        try (var jar = new JarOutputStream(Files.newOutputStream(home.resolve("plugins/ghost.jar")), manifest)) {
            jar.flush();
        }

        JsonNode plugins = startAndListPlugins(home);

        assertThat(plugins).extracting(p -> p.get("id").asText() + ":" + p.get("state").asText())
                .contains("first-visit-policy:started", "trainer-bound:started", "vouchers:started",
                        "ghost:failed", "garbage.jar:failed");
    }

    /** Starts the installation on a fresh database, creates a studio and lists the plugins it sees. */
    private JsonNode startAndListPlugins(Path home) throws Exception {
        Server server = servers.start(home, servers.unbornDatabase(), Map.of());
        ApiClient api = server.api();
        String owner = api.post("/admin/studios", ServerProcesses.ADMIN_TOKEN, json("name", "S",
                "timezone", "UTC", "currency", "EUR")).expect(201).text("/ownerKey");
        assertThat(api.post("/v1/members", owner, json("name", "Mia")).status()).as("it serves").isEqualTo(201);
        return api.get("/v1/plugins", owner).expect(200).body().get("items");
    }
}
