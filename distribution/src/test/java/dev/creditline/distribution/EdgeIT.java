package dev.creditline.distribution;

import static dev.creditline.kernel.testing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.distribution.ServerProcesses.Server;
import dev.creditline.kernel.testing.RawHttp;
import dev.creditline.kernel.testing.RawHttp.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The assembled server against what an outside probe tried: many idle connections from one client (its cap and the
 * timeouts from {@code config/creditline.yaml}, others served meanwhile) and the file descriptor limit
 * {@code bin/creditline} takes.
 */
class EdgeIT {
    private static final int PER_ADDRESS = 4;
    private static final Pattern OPEN_FILES = Pattern.compile("Max open files\\s+(\\d+|unlimited)\\s+(\\d+|unlimited)");

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    /**
     * An installation whose {@code bin/creditline} starts with a soft file descriptor limit of 1024 (a common
     * default) and a JVM that does not raise it itself, so what is raised is the script's doing.
     */
    private Path installationWithLowSoftLimit() throws Exception {
        List<Path> email;
        try (var jars = Files.list(ServerProcesses.HOME.resolve("plugins"))) {
            email = jars.filter(jar -> jar.getFileName().toString().contains("email")).toList();
        }
        assertThat(email).as("the bundled email plugin").hasSize(1);
        Path home = servers.installation(email);
        Path script = home.resolve("bin/creditline");
        Files.move(script, home.resolve("bin/creditline-started"));
        Files.writeString(script, "#!/bin/sh\nulimit -Sn 1024\nexec \"$(dirname \"$0\")/creditline-started\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    @Test
    void idleConnectionsOfOneClientCannotStarveTheOthers() throws Exception {
        Path config = servers.config("http:\n  headerReadTimeout: PT1S\n  idleTimeout: PT2S\n"
                + "  maxConnectionsPerAddress: " + PER_ADDRESS + "\n");
        Server server = servers.start(installationWithLowSoftLimit(), servers.database(),
                Map.of("CREDITLINE_CONFIG", config.toString(), "JAVA_OPTS", "-Xmx256m -XX:-MaxFDLimit"));

        Matcher limits = OPEN_FILES.matcher(Files.readString(Path.of("/proc/" + server.process().pid() + "/limits")));
        assertThat(limits.find()).isTrue();
        assertThat(limits.group(1)).as("soft limit raised to the hard one").isEqualTo(limits.group(2));

        List<RawHttp> idle = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS + 20; i++) {
                idle.add(RawHttp.connect("127.0.0.2", server.port()));
            }
            // The first PER_ADDRESS are held; the others are told why and closed.
            RawHttp extra = idle.get(PER_ADDRESS + 3);
            extra.send(request("GET /health"));
            Answer refused = extra.read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(refused.body()).contains("too_many_connections");
            try (RawHttp other = RawHttp.connect("127.0.0.3", server.port())) {
                other.send(request("GET /health"));
                assertThat(other.read().status()).as("another client meanwhile").isEqualTo(200);
            }
            for (RawHttp connection : idle) {
                assertThat(connection.closedWithin(Duration.ofSeconds(4))).as("closed after the timeout").isTrue();
            }
            try (RawHttp again = RawHttp.connect("127.0.0.2", server.port())) {
                again.send(request("GET /health"));
                assertThat(again.read().status()).as("the same client, once its idle ones are gone").isEqualTo(200);
            }
        } finally {
            idle.forEach(RawHttp::close);
        }
        assertThat(server.output()).contains("over the cap of " + PER_ADDRESS + " from 127.0.0.2");
    }
}
