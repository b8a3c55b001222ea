package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.Browser;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard and the athlete portal in a real (headless) Chromium against a real server: everything they show
 * comes through the public API, signed in with API keys.
 */
class DashboardBrowserTest {
    @RegisterExtension
    @Order(1)
    static TestServer server = new TestServer();

    @RegisterExtension
    @Order(2)
    static Browser browser = new Browser(server);

    static StudioFixture studio;
    static String risingStars;
    static String workshop;
    static String pack;

    @BeforeAll
    static void studio() {
        studio = server.studio(false);
        studio.api().patch("/v1/studio", studio.owner(), json("name", "Rising Stars Gymnastics")).expect(200);
        risingStars = studio.scheduler("Rising Stars Class", 1);
        workshop = studio.scheduler("Workshop", 3);
        pack = studio.product(json("name", "10-Credit Package", "kind", "package", "credits", 10,
                "price", json("amount", "135.00", "currency", "EUR"), "validity", "P6M", "validityStart", "purchase",
                "redeemableSchedulerIds", List.of(risingStars)));
    }

    /** A member who bought the package (cash at the desk) and booked a Rising Stars class. */
    private static String memberWithPackage(String name) {
        String member = studio.member(name, "juniors");
        studio.sell(member, pack);
        studio.book(member, risingStars, studio.now().plus(Duration.ofDays(2))).expect(201);
        return member;
    }

    private static void openMember(String name) {
        browser.openSignedOut("/dashboard/");
        browser.signIn(studio.owner());
        browser.type("#members-q", name);
        browser.click("#members-submit");
        browser.waitForText("#members-table", name);
        browser.driver().findElement(By.linkText(name)).click();
        browser.waitForText("#member-name", name);
    }

    @Test
    void theOwnerSignsInWithTheOwnerKeyFindsAMemberAndReadsHerCreditsAsCoachesDo() {
        String anna = memberWithPackage("Anna Berg");
        studio.grant(studio.member("Ben Maier"), 3);

        browser.openSignedOut("/dashboard/");
        browser.find("#signin-key");
        browser.screenshot("sign-in");
        browser.signIn("clk_wrong");
        assertThat(browser.waitForText("#signin-error", "not accepted")).contains("This key was not accepted");
        browser.signIn(studio.owner());
        String studioName = studio.api().get("/v1/studio", studio.owner()).expect(200).text("/name");
        browser.waitForText("#title", studioName);

        browser.type("#members-q", "anna");
        browser.click("#members-submit");
        String table = browser.waitForText("#members-table", "Anna Berg");
        assertThat(table).doesNotContain("Ben Maier").contains("juniors");
        browser.screenshot("members");

        browser.driver().findElement(By.linkText("Anna Berg")).click();
        browser.waitForText("#member-name", "Anna Berg");
        List<WebElement> tabs = browser.driver().findElements(By.cssSelector("[role=tab]"));
        assertThat(tabs).extracting(WebElement::getText)
                .containsExactly("Master Credits (0)", "10-Credit Package (9)");
        tabs.get(1).click();
        // Ten bought, one paying for the class she booked.
        browser.waitForText("#account-panel .account-balance", "Credit Balance: 9");
        assertThat(browser.find("#account-panel .usage").getText()).isEqualTo("Rising Stars Class");
        assertThat(browser.find("#account-panel .expirations").getText()).matches("\\w{3} \\d{1,2}, \\d{4} \\(0/10\\)");
        JsonNode purchase = studio.log(anna).stream().filter(l -> l.get("type").asText().equals("purchased"))
                .findFirst().orElseThrow();
        WebElement bought = browser.driver().findElement(By.xpath(
                "//ul[@id='log']//span[text()='+10 Credits | " + purchase.get("description").asText() + "']"));
        assertThat(bought.getAttribute("class")).isEqualTo("plus");
        assertThat(browser.find("#purchases").getText()).contains("10-Credit Package").contains("€135.00 paid");
        browser.screenshot("member-credits");

        browser.click("#signout");
        browser.find("#signin-key");
        assertThat(browser.driver().executeScript("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void anUnlimitedSubscriptionShowsInfinityAndEachClassUsedThisPeriod() {
        String unlimited = studio.product(json("name", "Monthly Unlimited", "kind", "subscription",
                "credits", "unlimited", "price", json("amount", "89.00", "currency", "EUR"), "billingInterval", "P1M",
                "redeemableSchedulerIds", List.of(risingStars, workshop)));
        String hana = studio.member("Hana Wolf");
        studio.sell(hana, unlimited);
        studio.book(hana, risingStars, studio.now().plus(Duration.ofDays(1))).expect(201);
        openMember("Hana Wolf");

        browser.click("[role=tab]:nth-child(2)");
        browser.waitForText("[role=tab][aria-selected=true]", "Monthly Unlimited (∞)");
        assertThat(browser.waitForText("#account-panel .account-balance", "∞")).isEqualTo("Credit Balance: ∞");
        assertThat(browser.find("#account-panel .usage").getText())
                .isEqualTo("Rising Stars Class (1/∞)\nWorkshop (0/∞)");
        assertThat(browser.find("#add-form-unlimited").getText()).contains("unlimited");
        browser.screenshot("member-unlimited");
    }

    @Test
    void anInvitedCoachSetsAPasswordWorksSignedInAndSignsInAgainWithIt() {
        String dora = studio.member("Dora Weiss");
        String accept = studio.api().post("/v1/staff-invitations", studio.owner(), json("email", "kim@example.com",
                "role", "coach", "name", "Kim", "deliver", "link")).expect(201).text("/invitation/acceptUrl");
        String studioName = studio.api().get("/v1/studio", studio.owner()).expect(200).text("/name");
        browser.openSignedOut("/dashboard/");

        browser.open("/dashboard/" + accept.substring(accept.indexOf('#')));
        browser.type("#accept-password", "correct horse battery");
        browser.click("#accept-submit");
        browser.waitForText("#title", studioName);
        browser.type("#members-q", "Dora");
        browser.click("#members-submit");
        browser.waitForText("#members-table", "Dora Weiss");
        browser.driver().findElement(By.linkText("Dora Weiss")).click();
        browser.type("#add-amount", "2");
        browser.type("#add-reason", "trial");
        browser.click("#add-submit");
        browser.waitForText("#notice", "Added 2 credits.");
        assertThat(studio.log(dora).get(0).get("actor").asText()).as("the write went with the session's CSRF token")
                .isEqualTo("Kim (coach)");

        browser.click("#signout");
        browser.find("#signin-email");
        assertThat(browser.find("#signin-studio").getAttribute("value")).as("the studio is remembered")
                .isEqualTo(studio.id());
        browser.type("#signin-email", "kim@example.com");
        browser.type("#signin-password", "wrong password!");
        browser.click("#signin-account-submit");
        browser.waitForText("#signin-error", "not right");
        browser.type("#signin-password", "correct horse battery");
        browser.click("#signin-account-submit");
        browser.waitForText("#title", studioName);
        assertThat(browser.driver().manage().getCookieNamed("creditline_session").isHttpOnly()).isTrue();
    }

    @Test
    void theMainScreensHaveNoSeriousAccessibilityViolations() {
        String hana = memberWithPackage("Hana Roth");
        java.util.Map<String, java.util.List<String>> found = new java.util.LinkedHashMap<>();

        browser.openSignedOut("/dashboard/");
        browser.find("#signin-key");
        found.put("sign-in", browser.seriousAccessibilityViolations());
        browser.signIn(studio.owner());
        browser.waitForText("#members-table", "Hana Roth");
        found.put("members", browser.seriousAccessibilityViolations());
        browser.driver().findElement(By.linkText("Hana Roth")).click();
        browser.waitForText("#member-name", "Hana Roth");
        browser.find("#account-panel");
        found.put("member's credits", browser.seriousAccessibilityViolations());
        String purchase = studio.api().get("/v1/purchases?memberId=" + hana, studio.owner()).expect(200)
                .text("/items/0/id");
        String booking = studio.api().get("/v1/bookings?memberId=" + hana, studio.owner()).expect(200)
                .text("/items/0/id");
        browser.click("#refund-open-" + purchase);
        browser.find("#refund-" + purchase + "-reason");
        browser.click("#cancel-open-" + booking);
        browser.find("#cancel-" + booking + "-confirm");
        found.put("member's refund and cancel confirmations", browser.seriousAccessibilityViolations());
        new Select(browser.find("#why-scheduler")).selectByVisibleText("Workshop");
        browser.click("#why-submit");
        browser.waitForText("#why-verdict", "Can book");
        found.put("why can't she book", browser.seriousAccessibilityViolations());
        browser.openSignedOut("/portal/");
        browser.signIn(studio.key("athlete", hana));
        browser.find("#portal-hello");
        found.put("portal", browser.seriousAccessibilityViolations());

        assertThat(found).allSatisfy((screen, violations) -> assertThat(violations).as(screen).isEmpty());
        // The check sees what it must: a field nobody can name is a critical violation.
        browser.driver().executeScript("document.querySelector('main').append(document.createElement('input'))");
        assertThat(browser.seriousAccessibilityViolations()).anyMatch(v -> v.startsWith("label:"));
    }

    @Test
    void theOwnerManagesKeysAndInvitesStaffInTheSettingsAndACoachMayNot() {
        browser.openSignedOut("/dashboard/");
        browser.signIn(studio.owner());
        browser.find("#nav");
        browser.driver().findElement(By.linkText("Settings")).click();
        browser.find("#keys-table");

        browser.type("#key-name", "Booking app");
        browser.click("#key-submit");
        String shown = browser.waitForText("#notice", "The new key");
        String key = shown.substring(shown.indexOf("clk_")).trim();
        assertThat(studio.api().get("/v1/members", key).status()).as("the key shown works").isEqualTo(200);
        browser.waitForText("#keys-table", "Booking app");
        assertThat(browser.seriousAccessibilityViolations()).as("the settings").isEmpty();

        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript("window.confirm = () => true");
        browser.driver().findElement(By.xpath(
                "//table[@id='keys-table']//tr[td[1][text()='Booking app']]//button[text()='Revoke']")).click();
        browser.waitForText("#notice", "is revoked");
        assertThat(studio.api().get("/v1/members", key).status()).isEqualTo(401);

        browser.type("#invite-email", "lea@example.com");
        browser.click("#invite-link");
        browser.click("#invite-submit");
        assertThat(browser.waitForText("#notice", "Pass on this link")).contains("/dashboard/#/accept/");
        browser.waitForText("#staff-table", "lea@example.com");

        browser.openSignedOut("/dashboard/");
        browser.signIn(studio.key("coach", null));
        browser.find("#nav");
        browser.open("/dashboard/#/settings");
        browser.waitForText("#settings-owners", "Only the studio's owners");
    }

    @Test
    void theOwnerAddsAClassTypeAndAProductInTheCatalogueAndStopsSellingIt() {
        browser.openSignedOut("/dashboard/");
        browser.signIn(studio.owner());
        browser.find("#nav");
        browser.driver().findElement(By.linkText("Catalogue")).click();
        browser.find("#products-table");

        browser.type("#scheduler-name", "Open Mat");
        browser.type("#scheduler-cost", "2");
        browser.click("#scheduler-submit");
        browser.waitForText("#schedulers-table", "Open Mat");
        browser.type("#product-name", "Open Mat 5");
        browser.type("#product-credits", "5");
        browser.type("#product-price", "60");
        browser.type("#product-validity", "P3M");
        browser.click("#product-submit");
        browser.waitForText("#products-table", "Open Mat 5");
        assertThat(browser.seriousAccessibilityViolations()).as("the catalogue").isEmpty();
        browser.driver().findElement(By.xpath(
                "//table[@id='products-table']//tr[td[1][text()='Open Mat 5']]//button")).click();
        browser.waitForText("#notice", "no longer sold");

        JsonNode product = null;
        for (JsonNode p : studio.api().get("/v1/products?active=false", studio.owner()).expect(200).body().get("items")) {
            if (p.get("name").asText().equals("Open Mat 5")) {
                product = p;
            }
        }
        assertThat(product).isNotNull();
        assertThat(product.at("/price/amount").asText()).isEqualTo("60.00");
        assertThat(product.get("validity").asText()).isEqualTo("P3M");
    }

    @Test
    void creditsAddedWithAReasonShowAsAGreenLine() {
        String cara = studio.member("Cara Vogel");
        openMember("Cara Vogel");

        browser.type("#add-amount", "5");
        browser.type("#add-reason", "Birthday bonus");
        browser.click("#add-submit");

        browser.waitForText("#notice", "Added 5 credits.");
        browser.waitForText("#account-panel .account-balance", "Credit Balance: 5");
        WebElement line = browser.find("#log li:first-child span.plus");
        assertThat(line.getText()).startsWith("+5 Credits | ");
        // Green on white (#116329), as CoachIQ's added credits are.
        assertThat(line.getCssValue("color")).isIn("rgba(17, 99, 41, 1)", "rgb(17, 99, 41)");
        assertThat(browser.find("#log li:first-child .meta").getText()).contains("Birthday bonus");
        assertThat(studio.balance(cara, "master")).isEqualTo(5);
    }

    @Test
    void aSetBasedOnAStaleBalanceIsRefusedAndExplainedAndTheFreshBalanceShown() {
        String dan = studio.member("Dan Roth");
        studio.grant(dan, 8);
        openMember("Dan Roth");
        assertThat(browser.waitForText("#set-based-on", "8")).isEqualTo("Based on the balance 8");

        // Another coach sets the balance to 6 while this one is editing.
        studio.api().post("/v1/members/" + dan + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "set", "amount", 6, "expectedBalance", 8, "reason", "counted at the desk")).expect(200);
        browser.type("#set-amount", "4");
        browser.type("#set-reason", "correction");
        browser.click("#set-submit");

        assertThat(browser.waitForText("#notice", "changed to 6"))
                .contains("The balance changed to 6 while you were editing");
        browser.waitForText("#account-panel .account-balance", "Credit Balance: 6");
        assertThat(browser.find("#set-based-on").getText()).isEqualTo("Based on the balance 6");
        assertThat(studio.balance(dan, "master")).isEqualTo(6);
        browser.screenshot("set-conflict");
    }

    @Test
    void aRefusedBookingIsExplainedLotByLotInTheEligibilityView() {
        String eva = memberWithPackage("Eva Klein");
        assertThat(studio.book(eva, workshop, studio.now().plus(Duration.ofDays(3))).status()).isEqualTo(409);
        openMember("Eva Klein");

        new Select(browser.find("#why-scheduler")).selectByVisibleText("Workshop");
        browser.click("#why-submit");

        assertThat(browser.waitForText("#why-verdict", "Can book: no"))
                .isEqualTo("Can book: no. The class costs 3 credits; 3 missing.");
        assertThat(browser.find("#why-lots").getText())
                .contains("10-Credit Package: 9 left — cannot pay: not valid for this class.");
        browser.screenshot("why-cant-she-book");

        new Select(browser.find("#why-scheduler")).selectByVisibleText("Rising Stars Class");
        browser.click("#why-submit");
        browser.waitForText("#why-verdict", "Can book: yes");
    }

    @Test
    void anAthleteSeesOnlyTheirOwnCreditsInThePortal() {
        String fay = memberWithPackage("Fay Brandt");
        String gus = studio.member("Gus Other");
        studio.api().post("/v1/members/" + gus + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "add", "amount", 7, "reason", "Gus's own welcome gift")).expect(200);
        studio.api().post("/v1/members/" + fay + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "add", "amount", 2, "reason", "Fay's welcome gift")).expect(200);
        String monthly = studio.product(json("name", "Monthly Eight", "kind", "subscription", "credits", 8,
                "price", json("amount", "79.00", "currency", "EUR"), "billingInterval", "P1M"));
        studio.sell(fay, monthly);
        JsonNode subscription = studio.api().get("/v1/members/" + fay + "/subscriptions", studio.owner()).expect(200)
                .body().get("items").get(0);

        browser.openSignedOut("/portal/");
        browser.signIn(studio.owner());
        browser.waitForText("#signin-error", "staff key");

        browser.signIn(studio.key("athlete", fay));
        browser.waitForText("#portal-hello", "Hello, Fay Brandt");
        int total = studio.total(fay);
        assertThat(browser.find("#portal-total").getText()).startsWith("Total: " + total + " credits");
        String page = browser.find("main").getText();
        assertThat(page).contains("Fay's welcome gift").contains("10-Credit Package (9)").contains("+2 Credits | ")
                .doesNotContain("Gus");
        // Her renewal, and the classes her package pays for by name (an athlete cannot list the schedulers).
        String renewsOn = java.time.Instant.parse(subscription.get("currentPeriodEnd").asText())
                .atZone(java.time.ZoneId.of("Europe/Berlin")).format(java.time.format.DateTimeFormatter.ofPattern(
                        "MMM d, yyyy", java.util.Locale.US));
        assertThat(browser.find("#portal-renewals").getText()).startsWith("Monthly Eight: renews on " + renewsOn);
        WebElement packageCard = browser.driver().findElement(By.xpath(
                "//article[h4[text()='10-Credit Package (9)']]"));
        assertThat(packageCard.findElement(By.cssSelector(".usage")).getText()).isEqualTo("Rising Stars Class");
        browser.screenshot("portal");

        browser.openSignedOut("/portal/");
        browser.find("#signin-key");
    }

    @Test
    void aProductPaidOutsideShowsItsTabAndBalanceAtOnceAndVoidingItTakesTheCreditsBack() {
        String ida = studio.member("Ida Lang");
        openMember("Ida Lang");

        new Select(browser.find("#buy-product")).selectByValue(pack);
        assertThat(browser.find("#buy-amount").getAttribute("value")).as("prefilled with the price").isEqualTo("135.00");
        browser.type("#buy-amount", "120");
        browser.click("#buy-submit");

        assertThat(browser.waitForText("#notice", "Added")).isEqualTo("Added 10-Credit Package, €120.00 paid.");
        assertThat(browser.find("[role=tab][aria-selected=true]").getText()).isEqualTo("10-Credit Package (10)");
        assertThat(browser.find("#account-panel .account-balance").getText()).isEqualTo("Credit Balance: 10");
        JsonNode bought = studio.api().get("/v1/purchases?memberId=" + ida, studio.owner()).expect(200).body()
                .get("items").get(0);
        assertThat(bought.get("payment").asText()).isEqualTo("outside");
        assertThat(bought.get("amountPaid").get("amount").asText()).isEqualTo("120.00");
        String purchase = bought.get("id").asText();
        browser.screenshot("member-product-added");

        browser.click("#void-open-" + purchase);
        browser.click("#void-" + purchase + "-keep");
        browser.click("#void-open-" + purchase);
        browser.type("#void-" + purchase + "-reason", "sold by mistake");
        browser.click("#void-" + purchase + "-confirm");

        assertThat(browser.waitForText("#notice", "Voided"))
                .isEqualTo("Voided 10-Credit Package: 10 unused credits taken back.");
        assertThat(browser.find("#purchase-" + purchase).getText()).contains("voided");
        assertThat(browser.driver().findElements(By.id("void-open-" + purchase))).as("nothing left to void").isEmpty();
        assertThat(studio.balance(ida, pack)).isZero();
        assertThat(studio.log(ida).get(0).get("reason").asText()).isEqualTo("sold by mistake");
    }

    @Test
    void aRefundInMoneySaysWhatWasPaidBack() {
        String jon = studio.member("Jon Hahn");
        String purchase = studio.sell(jon, pack).text("/id");
        openMember("Jon Hahn");

        browser.click("#refund-open-" + purchase);
        new Select(browser.find("#refund-mode-" + purchase)).selectByValue("money");
        browser.type("#refund-" + purchase + "-reason", "moved away");
        browser.click("#refund-" + purchase + "-confirm");

        assertThat(browser.waitForText("#notice", "Refunded"))
                .isEqualTo("Refunded 10-Credit Package: €135.00 paid back for 10 unused credits.");
        assertThat(browser.find("#purchase-" + purchase).getText()).contains("refunded").contains("€135.00 refunded");
        assertThat(studio.balance(jon, pack)).isZero();
    }

    @Test
    void cancellingABookingInTimeGivesItsCreditsBack() {
        String kai = memberWithPackage("Kai Stein");
        String booking = studio.api().get("/v1/bookings?memberId=" + kai, studio.owner()).expect(200)
                .text("/items/0/id");
        openMember("Kai Stein");
        assertThat(browser.find("#booking-" + booking).getText()).contains("Rising Stars Class").contains("booked")
                .contains("1 credit ");

        browser.click("#cancel-open-" + booking);
        assertThat(browser.find("#cancel-" + booking + "-title").getText()).contains("her credits come back");
        browser.screenshot("member-bookings");
        browser.click("#cancel-" + booking + "-confirm");

        assertThat(browser.waitForText("#notice", "Cancelled"))
                .isEqualTo("Cancelled Rising Stars Class: refunded 1 credit.");
        assertThat(browser.find("#booking-" + booking + " .booking-status").getText())
                .isEqualTo("cancelled · 1 credit refunded");
        assertThat(browser.driver().findElements(By.id("cancel-open-" + booking))).isEmpty();
        assertThat(studio.balance(kai, pack)).isEqualTo(10);
    }

    @Test
    void aLateCancellationSaysNothingWasRefundedAndAWaiverGivesItBackInGermanToo() {
        String lea = studio.member("Lea Kurz");
        studio.sell(lea, pack);
        // Six hours before a class with a 12-hour window: past the deadline already.
        String booking = studio.book(lea, risingStars, studio.now().plus(Duration.ofHours(6))).expect(201)
                .text("/id");
        openMember("Lea Kurz");
        new Select(browser.find("#lang")).selectByValue("de");
        browser.waitForText("#bookings-title", "Buchungen");

        browser.click("#cancel-open-" + booking);
        browser.click("#cancel-" + booking + "-confirm");

        assertThat(browser.waitForText("#notice", "abgesagt"))
                .isEqualTo("Rising Stars Class zu spät abgesagt: nichts erstattet.");
        assertThat(browser.find("#booking-" + booking + " .booking-status").getText()).startsWith("zu spät abgesagt")
                .endsWith("1 Credit einbehalten");
        assertThat(studio.balance(lea, pack)).isEqualTo(9);

        // The coach makes an exception: the kept credit comes back, with her reason in the log.
        browser.click("#waive-open-" + booking);
        browser.type("#waive-" + booking + "-reason", "Kind krank");
        browser.click("#waive-" + booking + "-confirm");
        assertThat(browser.waitForText("#notice", "Erlassen"))
                .isEqualTo("Erlassen: 1 Credit für Rising Stars Class zurückgegeben.");
        assertThat(browser.find("#booking-" + booking + " .booking-status").getText()).endsWith("1 Credit erlassen");
        assertThat(browser.driver().findElements(By.id("waive-open-" + booking))).isEmpty();
        assertThat(studio.balance(lea, pack)).isEqualTo(10);
        assertThat(studio.log(lea).get(0).get("reason").asText()).isEqualTo("Kind krank");
        // The package's credit log in her language: the waiver, and the late cancel's line worded as what it kept.
        browser.click("#tab-" + pack);
        assertThat(browser.waitForText("#log li:first-child", "erlassen")).contains("Späte Absage — erlassen von");
        assertThat(browser.find("#log li:nth-child(2)").getText()).contains("Späte Absage — 1 Credit einbehalten");
        new Select(browser.find("#lang")).selectByValue("en");
        browser.waitForText("#bookings-title", "Bookings");
    }

    @Test
    void theDashboardSpeaksGermanWhenAsked() {
        browser.openSignedOut("/dashboard/");
        browser.signIn(studio.owner());
        browser.waitForText("h2", "Members");
        new Select(browser.find("#lang")).selectByValue("de");
        browser.waitForText("h2", "Mitglieder");
        assertThat(browser.find("#members-submit").getText()).isEqualTo("Suchen");
        assertThat(browser.driver().executeScript("return document.documentElement.lang")).isEqualTo("de");
        new Select(browser.find("#lang")).selectByValue("en");
        browser.waitForText("h2", "Members");
    }
}
