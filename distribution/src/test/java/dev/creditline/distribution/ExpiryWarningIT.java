package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Expiry warnings by email, read from a real SMTP server (GreenMail): one mail per member and expiry day, the days
 * before the studio's warning period, sent once, and retried while the SMTP server is down.
 */
class ExpiryWarningIT {
    @RegisterExtension
    static SmtpServer smtp = new SmtpServer();
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins(smtp.serverSettings());

    private static StudioFixture studio() {
        return smtp.enableEmail(server.studio(true));
    }

    private static String member(StudioFixture studio, String name, String email) {
        return studio.api().post("/v1/members", studio.owner(), json("name", name, "email", email)).expect(201)
                .text("/id");
    }

    private static void grant(StudioFixture studio, String member, int credits, Instant expiresAt) {
        studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "add", "amount", credits, "expiresAt", expiresAt.toString(), "reason", "trial")).expect(200);
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
        assertThat(smtp.to("mia@example.com")).as("not yet: 8 days before").isEmpty();
        studio.clock(now.plus(Duration.ofDays(4)));

        List<MimeMessage> mails = smtp.to("mia@example.com");
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
        assertThat(smtp.to("mia@example.com")).as("sent once").hasSize(1);
    }

    @Test
    void aWarningThatCouldNotBeSentIsRetriedWhenTheSmtpServerIsBack() throws Exception {
        StudioFixture studio = studio();
        String ben = member(studio, "Ben", "ben@example.com");
        String nobody = member(studio, "Noa", null);
        Instant now = studio.now();
        grant(studio, ben, 1, now.plus(Duration.ofDays(8)));
        grant(studio, nobody, 1, now.plus(Duration.ofDays(8)));

        smtp.greenMail().stop();
        try {
            studio.clock(now.plus(Duration.ofDays(2)));
            assertThat(server.probe().number("SELECT attempts FROM expiry_warnings WHERE studio_id = ?"
                    + " AND member_id = ?", studio.id(), ben)).isEqualTo(1);
        } finally {
            smtp.greenMail().start();
        }
        studio.clock(now.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(5)));

        assertThat(smtp.to("ben@example.com")).hasSize(1);
        assertThat(server.probe().number("SELECT count(*) FROM expiry_warnings WHERE studio_id = ?"
                + " AND sent_at IS NOT NULL", studio.id())).as("Noa has no address: nothing to retry").isEqualTo(2);
    }
}
