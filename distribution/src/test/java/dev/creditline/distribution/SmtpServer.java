package dev.creditline.distribution;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.creditline.kernel.testing.StudioFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real SMTP server (GreenMail) for a test class, the email plugin's settings that send to it, and the mail it got.
 * It listens on the loopback and on a port of its own, which the email plugin connects to only when the operator
 * allows it: give the test server {@link #serverSettings()}.
 */
final class SmtpServer implements BeforeAllCallback, AfterAllCallback {
    private final ServerSetup setup;
    private GreenMail mail;

    SmtpServer() {
        try {
            setup = new ServerSetup(ServerProcesses.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        mail = new GreenMail(setup);
        mail.start();
    }

    /** The operator's settings (plugin id → settings) that let the email plugin connect to this server. */
    Map<String, JsonObject> serverSettings() {
        return Map.of("email", new JsonObject().put("allowPrivateHosts", true)
                .put("allowedPorts", new JsonArray().add(setup.getPort())));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        mail.stop();
    }

    /** The port it listens on. */
    int port() {
        return setup.getPort();
    }

    /** The server itself (to stop and start it again: an outage). */
    GreenMail greenMail() {
        return mail;
    }

    /** Enables the studio's email plugin, sending over this server. */
    StudioFixture enableEmail(StudioFixture studio) {
        PluginServers.enable(studio, "email", Map.of("host", "127.0.0.1", "port", setup.getPort(),
                "from", "frontdesk@rising-stars.example", "starttls", "disabled"));
        return studio;
    }

    /** The mail received for an address so far. */
    List<MimeMessage> to(String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** The mail for an address once it has {@code count} of them (or what came within five seconds). */
    List<MimeMessage> await(String address, int count) throws InterruptedException {
        for (int i = 0; i < 100 && to(address).size() < count; i++) {
            Thread.sleep(50);
        }
        return to(address);
    }
}
