package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Instant;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} on the management listener: the ledger's figures per studio, behind the management token, with
 * Vert.x's HTTP metrics; never on the API's port.
 */
class MetricsTest {
    static final String TOKEN = "metrics-token-for-the-test";

    @RegisterExtension
    static TestServer server = new TestServer(8, builder -> builder
            .management(new Config.Management("127.0.0.1", 0, TOKEN))
            .metricsRefreshInterval(Duration.ofHours(1)));

    /** What Micrometer says of registrations, from before the server starts. */
    static final ListAppender<ILoggingEvent> REGISTRY_LOG = new ListAppender<>();

    static {
        REGISTRY_LOG.start();
        ((Logger) LoggerFactory.getLogger("io.micrometer.core.instrument.MeterRegistry")).addAppender(REGISTRY_LOG);
    }

    @Test
    void noMeterIsRegisteredTwiceWhileItStartsAndServes() throws Exception {
        StudioFixture studio = server.studio(true);
        // Requests at once, so that the pool opens several database connections (each a socket with its meters).
        dev.creditline.testkit.Concurrently.run(16, i -> () -> server.api().get("/v1/members", studio.owner())
                .expect(200));

        assertThat(REGISTRY_LOG.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("already registered"));
    }

    @Test
    void theLiabilityAndTheCreditsOfAStudioAreScrapedWithTheToken() throws Exception {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String product = studio.pack("3 Pack", 3, "100.00");
        studio.sell(member, product);
        studio.grant(member, 2);
        // An hour ahead, past its 12-hour cancellation window: redeemed at once (a hold would still be owed).
        studio.book(member, studio.scheduler("Yoga", 1), studio.now().plus(Duration.ofHours(1))).expect(201);
        // Two days ahead, in its window: it holds a credit, still owed (outstanding, liability) until it posts.
        studio.book(member, studio.scheduler("Pilates", 1), studio.now().plus(Duration.ofDays(2))).expect(201);
        server.component().ledgerMetrics().refresh().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        Response refused = server.management().get("/metrics", null);
        Response wrong = server.management().get("/metrics", "not-the-token");
        Response scraped = server.management().get("/metrics", TOKEN).expect(200);

        assertThat(server.api().get("/metrics", TOKEN).status()).as("not on the API's port").isEqualTo(404);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"creditline-management\"");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"creditline-management\", error=\"invalid_token\"");
        assertThat(server.management().get("/health", null).status()).as("the token guards all of it")
                .isEqualTo(401);
        assertThat(server.management().get("/health/live", TOKEN).expect(200).text("/status")).isEqualTo("up");
        assertThat(scraped.header("Content-Type")).startsWith("text/plain");
        String text = scraped.raw();
        // The package came first, so the booking spent one of its 3 credits: the 2 left of 100.00 for 3 are worth
        // 100.00 - floor(100.00 * 1 / 3) = 66.67; the granted credits weigh nothing.
        assertThat(value(text, "creditline_liability", Map.of("studio", studio.id(), "currency", "EUR")))
                .isEqualTo(66.67);
        assertThat(value(text, "creditline_credits_outstanding", Map.of("studio", studio.id()))).isEqualTo(4);
        assertThat(value(text, "creditline_credits_held", Map.of("studio", studio.id()))).isEqualTo(1);
        assertThat(value(text, "creditline_credits_total", Map.of("studio", studio.id(), "type", "sold")))
                .isEqualTo(3);
        assertThat(value(text, "creditline_credits_total", Map.of("studio", studio.id(), "type", "granted")))
                .isEqualTo(2);
        assertThat(value(text, "creditline_credits_total", Map.of("studio", studio.id(), "type", "redeemed")))
                .isEqualTo(1);
        assertThat(text).contains("jvm_memory_used_bytes", "jvm_gc_max_data_size_bytes", "jvm_threads_live_threads",
                "process_cpu_usage", "process_files_open_files", "process_uptime_seconds")
                .containsPattern("creditline_build_info\\{version=\"[0-9][^\"]*\"} 1")
                .as("HTTP latency as a histogram, with the fixed buckets")
                .containsPattern("vertx_http_server_response_time_seconds_bucket\\{[^}]*le=\"0.025\"");
        assertThat(text).contains("vertx_http_server_requests_total").contains("creditline_outbox_lag_seconds")
                .doesNotContain(member);
    }

    @Test
    void theCreditTotalsByKindReconcileWithTheOutstandingCredits() throws Exception {
        StudioFixture studio = server.studio(true);
        String yoga = studio.scheduler("Yoga", 2);
        String mia = studio.member("Mia");
        String ben = studio.member("Ben");
        String monthly = studio.product(json("name", "10 a month", "kind", "package", "credits", 10,
                "price", json("amount", "100.00", "currency", "EUR"), "validity", "P1M", "validityStart",
                "purchase"));
        String five = studio.pack("5 Pack", 5, "50.00");
        Instant start = studio.now();
        studio.sell(mia, monthly);
        studio.grant(mia, 3);
        String free = studio.purchase(mia, five).text("/id");
        String sold = studio.sell(ben, five).text("/id");
        studio.grant(ben, 4);
        String cancelled = studio.book(mia, yoga, start.plus(Duration.ofDays(2))).expect(201).text("/id");
        studio.book(mia, yoga, start.plus(Duration.ofDays(2))).expect(201);
        studio.cancel(cancelled).expect(200);
        studio.api().post("/v1/purchases/" + free + "/void", studio.owner(), json("reason", "by mistake"))
                .expect(200);
        studio.api().post("/v1/members/" + mia + "/credits/adjust", studio.owner(), json("account", "master",
                "mode", "set", "amount", 1, "expectedBalance", 3, "reason", "fix")).expect(200);
        studio.api().post("/v1/purchases/" + sold + "/refund", studio.owner(),
                json("mode", "money", "reason", "moved")).expect(200);
        studio.clock(start.plus(Duration.ofDays(40)));
        studio.api().delete("/v1/members/" + ben + "?forfeit=true", studio.owner()).expect(200);
        server.component().ledgerMetrics().refresh().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        String text = server.management().get("/metrics", TOKEN).expect(200).raw();
        Map<String, Double> totals = new java.util.HashMap<>();
        for (String type : List.of("sold", "granted", "redeemed", "returned", "refunded", "expired", "voided",
                "forfeited", "set_added", "set_removed")) {
            totals.put(type, value(text, "creditline_credits_total", Map.of("studio", studio.id(), "type", type)));
        }
        // The cancelled booking only held its credits (released, neither redeemed nor returned); the other's hold
        // posted when the clock passed its window.
        assertThat(totals).containsEntry("sold", 15.0).containsEntry("granted", 12.0)
                .containsEntry("redeemed", 2.0).containsEntry("returned", 0.0).containsEntry("voided", 5.0)
                .containsEntry("refunded", 5.0).containsEntry("set_removed", 2.0).containsEntry("forfeited", 4.0)
                .containsEntry("expired", 8.0);
        double reconciled = totals.get("sold") + totals.get("granted") + totals.get("set_added")
                + totals.get("returned") - totals.get("redeemed") - totals.get("expired") - totals.get("voided")
                - totals.get("refunded") - totals.get("forfeited") - totals.get("set_removed");
        assertThat(reconciled).isEqualTo(value(text, "creditline_credits_outstanding", Map.of("studio", studio.id())))
                .isEqualTo(1.0);
    }

    /** The value of a series with these labels (and perhaps others). */
    static double value(String text, String name, Map<String, String> labels) {
        Matcher line = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(text);
        while (line.find()) {
            String found = line.group(1);
            if (labels.entrySet().stream().allMatch(l -> found.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                return Double.parseDouble(line.group(2));
            }
        }
        throw new AssertionError("no " + name + " " + labels + " in the scrape");
    }
}
