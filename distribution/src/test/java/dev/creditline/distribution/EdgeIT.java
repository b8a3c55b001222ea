package dev.creditline.distribution;

import static dev.creditline.kernel.testing.RawHttp.request;
import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.distribution.ServerProcesses.Server;
import dev.creditline.kernel.testing.RawHttp;
import dev.creditline.kernel.testing.RawHttp.Answer;
import dev.creditline.testkit.ApiClient;
import dev.creditline.testkit.ApiClient.Response;
import java.net.ServerSocket;
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
 * timeouts from {@code config/creditline.yaml}, others served meanwhile), the file descriptor limit
 * {@code bin/creditline} takes, and a request's id in the log lines of its work.
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
        // Timeouts long enough that a slow machine opens all the connections before the first ones time out.
        Path config = servers.config("http:\n  headerReadTimeout: PT3S\n  idleTimeout: PT4S\n"
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
            // PER_ADDRESS are held, the others are told why and closed. Which ones the server counted first depends
            // on which of its event loops got them, so the last few are asked: at most PER_ADDRESS of them are held.
            List<Answer> answers = new ArrayList<>();
            for (RawHttp last : idle.subList(idle.size() - 2 * PER_ADDRESS, idle.size())) {
                last.send(request("GET /health"));
                answers.add(last.read());
            }
            assertThat(answers).filteredOn(a -> a.status() == 503).hasSizeGreaterThanOrEqualTo(PER_ADDRESS)
                    .allSatisfy(refused -> {
                        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
                        assertThat(refused.body()).contains("too_many_connections");
                    });
            assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 503));
            try (RawHttp other = RawHttp.connect("127.0.0.3", server.port())) {
                other.send(request("GET /health"));
                assertThat(other.read().status()).as("another client meanwhile").isEqualTo(200);
            }
            for (RawHttp connection : idle) {
                assertThat(connection.closedWithin(Duration.ofSeconds(8))).as("closed after the timeout").isTrue();
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

    @Test
    void theLogLinesOfARequestCarryItsRequestId() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // The operator lets studios use an SMTP server on the loopback, on that port.
        Path config = servers.config("plugins:\n  serverSettings:\n    email:\n      allowPrivateHosts: true\n"
                + "      allowedPorts: [" + closedPort + "]\n");
        Server server = servers.start(installationWithLowSoftLimit(), servers.database(),
                Map.of("CREDITLINE_CONFIG", config.toString()));
        ApiClient api = server.api();
        Response studio = api.post("/admin/studios", ServerProcesses.ADMIN_TOKEN,
                json("name", "Rising Stars", "timezone", "Europe/Berlin", "currency", "EUR")).expect(201);
        String owner = studio.text("/ownerKey");
        // Email through an SMTP server that is not there: sending the sign-in link fails, after the answer.
        api.send("PUT", "/v1/plugins/email", owner, json("enabled", true, "settings", Map.of("host", "127.0.0.1",
                "port", closedPort, "from", "frontdesk@rising-stars.example", "starttls", "disabled")), Map.of())
                .expect(200);
        api.post("/v1/members", owner, json("name", "Mia", "email", "mia@example.com")).expect(201);

        Response asked = api.send("POST", "/v1/auth/sign-in-link", null,
                json("studioId", studio.text("/id"), "email", "mia@example.com"), Map.of("X-Request-Id", "probe-7f3a"));

        assertThat(asked.status()).isEqualTo(202);
        assertThat(asked.header("Request-Id")).isEqualTo("probe-7f3a");
        String line = server.waitForLine(Pattern.compile("Sign-in links for studio .* failed"), Duration.ofSeconds(20));
        assertThat(line).contains("[probe-7f3a]");
        assertThat(server.output().lines().filter(l -> l.contains("HTTP takes at most"))).singleElement()
                .asString().contains("[-]");
    }
}
