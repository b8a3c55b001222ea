package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.testing.SessionClient;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Accounts for people over the email plugin and a real SMTP server (GreenMail): the owner's invitation reaches the
 * coach, who sets a password through its link and signs in; an athlete's sign-in link reaches her, works once,
 * within 15 minutes, and lets her read only /v1/me.
 */
class AccountsIT {
    private static final String PUBLIC_URL = "https://credits.rising-stars.example";

    @RegisterExtension
    static SmtpServer smtp = new SmtpServer();
    @RegisterExtension
    static TestServer server = new TestServer(8, builder -> builder.plugins(new Config.Plugins(
            List.of(PluginServers.PLUGINS), null, Map.of(), Duration.ofMillis(800), smtp.serverSettings()))
            .publicUrl(PUBLIC_URL));

    private static StudioFixture studio() {
        return smtp.enableEmail(server.studio(true));
    }

    static String link(MimeMessage mail, String path) throws Exception {
        Matcher m = Pattern.compile(Pattern.quote(PUBLIC_URL + path) + "(\\S+)").matcher(mail.getContent().toString());
        assertThat(m.find()).as("a link in " + mail.getContent()).isTrue();
        return m.group(1);
    }

    @Test
    void theOwnerInvitesACoachByEmailWhoSetsAPasswordAndSignsIn() throws Exception {
        StudioFixture studio = studio();
        var invited = studio.api().post("/v1/staff-invitations", studio.owner(),
                json("email", "anna@example.com", "role", "coach", "name", "Anna")).expect(201);
        assertThat(invited.text("/invitation/deliveredBy")).isEqualTo("email");
        assertThat(invited.body().at("/invitation/acceptUrl").isMissingNode()).as("only for deliver: link").isTrue();

        List<MimeMessage> mails = smtp.await("anna@example.com", 1);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getFrom()[0].toString()).isEqualTo("frontdesk@rising-stars.example");
        String token = link(mails.get(0), "/dashboard/#/accept/");
        SessionClient browser = new SessionClient(studio.api());
        var accepted = browser.post("/v1/auth/accept-invitation", json("token", token, "password",
                "correct horse battery")).expect(200);
        assertThat(accepted.text("/role")).isEqualTo("coach");
        assertThat(SessionClient.setCookie(accepted)).as("the public address is https").contains("Secure");

        SessionClient other = new SessionClient(studio.api());
        other.post("/v1/auth/sign-in", json("studioId", studio.id(), "email", "anna@example.com",
                "password", "correct horse battery")).expect(200);
        assertThat(other.get("/v1/members").status()).isEqualTo(200);
    }

    /** A notifier that cannot send is a 502 naming the plugin, never what failed nor where its SMTP server is. */
    @Test
    void anInvitationThatCannotBeSentTellsNothingOfTheSmtpServer() {
        StudioFixture studio = studio();
        ApiClient.Response failed;
        smtp.greenMail().stop();
        try {
            failed = studio.api().post("/v1/staff-invitations", studio.owner(),
                    json("email", "ben@example.com", "role", "coach", "name", "Ben"));
        } finally {
            smtp.greenMail().start();
        }

        assertThat(failed.status()).as(failed.raw()).isEqualTo(502);
        assertThat(failed.text("/type")).endsWith("/delivery_failed");
        assertThat(failed.text("/detail")).contains("plugin email failed").contains("Request-Id");
        assertThat(failed.raw()).doesNotContain("127.0.0.1", String.valueOf(smtp.port()), "onnect", "Exception",
                "Notifier.send");
    }

    @Test
    void anAthleteSignsInOnceWithTheLinkSheGetsAndReadsOnlyHerOwnCredits() throws Exception {
        StudioFixture studio = studio();
        String mia = studio.api().post("/v1/members", studio.owner(), json("name", "Mia", "email", "mia@example.com"))
                .expect(201).text("/id");
        SessionClient browser = new SessionClient(studio.api());
        browser.post("/v1/auth/sign-in-link", json("studioId", studio.id(), "email", "MIA@example.com")).expect(202);
        List<MimeMessage> mails = smtp.await("mia@example.com", 1);
        assertThat(mails).hasSize(1);
        String token = link(mails.get(0), "/portal/#/signin/");

        var session = browser.post("/v1/auth/redeem-link", json("token", token)).expect(200);
        assertThat(session.text("/role")).isEqualTo("athlete");
        assertThat(session.text("/memberId")).isEqualTo(mia);
        assertThat(session.text("/name")).isEqualTo("Mia");
        assertThat(browser.get("/v1/me/credits").status()).isEqualTo(200);
        assertThat(browser.get("/v1/members").status()).isEqualTo(403);
        assertThat(browser.get("/v1/members/" + mia + "/credits").status()).isEqualTo(403);
        assertThat(new SessionClient(studio.api()).post("/v1/auth/redeem-link", json("token", token)).status())
                .as("one use").isEqualTo(422);

        browser.post("/v1/auth/sign-in-link", json("studioId", studio.id(), "email", "mia@example.com")).expect(202);
        String late = link(smtp.await("mia@example.com", 2).get(1), "/portal/#/signin/");
        server.clock().advance(Duration.ofMinutes(16));
        assertThat(new SessionClient(studio.api()).post("/v1/auth/redeem-link", json("token", late)).status())
                .as("15 minutes").isEqualTo(422);
    }
}
