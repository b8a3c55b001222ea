package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Expiry warnings by email, read from a real SMTP server (GreenMail): one mail per member and expiry day, the days
 * before the studio's warning period, sent once, and retried while the SMTP server is down.
 */
class ExpiryWarningIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();
    static GreenMail smtp;
    static ServerSetup setup;

    @BeforeAll
    static void startSmtp() throws Exception {
        setup = new ServerSetup(ServerProcesses.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        smtp = new GreenMail(setup);
        smtp.start();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    private static StudioFixture studio() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, "email", Map.of("host", "127.0.0.1", "port", setup.getPort(),
                "from", "frontdesk@rising-stars.example", "starttls", "disabled"));
        return studio;
    }

    private static String member(StudioFixture studio, String name, String email) {
        return studio.api().post("/v1/members", studio.owner(), json("name", name, "email", email)).expect(201)
                .text("/id");
    }

    private static void grant(StudioFixture studio, String member, int credits, Instant expiresAt) {
        studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "add", "amount", credits, "expiresAt", expiresAt.toString(), "reason", "trial")).expect(200);
    }

    private static List<MimeMessage> mailTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void aMemberIsWarnedOnceAWeekBeforeHerCreditsExpire() throws Exception {
        StudioFixture studio = studio();
        String mia = member(studio, "Mia", "mia@example.com");
        Instant now = studio.now();
        // At noon in the studio's zone: an hour later is the same expiry day whatever time the test runs.
        Instant expiry = now.atZone(java.time.ZoneId.of("Europe/Berlin")).plusDays(10).withHour(12).withMinute(0)
                .withSecond(0).withNano(0).toInstant();
        grant(studio, mia, 3, expiry);
        grant(studio, mia, 2, expiry.plus(Duration.ofHours(1)));
        grant(studio, mia, 4, now.plus(Duration.ofDays(30)));

        studio.clock(now.plus(Duration.ofDays(2)));
        assertThat(mailTo("mia@example.com")).as("not yet: 8 days before").isEmpty();
        studio.clock(now.plus(Duration.ofDays(4)));

        List<MimeMessage> mails = mailTo("mia@example.com");
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getFrom()[0].toString()).isEqualTo("frontdesk@rising-stars.example");
        assertThat(mail.getSubject()).startsWith("5 credits expire on ");
        assertThat(mail.getContent().toString()).contains("- 3 of Master Credits").contains("- 2 of Master Credits")
                .doesNotContain("4 of");
        var soon = studio.credits(mia).get("expiringSoon");
        assertThat(soon).hasSize(1);
        assertThat(soon.get(0).get("credits").intValue()).isEqualTo(5);

        studio.clock(now.plus(Duration.ofDays(5)));
        assertThat(mailTo("mia@example.com")).as("sent once").hasSize(1);
    }

    @Test
    void aWarningThatCouldNotBeSentIsRetriedWhenTheSmtpServerIsBack() throws Exception {
        StudioFixture studio = studio();
        String ben = member(studio, "Ben", "ben@example.com");
        String nobody = member(studio, "Noa", null);
        Instant now = studio.now();
        grant(studio, ben, 1, now.plus(Duration.ofDays(8)));
        grant(studio, nobody, 1, now.plus(Duration.ofDays(8)));

        smtp.stop();
        try {
            studio.clock(now.plus(Duration.ofDays(2)));
            assertThat(server.probe().number("SELECT attempts FROM expiry_warnings WHERE studio_id = ?"
                    + " AND member_id = ?", studio.id(), ben)).isEqualTo(1);
        } finally {
            smtp.start();
        }
        studio.clock(now.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(5)));

        assertThat(mailTo("ben@example.com")).hasSize(1);
        assertThat(server.probe().number("SELECT count(*) FROM expiry_warnings WHERE studio_id = ?"
                + " AND sent_at IS NOT NULL", studio.id())).as("Noa has no address: nothing to retry").isEqualTo(2);
    }
}
