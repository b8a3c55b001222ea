package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.Browser;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The README's five-minute tour done by clicking, as a newcomer does it: a studio set up with the admin token, its
 * class type and package, a member who cannot book yet (and is told why), gets the package and books, a make-good
 * credit, the clock moved seven months (the unused credits expire), what she held before, and the log in German.
 */
class DashboardTourBrowserTest {
    @RegisterExtension
    @Order(1)
    static TestServer server = new TestServer();

    @RegisterExtension
    @Order(2)
    static Browser browser = new Browser(server);

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void theFiveMinuteTourByClicking() {
        browser.openSignedOut("/dashboard/");
        browser.click("#setup-link");
        browser.type("#setup-admin", "not-the-token");
        browser.type("#setup-name", "Rising Stars");
        new Select(browser.find("#setup-timezone")).selectByValue("Europe/Berlin");
        browser.click("#setup-test-mode");
        assertThat(browser.seriousAccessibilityViolations()).as("the set-up screen").isEmpty();
        browser.click("#setup-submit");
        browser.waitForText("#setup-error", "The admin token was not accepted.");
        browser.type("#setup-admin", TestServer.ADMIN_TOKEN);
        browser.click("#setup-submit");
        String done = browser.waitForText("#setup-done", "is ready");
        String ownerKey = browser.find("#setup-owner-key").getAttribute("value");
        assertThat(ownerKey).startsWith("clk_");
        browser.click("#setup-signin");
        browser.waitForText("#title", "Rising Stars");
        String studioId = server.api().get("/v1/studio", ownerKey).expect(200).text("/id");
        assertThat(done).contains(studioId);
        StudioFixture studio = StudioFixture.of(server.api(), studioId, ownerKey);
        assertThat(server.api().get("/v1/clock", ownerKey).expect(200).body().get("testMode").asBoolean()).isTrue();

        // The catalogue: a class type and a package.
        browser.clickLink("Catalogue");
        browser.type("#scheduler-name", "Rising Stars Class");
        browser.click("#scheduler-submit");
        browser.waitForText("#notice", "Added Rising Stars Class.");
        browser.type("#product-name", "10-Credit Package");
        browser.type("#product-price", "135");
        browser.type("#product-validity", "P6M");
        browser.click("#product-submit");
        browser.waitForText("#notice", "Added 10-Credit Package.");

        // A member, who cannot book before she holds credits: told why, and nothing is booked.
        browser.clickLink("Members");
        browser.type("#member-add-name", "Mia");
        browser.type("#member-add-tags", "juniors");
        browser.click("#member-add-submit");
        browser.waitForText("#member-name", "Mia");
        String mia = browser.driver().getCurrentUrl().replaceAll(".*#/members/", "");
        browser.click("#book-submit");
        assertThat(browser.waitForText("#book-refused", "Not booked"))
                .isEqualTo("Not booked: she cannot pay for Rising Stars Class.");
        assertThat(browser.find("#book-verdict").getText())
                .isEqualTo("Can book: no. The class costs 1 credit; 1 missing.");
        browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'})", browser.find("#book-result"));
        browser.screenshot("booking-refused");
        assertThat(browser.seriousAccessibilityViolations()).as("a member's page, a booking refused").isEmpty();
        assertThat(server.api().get("/v1/bookings?memberId=" + mia, ownerKey).expect(200).body().get("items"))
                .isEmpty();

        // The package added free, a class tomorrow at 18:00 studio time, a make-good credit.
        new Select(browser.find("#buy-payment")).selectByValue("none");
        browser.click("#buy-submit");
        browser.waitForText("#notice", "10-Credit Package");
        Instant before = Instant.parse(server.api().get("/v1/clock", ownerKey).expect(200).text("/now"));
        browser.click("#book-submit");
        browser.waitForText("#notice", "Booked Rising Stars Class");
        JsonNode booking = server.api().get("/v1/bookings?memberId=" + mia, ownerKey).expect(200).body()
                .get("items").get(0);
        ZonedDateTime startsAt = Instant.parse(booking.get("startsAt").asText()).atZone(BERLIN);
        assertThat(startsAt.toLocalDate()).isEqualTo(before.atZone(BERLIN).toLocalDate().plusDays(1));
        assertThat(startsAt.toLocalTime().toString()).isEqualTo("18:00");
        browser.click("[role=tab]:nth-child(1)");
        browser.waitForText("[role=tab][aria-selected=true]", "Master Credits");
        browser.type("#add-amount", "1");
        browser.type("#add-reason", "make-good for the cancelled session");
        browser.click("#add-submit");
        browser.waitForText("#notice", "Added 1 credit.");
        browser.waitForText("#member-total", "Total: 10 credits");
        assertThat(studio.total(mia)).isEqualTo(10);

        // Seven months later on the studio's clock: the package's nine unused credits expire.
        browser.clickLink("Settings");
        String clockBefore = browser.find("#clock-now").getText();
        assertThat(browser.seriousAccessibilityViolations()).as("the settings with the test clock").isEmpty();
        for (int month = 1; month <= 7; month++) {
            browser.click("#clock-month");
            browser.waitForText("#notice", "The clock now reads");
            String shown = clockBefore;
            browser.until(driver -> !browser.find("#clock-now").getText().equals(shown));
            clockBefore = browser.find("#clock-now").getText();
        }
        Instant now = Instant.parse(server.api().get("/v1/clock", ownerKey).expect(200).text("/now"));
        assertThat(now.atZone(BERLIN).toLocalDate()).isEqualTo(before.atZone(BERLIN).toLocalDate().plusMonths(7));

        browser.clickLink("Members");
        browser.clickLink("Mia");
        browser.waitForText("#member-name", "Mia");
        browser.waitForText("#member-total", "Total: 1 credit,");
        browser.click("[role=tab]:nth-child(2)");
        String log = browser.waitForText("#log", "Expired");
        List<String> lines = browser.driver().findElements(By.cssSelector("#log li > span:first-child")).stream()
                .map(WebElement::getText).toList();
        assertThat(lines).containsExactly("-9 Credits | Expired (unused)",
                "-1 Credit | Redeemed for Rising Stars Class", "+10 Credits | Purchased 10-Credit Package");
        assertThat(log).doesNotContain("make-good");

        // What she held before the clock moved, rebuilt from the journal.
        browser.driver().executeScript("arguments[0].value = arguments[1]", browser.find("#as-of"),
                before.atZone(BERLIN).plusMinutes(5).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")));
        browser.click("#as-of-submit");
        browser.waitForText("#as-of-shown", "rebuilt from the journal");
        browser.waitForText("#member-total", "Total: 10 credits");
        browser.click("#as-of-now");
        browser.waitForText("#member-total", "Total: 1 credit,");

        // The same log in German, worded by the dashboard.
        new Select(browser.find("#lang")).selectByValue("de");
        browser.clickLink("Mitglieder");
        browser.clickLink("Mia");
        browser.waitForText("#member-name", "Mia");
        browser.click("[role=tab]:nth-child(2)");
        browser.waitForText("#log", "Verfallen");
        assertThat(browser.driver().findElements(By.cssSelector("#log li > span:first-child")).stream()
                .map(WebElement::getText).toList()).containsExactly("-9 Credits | Verfallen (ungenutzt)",
                "-1 Credit | Eingelöst für Rising Stars Class", "+10 Credits | Gekauft: 10-Credit Package");
        browser.screenshot("member-log-german");
        new Select(browser.find("#lang")).selectByValue("en");
    }
}
