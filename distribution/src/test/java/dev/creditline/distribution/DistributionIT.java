package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.store.DatabaseUrl;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.FreshDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The assembled distribution as an operator uses it: {@code bin/creditline} with the environment overrides. */
class DistributionIT {
    private static final Path HOME = Path.of(System.getProperty("creditline.distribution", "target/creditline"));
    private static final Pattern ADMIN_TOKEN = Pattern.compile("Admin token .*: (cla_\\S+)");

    private final List<Process> started = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();
    private final List<Path> installations = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process process : started) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        for (String database : databases) {
            FreshDatabase.drop(database);
        }
        for (Path home : installations) {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void theLayoutIsWhatTheReadmePromises() {
        assertThat(HOME.resolve("bin/creditline")).isExecutable();
        assertThat(HOME.resolve("config/creditline.yaml")).isRegularFile();
        assertThat(HOME.resolve("plugins")).isDirectory();
        assertThat(HOME.resolve("lib")).isDirectoryContaining("glob:**/creditline-kernel-*.jar");
        assertThat(HOME.resolveSibling("creditline.tar.gz")).isRegularFile();
    }

    @Test
    void firstStartCreatesTheDatabasePrintsTheAdminTokenOnceAndServes() throws Exception {
        String name = "creditline_dist_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        databases.add(name);
        DatabaseUrl url = FreshDatabase.server().withDatabase(name);
        int port = freePort();
        Map<String, String> env = Map.of("CREDITLINE_HTTP_PORT", String.valueOf(port),
                "CREDITLINE_DATABASE_URL", "postgresql://" + url.user() + "@" + url.host() + ":" + url.port()
                        + "/" + name);

        Started first = start(env);
        String line = first.waitForLine(ADMIN_TOKEN, Duration.ofSeconds(60));
        Matcher token = ADMIN_TOKEN.matcher(line);
        assertThat(token.find()).isTrue();
        ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        assertThat(api.get("/health", null).expect(200).text("/database")).isEqualTo("up");
        String owner = api.post("/admin/studios", token.group(1), json("name", "Rising Stars",
                "timezone", "Europe/Berlin", "currency", "EUR")).expect(201).text("/ownerKey");
        assertThat(api.get("/openapi.json", null).expect(200).text("/openapi")).startsWith("3.");
        stop(first);

        Started second = start(env);
        second.waitForLine(Pattern.compile("listening on"), Duration.ofSeconds(60));
        assertThat(second.output()).doesNotContain("Admin token");
        assertThat(api.post("/v1/members", owner, json("name", "Mia")).status()).isEqualTo(201);
        assertThat(api.post("/admin/studios", token.group(1), json("name", "Second", "timezone", "UTC",
                "currency", "EUR")).status()).as("the stored admin token still works").isEqualTo(201);
    }

    @Test
    void anUnreachableDatabaseEndsItWithOneClearLine() throws Exception {
        Started process = start(Map.of("CREDITLINE_HTTP_PORT", String.valueOf(freePort()),
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
        Started process = start(Map.of("CREDITLINE_HTTP_PORT", "not-a-port"));

        assertThat(process.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.process().exitValue()).isNotZero();
        assertThat(process.output().strip()).isEqualTo(
                "creditline: CREDITLINE_HTTP_PORT: must be a whole number from 0 to 65535, not 'not-a-port'");
    }

    @Test
    void itStartsWithEveryBundledPlugin() throws Exception {
        JsonNode plugins = startAndListPlugins(HOME);

        assertThat(plugins).extracting(p -> p.get("id").asText() + ":" + p.get("state").asText())
                .containsExactly("first-visit-policy:started", "refund-policy:started", "stripe:started",
                        "trainer-bound:started", "vouchers:started");
    }

    @Test
    void itStartsWithoutPlugins() throws Exception {
        Path home = installation(List.of());

        assertThat(startAndListPlugins(home)).isEmpty();
    }

    @Test
    void aBrokenPluginJarIsReportedAndSkipped() throws Exception {
        List<Path> jars = new ArrayList<>();
        try (var shipped = Files.list(HOME.resolve("plugins"))) {
            shipped.forEach(jars::add);
        }
        Path home = installation(jars);
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
        String name = "creditline_dist_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        databases.add(name);
        DatabaseUrl url = FreshDatabase.server().withDatabase(name);
        int port = freePort();
        Started server = start(home, Map.of("CREDITLINE_HTTP_PORT", String.valueOf(port),
                "CREDITLINE_ADMIN_TOKEN", "distribution-test-admin-token",
                "CREDITLINE_DATABASE_URL", "postgresql://" + url.user() + "@" + url.host() + ":" + url.port() + "/"
                        + name));
        server.waitForLine(Pattern.compile("listening on"), Duration.ofSeconds(60));
        ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        String owner = api.post("/admin/studios", "distribution-test-admin-token", json("name", "S",
                "timezone", "UTC", "currency", "EUR")).expect(201).text("/ownerKey");
        assertThat(api.post("/v1/members", owner, json("name", "Mia")).status()).as("it serves").isEqualTo(201);
        return api.get("/v1/plugins", owner).expect(200).body().get("items");
    }

    /** A copy of the installation (its lib/ shared by a link) with the given plugin jars. */
    private Path installation(List<Path> pluginJars) throws IOException {
        Path home = Files.createTempDirectory("creditline-install-");
        installations.add(home);
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("plugins"));
        Files.copy(HOME.resolve("bin/creditline"), home.resolve("bin/creditline"));
        Files.copy(HOME.resolve("config/creditline.yaml"), home.resolve("config/creditline.yaml"));
        Files.createSymbolicLink(home.resolve("lib"), HOME.resolve("lib").toAbsolutePath());
        for (Path jar : pluginJars) {
            Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
        }
        return home;
    }

    /** A started server and its combined output. */
    record Started(Process process, Path log) {
        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        String waitForLine(Pattern pattern, Duration timeout) throws Exception {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (String line : output().lines().toList()) {
                    if (pattern.matcher(line).find()) {
                        return line;
                    }
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the server exited: " + output());
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no line matching " + pattern + " in: " + output());
        }
    }

    private Started start(Map<String, String> env) throws IOException {
        return start(HOME, env);
    }

    private Started start(Path home, Map<String, String> env) throws IOException {
        Path log = Files.createTempFile("creditline-", ".log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/creditline").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CREDITLINE_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return new Started(process, log);
    }

    private void stop(Started started) throws InterruptedException {
        started.process().destroy();
        assertThat(started.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        this.started.remove(started.process());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
