package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.Browser;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import java.math.BigDecimal;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** The pages the bundled plugins add to the dashboard, in a real Chromium against the server with its plugins. */
class PluginPagesBrowserIT {
    @RegisterExtension
    @Order(1)
    static TestServer server = PluginServers.withPlugins();

    @RegisterExtension
    @Order(2)
    static Browser browser = new Browser(server);

    private static StudioFixture studio(String... plugins) {
        StudioFixture studio = server.studio(false);
        for (String plugin : plugins) {
            PluginServers.enable(studio, plugin, null);
        }
        browser.openSignedOut("/dashboard/");
        browser.signIn(studio.owner());
        browser.find("#nav");
        return studio;
    }

    @Test
    void theVouchersPageListsAndCreatesCodes() {
        StudioFixture studio = studio("vouchers");
        studio.api().post("/v1/vouchers", studio.owner(), json("code", "SPRING20", "type", "percent", "value", 20))
                .expect(201);

        browser.driver().findElement(By.linkText("Vouchers")).click();
        browser.waitForText(".plugin-page table", "SPRING20");
        assertThat(browser.seriousAccessibilityViolations()).as("the vouchers page").isEmpty();
        browser.type("#voucher-code", "TRIAL3");
        browser.driver().findElement(By.cssSelector("#voucher-type option[value=free_credits]")).click();
        browser.type("#voucher-value", "3");
        browser.click(".plugin-page form button[type=submit]");

        assertThat(browser.waitForText(".plugin-page [role=status]", "TRIAL3")).contains("TRIAL3");
        browser.waitForText(".plugin-page table", "TRIAL3");
        assertThat(studio.api().get("/v1/vouchers/TRIAL3", studio.owner()).expect(200).text("/type"))
                .isEqualTo("free_credits");
        browser.screenshot("plugin-vouchers");
    }

    @Test
    void theMoneyPageShowsTheSummarysLiability() {
        StudioFixture studio = studio("reporting");
        String pack = studio.pack("10-Credit Package", 10, "135.00");
        String yoga = studio.scheduler("Yoga", 1);
        String member = studio.member("Mia");
        studio.sell(member, pack);
        studio.book(member, yoga, studio.now().plus(java.time.Duration.ofHours(1))).expect(201);
        // A day ahead, in its cancel window: the credit it holds is still owed, so in the liability.
        studio.book(member, yoga, studio.now().plus(java.time.Duration.ofDays(1))).expect(201);
        String liability = studio.api().get("/v1/reports/summary", studio.owner()).expect(200)
                .text("/liability/amount");

        browser.open("/dashboard/#/plugins/reporting/money");

        String shown = browser.waitForText("[data-figure=liability]", "121");
        assertThat(new BigDecimal(liability)).isEqualByComparingTo("121.50");
        assertThat(shown.replaceAll("[^0-9.,]", "")).isEqualTo("121.50");
        browser.find("#money-chart canvas");
        assertThat(browser.seriousAccessibilityViolations()).as("the money page").isEmpty();
        assertThat(browser.find("[data-figure=outstanding]").getText()).isEqualTo("9");
        assertThat(browser.find("[data-figure=held]").getText()).isEqualTo("1");
        browser.screenshot("plugin-money");
    }

    @Test
    void aStudioWithoutThePluginHasNoSuchPage() {
        studio();

        assertThat(browser.find("#nav").getText()).contains("Members").doesNotContain("Vouchers", "Money");
        browser.open("/dashboard/#/plugins/vouchers/vouchers");
        assertThat(browser.waitForText("main", "not available")).contains("not available");
    }
}
