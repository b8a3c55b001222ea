package dev.creditline.distribution;

import dev.creditline.store.DatabaseUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (initdb in a temporary directory, on a free port), so that a test can stop
 * and start it under load without touching the machine's server that other tests use. It runs the machine's
 * PostgreSQL binaries; as root, through {@code runuser -u postgres}, since PostgreSQL refuses to run as root.
 */
final class PrivatePostgres {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final String listenAddresses;

    private PrivatePostgres(Path bin, Path dir, int port, String listenAddresses) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.listenAddresses = listenAddresses;
    }

    /**
     * TLS for a server: its certificate and key (PEM), the CA its clients' certificates must come from, the lines of
     * its pg_hba.conf, and the addresses it listens on.
     */
    record Tls(Path certificate, Path key, Path clientCa, List<String> hba, String listenAddresses) {
    }

    /** Creates a cluster and starts it. */
    static PrivatePostgres start() throws Exception {
        PrivatePostgres pg = create("127.0.0.1");
        pg.startAgain();
        return pg;
    }

    /** Creates a cluster with {@code ssl=on}, the given certificate and client authentication, and starts it. */
    static PrivatePostgres start(Tls tls) throws Exception {
        PrivatePostgres pg = create(tls.listenAddresses());
        Path data = Path.of(pg.data());
        Files.copy(tls.certificate(), data.resolve("server.crt"));
        Files.copy(tls.key(), data.resolve("server.key"));
        Files.copy(tls.clientCa(), data.resolve("root.crt"));
        Files.write(data.resolve("pg_hba.conf"), tls.hba());
        Files.writeString(data.resolve("postgresql.conf"), "\nssl = on\nssl_cert_file = 'server.crt'\n"
                + "ssl_key_file = 'server.key'\nssl_ca_file = 'root.crt'\n", StandardOpenOption.APPEND);
        if (asRoot()) {
            run(List.of("chown", "-R", "postgres:", data.toString()));
        }
        // PostgreSQL refuses a key that others may read.
        run(List.of("chmod", "600", data.resolve("server.key").toString()));
        pg.startAgain();
        return pg;
    }

    private static PrivatePostgres create(String listenAddresses) throws Exception {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("creditline-pg-");
        PrivatePostgres pg = new PrivatePostgres(bin, dir, ServerProcesses.freePort(), listenAddresses);
        if (asRoot()) {
            run(List.of("chown", "postgres:", dir.toString()));
        }
        pg.pg("initdb", "-D", pg.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
        return pg;
    }

    /** The port it listens on. */
    int port() {
        return port;
    }

    /** A database on this server (created by whoever connects first, e.g. the kernel at its start). */
    DatabaseUrl url(String database) {
        return new DatabaseUrl("127.0.0.1", port, database, "postgres", null);
    }

    /** Stops the server as an operator's restart does: every session is told to end, then it shuts down. */
    void stop() throws Exception {
        pg("pg_ctl", "stop", "-D", data(), "-m", "fast", "-w", "-t", "60");
    }

    /** Starts the (stopped) server again on the same port and waits until it accepts connections. */
    void startAgain() throws Exception {
        pg("pg_ctl", "start", "-D", data(), "-w", "-t", "60", "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=" + listenAddresses + " -c fsync=off");
    }

    /** Stops the server if it runs and deletes its files. */
    void close() throws Exception {
        try {
            pg("pg_ctl", "stop", "-D", data(), "-m", "immediate", "-w", "-t", "60");
        } catch (IllegalStateException alreadyStopped) {
            // nothing runs; only the files are left
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private void pg(String program, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The directory of {@code pg_ctl} and {@code initdb}: {@code pg_config --bindir}, else the newest Debian one. */
    private static Path binaries() throws IOException, InterruptedException {
        try {
            Process config = new ProcessBuilder("pg_config", "--bindir").start();
            String dir = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (config.waitFor() == 0 && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        } catch (IOException noPgConfig) {
            // look in Debian's place
        }
        Path debian = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(debian) ? Files.list(debian) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("this test needs PostgreSQL's server binaries "
                            + "(initdb, pg_ctl): none under /usr/lib/postgresql and no pg_config on the PATH"));
        }
    }
}
