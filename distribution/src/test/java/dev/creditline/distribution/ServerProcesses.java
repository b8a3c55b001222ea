package dev.creditline.distribution;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Servers of the assembled distribution ({@code bin/creditline}) as separate processes, the way operators run them:
 * started with environment overrides, killed or stopped, and cleaned up (processes, databases, files) after each
 * test.
 */
final class ServerProcesses implements AfterEachCallback {
    static final Path HOME = Path.of(System.getProperty("creditline.distribution", "target/creditline"));
    static final String ADMIN_TOKEN = "process-test-admin-token";

    private final List<Server> started = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final List<Path> installations = new ArrayList<>();

    /** A running (or killed) server process. */
    record Server(Process process, Path log, int port, int managementPort) {
        ApiClient api() {
            return new ApiClient(URI.create("http://127.0.0.1:" + port));
        }

        /** A client of its management listener ({@code /metrics}, {@code /health} with details). */
        ApiClient management() {
            return new ApiClient(URI.create("http://127.0.0.1:" + managementPort));
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        /** SIGKILL: no shutdown hook, no orderly close of connections. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
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
                Thread.sleep(100);
            }
            throw new AssertionError("no line matching " + pattern + " in: " + output());
        }
    }

    /** A database that does not exist yet (a server creates it at its first start); dropped after the test. */
    DatabaseUrl unbornDatabase() {
        String name = "creditline_dist_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        databases.add(name);
        return FreshDatabase.server().withDatabase(name);
    }

    /** A fresh, migrated database of the test server; dropped after the test. */
    DatabaseUrl database() throws Exception {
        DatabaseUrl url = FreshDatabase.create();
        databases.add(url.database());
        return url;
    }

    /** A configuration file with the given YAML; deleted after the test. */
    Path config(String yaml) throws IOException {
        Path file = Files.createTempFile("creditline-", ".yaml");
        files.add(file);
        Files.writeString(file, yaml);
        return file;
    }

    /** A copy of the installation (its lib/ shared by a link) with the given plugin jars; deleted after the test. */
    Path installation(List<Path> pluginJars) throws IOException {
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

    /** Starts a server of the installation on the database, with extra environment, and waits until it listens. */
    Server start(DatabaseUrl database, Map<String, String> env) throws Exception {
        return start(HOME, database, env);
    }

    Server start(Path home, DatabaseUrl database, Map<String, String> env) throws Exception {
        Server server = launch(home, database, env);
        server.waitForLine(Pattern.compile("listening on"), Duration.ofSeconds(60));
        return server;
    }

    /** Starts a server of the installation on the database, on a free port, with the test's admin token. */
    Server launch(Path home, DatabaseUrl database, Map<String, String> env) throws IOException {
        Map<String, String> all = new HashMap<>();
        all.put("CREDITLINE_HTTP_PORT", String.valueOf(freePort()));
        all.put("CREDITLINE_ADMIN_TOKEN", ADMIN_TOKEN);
        all.put("CREDITLINE_DATABASE_URL", url(database));
        all.putAll(env);
        return launch(home, all);
    }

    /** Starts a server of the installation with exactly this {@code CREDITLINE_} environment, without waiting. */
    Server launch(Path home, Map<String, String> env) throws IOException {
        Path log = Files.createTempFile("creditline-", ".log");
        files.add(log);
        // Servers of the tests run side by side: each gets a management port of its own.
        env = new HashMap<>(env);
        env.putIfAbsent("CREDITLINE_MANAGEMENT_PORT", String.valueOf(freePort()));
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/creditline").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CREDITLINE_"));
        builder.environment().putAll(env);
        String port = env.getOrDefault("CREDITLINE_HTTP_PORT", "0");
        Server server = new Server(builder.start(), log, port.matches("[0-9]{1,5}") ? Integer.parseInt(port) : 0,
                Integer.parseInt(env.get("CREDITLINE_MANAGEMENT_PORT")));
        started.add(server);
        return server;
    }

    /** The URL a server is given for the database: its password and parameters too. */
    static String url(DatabaseUrl database) {
        return database.toUrlWithPassword();
    }

    /** Stops a server the way an operator does (SIGTERM) and waits for it. */
    void stop(Server server) throws InterruptedException {
        server.process().destroy();
        if (!server.process().waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not stop within 20 s");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (Server server : started) {
            server.process().destroy();
            if (!server.process().waitFor(20, TimeUnit.SECONDS)) {
                server.process().destroyForcibly();
            }
        }
        started.clear();
        for (String database : databases) {
            FreshDatabase.drop(database);
        }
        databases.clear();
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
        files.clear();
        for (Path home : installations) {
            try (var paths = Files.walk(home)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        installations.clear();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
