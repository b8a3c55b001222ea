package dev.creditline.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.distribution.ServerProcesses.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's five-minute tour, pasted as a reader pastes it, against the assembled server. */
class ReadmeTourIT {
    private static final Path README = Path.of(System.getProperty("creditline.readme", "../README.md"));

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    /** The shell blocks of the tour's section, in order. */
    static List<String> tourBlocks() throws Exception {
        List<String> blocks = new ArrayList<>();
        boolean inTour = false;
        StringBuilder block = null;
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                inTour = line.startsWith("## A five-minute tour");
            } else if (inTour && block == null && line.equals("```sh")) {
                block = new StringBuilder();
            } else if (block != null && line.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void theTourRunsAsPasted() throws Exception {
        Server server = servers.start(servers.database(), Map.of());
        List<String> blocks = tourBlocks();
        assertThat(blocks).as("the tour's shell blocks").hasSizeGreaterThanOrEqualTo(2);
        String script = String.join("", blocks)
                .replaceFirst("(?m)^ADMIN=cla_\\.\\.\\..*$", "ADMIN=" + ServerProcesses.ADMIN_TOKEN)
                .replaceFirst("(?m)^API=http://localhost:8080$", "API=http://127.0.0.1:" + server.port());
        assertThat(script).contains("ADMIN=" + ServerProcesses.ADMIN_TOKEN).contains(":" + server.port());

        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(bash.exitValue()).as(output).isZero();
        assertThat(output).as("no step answered a problem").doesNotContain("\"status\": 4")
                .doesNotContain("\"status\": 5").doesNotContain("null\n{");
        assertThat(output).contains("Held for Rising Stars Class", "Purchased 10-Credit Package",
                "\"type\": \"expired\"");
    }
}
