package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.testing.Browser;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The athlete portal's sign-in by email in a real Chromium: the link comes over real SMTP (the email plugin,
 * GreenMail) and the server runs on plain http here, as on a laptop (its session cookie is then not Secure).
 */
class PortalSignInBrowserIT {
    @RegisterExtension
    static SmtpServer smtp = new SmtpServer();

    @RegisterExtension
    @Order(1)
    static TestServer server = new TestServer(8, builder -> builder.plugins(new Config.Plugins(
            List.of(PluginServers.PLUGINS), null, Map.of(), Duration.ofMillis(800), smtp.serverSettings())));

    @RegisterExtension
    @Order(2)
    static Browser chromium = new Browser(server);

    private static StudioFixture studio() {
        return smtp.enableEmail(server.studio(true));
    }

    /** The token of the portal link in the first mail to the address. */
    private static String linkTo(String address) throws Exception {
        List<MimeMessage> mails = smtp.await(address, 1);
        assertThat(mails).as("a mail to " + address).isNotEmpty();
        Matcher m = Pattern.compile("/portal/#/signin/(\\S+)").matcher(mails.get(0).getContent().toString());
        assertThat(m.find()).as("a link in " + mails.get(0).getContent()).isTrue();
        return m.group(1);
    }

    @Test
    void anAthleteAsksThePortalForALinkAndTheLinkSignsHerInOnce() throws Exception {
        StudioFixture studio = studio();
        String zoe = studio.api().post("/v1/members", studio.owner(), json("name", "Zoe", "email", "zoe@example.com"))
                .expect(201).text("/id");
        studio.grant(zoe, 4);
        chromium.openSignedOut("/portal/");

        chromium.type("#link-studio", studio.id());
        chromium.type("#link-email", "zoe@example.com");
        chromium.click("#link-submit");
        chromium.waitForText("#link-sent", "on its way");
        String token = linkTo("zoe@example.com");

        chromium.open("/portal/#/signin/" + token);
        chromium.waitForText("#portal-hello", "Zoe");
        assertThat(chromium.find("#portal-total").getText()).contains("4");
        chromium.click("#signout");
        chromium.find("#link-form");
        chromium.open("/portal/#/signin/" + token);
        assertThat(chromium.waitForText("#link-error", "not valid")).as("one use").contains("not valid");
    }
}
