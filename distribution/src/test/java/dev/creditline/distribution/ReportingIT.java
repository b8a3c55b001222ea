package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reporting plugin: a period's credits and money add up exactly (sold = recognised + breakage + refunded + other
 * + change in liability), the liability matches what the metrics publish, and the journal exports as RFC 4180 CSV.
 */
class ReportingIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    private static StudioFixture studio() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, "reporting", null);
        return studio;
    }

    private static JsonNode summary(StudioFixture studio, Instant from, Instant to) {
        return studio.api().get("/v1/reports/summary?from=" + from + "&to=" + to, studio.owner()).expect(200).body();
    }

    private static BigDecimal money(JsonNode summary, String field) {
        return new BigDecimal(summary.at("/money/" + field + "/amount").asText());
    }

    /** The period's identity, to the cent: sold = recognised + breakage + refunded + other + change in liability. */
    private static void addsUp(JsonNode period) {
        assertThat(money(period, "sold")).isEqualByComparingTo(money(period, "recognised")
                .add(money(period, "breakage")).add(money(period, "refunded")).add(money(period, "other"))
                .add(money(period, "liability")).subtract(money(period, "liabilityStart")));
    }

    @Test
    void soldIsRecognisedPlusBreakagePlusTheChangeInLiability() {
        StudioFixture studio = studio();
        String yoga = studio.scheduler("Yoga", 1);
        String member = studio.member("Mia");
        String pack = studio.product(json("name", "10 Pack", "kind", "package", "credits", 10,
                "price", json("amount", "100.00", "currency", "EUR"), "validity", "P1M"));
        Instant start = studio.now();
        studio.sell(member, pack);
        studio.grant(member, 2);
        String cancelled = studio.book(member, yoga, start.plus(Duration.ofDays(3))).expect(201).text("/id");
        studio.book(member, yoga, start.plus(Duration.ofDays(3))).expect(201);
        studio.book(member, yoga, start.plus(Duration.ofDays(4))).expect(201);
        studio.cancel(cancelled).expect(200);
        Instant mid = start.plus(Duration.ofDays(10));
        studio.clock(mid);
        // The package's 8 unused credits expire with it; the granted ones stay (they weigh nothing).
        Instant end = start.plus(Duration.ofDays(40));
        studio.clock(end);

        JsonNode first = summary(studio, start, mid);
        JsonNode second = summary(studio, mid, end.plusSeconds(1));

        assertThat(first.get("sold").intValue()).isEqualTo(10);
        assertThat(first.get("granted").intValue()).isEqualTo(2);
        assertThat(first.get("used").intValue()).as("3 booked, 1 cancelled").isEqualTo(2);
        assertThat(first.at("/liability/amount").asText()).isEqualTo("80.00");
        assertThat(first.at("/recognised/amount").asText()).isEqualTo("20.00");
        assertThat(first.get("liabilityMonthsOfSales").doubleValue()).isEqualTo(2.4);
        assertThat(second.get("expired").intValue()).isEqualTo(8);
        assertThat(second.at("/breakage/amount").asText()).isEqualTo("80.00");
        assertThat(second.at("/liability/amount").asText()).isEqualTo("0.00");
        assertThat(second.get("outstanding").intValue()).isEqualTo(2);
        addsUp(first);
        addsUp(second);
    }

    @Test
    void heldCreditsAreOwedUntilTheyPostAndTheIdentityHoldsAcrossIt() {
        StudioFixture studio = studio();
        String yoga = studio.scheduler("Yoga", 1);
        String member = studio.member("Mia");
        String pack = studio.pack("10 Pack", 10, "100.00");
        Instant start = studio.now();
        studio.sell(member, pack);
        studio.book(member, yoga, start.plus(Duration.ofDays(3))).expect(201);
        String released = studio.book(member, yoga, start.plus(Duration.ofDays(3))).expect(201).text("/id");
        studio.cancel(released).expect(200);
        Instant held = start.plus(Duration.ofDays(1));
        studio.clock(held);
        Instant posted = start.plus(Duration.ofDays(4));
        studio.clock(posted);

        JsonNode first = summary(studio, start, held);
        JsonNode second = summary(studio, held, posted.plusSeconds(1));

        // While held, the credit is neither used nor revenue: it is still owed.
        assertThat(first.get("held").intValue()).isEqualTo(1);
        assertThat(first.get("used").intValue()).isZero();
        assertThat(first.at("/recognised/amount").asText()).isEqualTo("0.00");
        assertThat(first.at("/liability/amount").asText()).isEqualTo("100.00");
        // The window closed: the hold posted, as used and revenue of the period it posted in; the released one never.
        assertThat(second.get("held").intValue()).isZero();
        assertThat(second.get("used").intValue()).isEqualTo(1);
        assertThat(second.at("/recognised/amount").asText()).isEqualTo("10.00");
        assertThat(second.at("/liability/amount").asText()).isEqualTo("90.00");
        addsUp(first);
        addsUp(second);
    }

    @Test
    void oddCostBasesAddUpToTheCentAndTheMetricsPublishTheSameLiability() throws Exception {
        StudioFixture studio = studio();
        String yoga = studio.scheduler("Yoga", 1);
        String spin = studio.scheduler("Spin", 2);
        String thirds = studio.product(json("name", "3 for 100", "kind", "package", "credits", 3,
                "price", json("amount", "100.00", "currency", "EUR")));
        String sevens = studio.product(json("name", "7 for 9.99", "kind", "package", "credits", 7,
                "price", json("amount", "9.99", "currency", "EUR")));
        Instant start = studio.now();
        for (int i = 0; i < 3; i++) {
            String member = studio.member("Athlete " + i);
            studio.sell(member, thirds);
            studio.sell(member, sevens);
            studio.book(member, yoga, start.plus(Duration.ofDays(1))).expect(201);
            studio.book(member, spin, start.plus(Duration.ofDays(2))).expect(201);
            String refunded = studio.sell(member, sevens).text("/id");
            studio.api().post("/v1/purchases/" + refunded + "/refund", studio.owner(),
                    json("mode", "credits", "reason", "swap")).expect(200);
        }
        Instant now = studio.now().plusSeconds(1);

        JsonNode all = summary(studio, start.minusSeconds(1), now);

        addsUp(all);
        assertThat(money(all, "sold")).isEqualByComparingTo("359.94");
        server.component().ledgerMetrics().refresh().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        String scrape = server.management().get("/metrics", null).expect(200).raw();
        Matcher liability = Pattern.compile("(?m)^creditline_liability\\{currency=\"EUR\",studio=\""
                + studio.id() + "\"} (\\S+)$").matcher(scrape);
        assertThat(liability.find()).as("the studio's liability in the scrape").isTrue();
        assertThat(new BigDecimal(liability.group(1))).isEqualByComparingTo(money(all, "liability"));
    }

    @Test
    void aProductAddedWithoutChargeIsGrantedAndOnePaidOutsideIsSold() {
        StudioFixture studio = studio();
        String member = studio.member("Mia");
        String pack = studio.pack("10 Pack", 10, "100.00");
        Instant start = studio.now();
        studio.purchase(member, pack);
        studio.sell(member, pack, "90.00");

        JsonNode all = summary(studio, start.minusSeconds(1), studio.now().plusSeconds(1));

        assertThat(all.get("sold").intValue()).isEqualTo(10);
        assertThat(all.get("granted").intValue()).isEqualTo(10);
        assertThat(all.get("outstanding").intValue()).isEqualTo(20);
        assertThat(all.at("/money/sold/amount").asText()).isEqualTo("90.00");
        assertThat(all.at("/liability/amount").asText()).as("the free credits weigh nothing").isEqualTo("90.00");
    }

    @Test
    void theMonthsOfSalesMetricIsTheReportsPerCurrencyAndReissuedLotsAreNoSale() throws Exception {
        StudioFixture studio = studio();
        PluginServers.enable(studio, "trainer-bound", null);
        String anna = studio.trainer("Anna");
        String ben = studio.trainer("Ben");
        String pack = studio.product(json("name", "PT Anna", "kind", "package", "credits", 10,
                "price", json("amount", "300.00", "currency", "EUR"), "trainerId", anna, "validity", "P6M"));
        String other = studio.pack("Open 10", 10, "100.00");
        String mia = studio.member("Mia");
        studio.sell(mia, pack);
        studio.sell(studio.member("Ben"), other);
        studio.clock(studio.now().plus(Duration.ofDays(20)));
        studio.api().post("/v1/trainers/" + anna + "/offboard", studio.owner(),
                json("action", "transfer", "toTrainerId", ben)).expect(200);
        studio.clock(studio.now().plus(Duration.ofDays(20)));

        JsonNode report = studio.api().get("/v1/reports/summary", studio.owner()).expect(200).body();
        server.component().ledgerMetrics().refresh().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        String scrape = server.management().get("/metrics", null).expect(200).raw();
        Matcher months = Pattern.compile("(?m)^creditline_liability_months_of_sales\\{currency=\"EUR\",studio=\""
                + studio.id() + "\"} (\\S+)$").matcher(scrape);

        // 400.00 of liability over 400.00 of sales in three months: 3 months' worth.
        assertThat(report.get("liabilityMonthsOfSales").doubleValue()).isEqualTo(3.0);
        assertThat(months.find()).as("the studio's months of sales, with its currency").isTrue();
        assertThat(Double.parseDouble(months.group(1))).isEqualTo(report.get("liabilityMonthsOfSales").doubleValue());
    }

    @Test
    void everyLiabilityFigureOfATestClockStudioFollowsItsClock() throws Exception {
        StudioFixture studio = studio();
        Instant start = studio.now();
        String first = studio.pack("10 for 150", 10, "150.00");
        String second = studio.pack("10 for 60", 10, "60.00");
        studio.sell(studio.member("Mia"), first);
        // Four months later by the studio's clock (the real clock has hardly moved): only the second sale is recent.
        studio.clock(studio.now().atZone(java.time.ZoneId.of("Europe/Berlin")).plusMonths(4).toInstant());
        studio.sell(studio.member("Ben"), second);

        JsonNode report = studio.api().get("/v1/reports/summary", studio.owner()).expect(200).body();
        server.component().ledgerMetrics().refresh().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        String scrape = server.management().get("/metrics", null).expect(200).raw();
        Matcher liability = Pattern.compile("(?m)^creditline_liability\\{currency=\"EUR\",studio=\""
                + studio.id() + "\"} (\\S+)$").matcher(scrape);
        Matcher months = Pattern.compile("(?m)^creditline_liability_months_of_sales\\{currency=\"EUR\",studio=\""
                + studio.id() + "\"} (\\S+)$").matcher(scrape);

        assertThat(report.at("/liability/amount").asText()).isEqualTo("210.00");
        assertThat(report.get("liabilityMonthsOfSales").doubleValue()).as("210.00 over 60.00 a quarter")
                .isEqualTo(10.5);
        assertThat(liability.find() && months.find()).isTrue();
        assertThat(new BigDecimal(liability.group(1))).isEqualByComparingTo("210.00");
        assertThat(Double.parseDouble(months.group(1))).isEqualTo(10.5);

        // Six and a half months in, the first package expired by the studio's clock: every figure agrees.
        studio.clock(start.atZone(java.time.ZoneId.of("Europe/Berlin")).plusMonths(6).plusDays(15).toInstant());
        JsonNode later = studio.api().get("/v1/reports/summary", studio.owner()).expect(200).body();
        JsonNode byExpiry = studio.api().get("/v1/reports/liability-by-expiry", studio.owner()).expect(200).body();
        server.component().ledgerMetrics().refresh().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        String again = server.management().get("/metrics", null).expect(200).raw();
        Matcher liabilityLater = Pattern.compile("(?m)^creditline_liability\\{currency=\"EUR\",studio=\""
                + studio.id() + "\"} (\\S+)$").matcher(again);
        Matcher monthsLater = Pattern.compile("(?m)^creditline_liability_months_of_sales\\{currency=\"EUR\","
                + "studio=\"" + studio.id() + "\"} (\\S+)$").matcher(again);
        assertThat(later.at("/liability/amount").asText()).isEqualTo("60.00");
        assertThat(byExpiry.at("/items/0/value/amount").asText()).isEqualTo("60.00");
        assertThat(liabilityLater.find() && monthsLater.find()).isTrue();
        assertThat(new BigDecimal(liabilityLater.group(1))).isEqualByComparingTo("60.00");
        assertThat(Double.parseDouble(monthsLater.group(1))).isEqualTo(later.get("liabilityMonthsOfSales")
                .doubleValue()).isEqualTo(3.0);
    }

    @Test
    void theEndOfAnUnlimitedPeriodIsRecognisedAndCountsInNoExpiryOrBreakage() {
        StudioFixture studio = studio();
        String member = studio.member("Mia");
        String monthly = studio.product(json("name", "Monthly Unlimited", "kind", "subscription", "credits",
                "unlimited", "price", json("amount", "89.00", "currency", "EUR"), "billingInterval", "P1M"));
        Instant start = studio.now();
        studio.sell(member, monthly);
        studio.api().post("/v1/subscriptions/" + studio.api().get("/v1/members/" + member + "/subscriptions",
                studio.owner()).expect(200).text("/items/0/id") + "/cancel", studio.owner(), null).expect(200);
        studio.clock(start.plus(Duration.ofDays(40)));

        JsonNode all = summary(studio, start.minusSeconds(1), studio.now().plusSeconds(1));
        String csv = studio.api().get("/v1/reports/credits.csv", studio.owner()).expect(200).raw();

        assertThat(all.get("expired").intValue()).isZero();
        assertThat(all.at("/breakage/amount").asText()).isEqualTo("0.00");
        assertThat(all.at("/money/sold/amount").asText()).isEqualTo("89.00");
        assertThat(all.at("/recognised/amount").asText()).as("the period is revenue once it ended")
                .isEqualTo("89.00");
        assertThat(all.at("/liability/amount").asText()).isEqualTo("0.00");
        assertThat(csv).contains(",period_ended,-1,").contains("Period ended").doesNotContain(",expired,");
    }

    @Test
    void theJournalExportsAsCsvAndAStatementHoldsOneMembersEntries() {
        StudioFixture studio = studio();
        String member = studio.member("Mia");
        String other = studio.member("Ben");
        String pack = studio.product(json("name", "Yoga, \"Pilates\" & More", "kind", "package", "credits", 5,
                "price", json("amount", "50.00", "currency", "EUR")));
        studio.purchase(member, pack);
        studio.grant(other, 1);

        Response credits = studio.api().get("/v1/reports/credits.csv", studio.owner()).expect(200);
        Response statement = studio.api().get("/v1/members/" + member + "/statement.csv", studio.owner())
                .expect(200);
        Response export = studio.api().get("/v1/reports/exports/credits.csv", studio.owner()).expect(200);

        assertThat(credits.header("Content-Type")).startsWith("text/csv");
        assertThat(credits.raw()).startsWith("at,entry,member,account,lot,type,delta,balance_after,description,"
                        + "reason,actor,booking,purchase,member_name,product_name,scheduler,scheduler_name,held\r\n")
                .contains("\"Purchased Yoga, \"\"Pilates\"\" & More\"").endsWith("\r\n");
        assertThat(credits.raw().split("\r\n")).hasSize(3);
        // Names beside the ids: the member's, the product's (quoted as RFC 4180 wants), none for master credits.
        String[] lines = credits.raw().split("\r\n");
        assertThat(lines[1]).endsWith(",Mia,\"Yoga, \"\"Pilates\"\" & More\",,,0");
        assertThat(lines[2]).contains("," + other + ",").endsWith(",Ben,,,,0");
        assertThat(export.raw()).isEqualTo(credits.raw());
        assertThat(statement.raw().split("\r\n")).hasSize(2);
        assertThat(statement.raw()).contains(member).doesNotContain(other);
        // A booking's line names its scheduler; a booking in its cancel window holds its credit (delta 0, held 1).
        String yoga = studio.scheduler("Morning Yoga", 1);
        studio.book(member, yoga, studio.now().plus(Duration.ofDays(1))).expect(201);
        String booked = studio.api().get("/v1/members/" + member + "/statement.csv", studio.owner()).expect(200)
                .raw().split("\r\n")[2];
        assertThat(booked).contains(",held,0,").contains(",Mia,").endsWith("," + yoga + ",Morning Yoga,1");
        StudioFixture elsewhere = studio();
        assertThat(elsewhere.api().get("/v1/members/" + member + "/statement.csv", elsewhere.owner()).status())
                .isEqualTo(404);
        assertThat(studio.api().get("/v1/reports/summary", studio.key("athlete", member)).status())
                .isEqualTo(403);
        assertThat(studio.api().get("/v1/reports/summary?from=later", studio.owner()).status()).isEqualTo(422);
    }

    @Test
    void eachMonthOfTheChartIsThatMonthsSummary() {
        StudioFixture studio = studio();
        String member = studio.member("Mia");
        String pack = studio.pack("10 Pack", 10, "100.00");
        studio.sell(member, pack);
        java.time.ZonedDateTime now = studio.now().atZone(java.time.ZoneId.of("Europe/Berlin"));
        studio.clock(now.plusMonths(1).withDayOfMonth(2).toInstant());
        studio.sell(member, pack);
        studio.grant(member, 3);

        JsonNode months = studio.api().get("/v1/reports/monthly?months=3", studio.owner()).expect(200).body()
                .get("items");

        assertThat(months).hasSize(3);
        assertThat(months).extracting(m -> m.get("sold").intValue()).containsExactly(0, 10, 10);
        assertThat(months.get(2).get("granted").intValue()).isEqualTo(3);
        for (JsonNode month : months) {
            JsonNode summary = summary(studio, Instant.parse(month.get("from").asText()),
                    Instant.parse(month.get("to").asText()));
            assertThat(month.get("month").asText()).as("the month in the studio's zone").isEqualTo(
                    Instant.parse(month.get("from").asText()).atZone(java.time.ZoneId.of("Europe/Berlin"))
                            .toLocalDate().toString().substring(0, 7));
            assertThat(month.get("money")).as(month.get("month").asText()).isEqualTo(summary.get("money"));
            assertThat(month.get("sold")).isEqualTo(summary.get("sold"));
        }
        assertThat(studio.api().get("/v1/reports/monthly?months=37", studio.owner()).status()).isEqualTo(422);
        assertThat(studio.api().get("/v1/reports/monthly?month=3", studio.owner()).status()).isEqualTo(400);
        assertThat(studio.api().get("/v1/reports/summary?form=2026-01-01T00:00:00Z", studio.owner()).status())
                .as("a typo is no silent report of everything").isEqualTo(400);
        assertThat(studio.api().get("/v1/reports/summary?from=%2B999999999-12-31T23:59:59-18:00", studio.owner())
                .status()).as("an instant past the year 9999").isEqualTo(422);
    }

    @Test
    void theMoneyPageIsInTheDashboardWithItsChartLibrary() {
        StudioFixture studio = studio();

        JsonNode pages = studio.api().get("/v1/dashboard/pages", studio.owner()).expect(200).body().get("items");

        assertThat(pages).extracting(p -> p.get("module").asText()).contains("/dashboard/plugins/reporting/money.js");
        assertThat(studio.api().get("/dashboard/plugins/reporting/money.js", null).expect(200).raw())
                .contains("import uPlot from \"./uPlot.esm.js\"");
        assertThat(studio.api().get("/dashboard/plugins/reporting/uPlot.esm.js", null).expect(200).raw())
                .contains("export { uPlot as default }");
        assertThat(studio.api().get("/dashboard/plugins/reporting/uPlot.min.css", null).expect(200)
                .header("Content-Type")).startsWith("text/css");
    }
}
