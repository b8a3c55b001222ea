package dev.creditline.distribution;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plugin platform through the HTTP API, with the plugin jars loaded by PF4J: every extension point exercised by
 * the test plugin, per-studio enablement, settings, and failure containment.
 */
class PluginPlatformIT {
    @RegisterExtension
    static TestServer server = PluginServers.withPlugins();

    private static final String FIXTURES = "test-fixtures";
    private static final String FAILED_DETAIL = "plugin test-fixtures failed; the request changed nothing (the"
            + " server's log has the failure under this answer's Request-Id)";

    @Test
    void pluginsAreListedWithTheirStateAndTheCallersEnablement() {
        StudioFixture a = server.studio(true);
        StudioFixture b = server.studio(true);
        PluginServers.enable(a, FIXTURES, null);

        JsonNode forA = a.api().get("/v1/plugins", a.owner()).expect(200).body().get("items");
        JsonNode forB = b.api().get("/v1/plugins", b.owner()).expect(200).body().get("items");

        assertThat(forA).extracting(p -> p.get("id").asText())
                .containsExactly("automations", "email", "first-visit-policy", "refund-policy", "reporting", "stripe",
                        FIXTURES, "trainer-bound", "vouchers");
        assertThat(forA).allSatisfy(p -> assertThat(p.get("state").asText()).isEqualTo("started"));
        assertThat(forA).filteredOn(p -> p.get("enabled").booleanValue()).extracting(p -> p.get("id").asText())
                .containsExactly(FIXTURES);
        assertThat(forB).noneMatch(p -> p.get("enabled").booleanValue());
    }

    @Test
    void settingsAreValidatedByThePluginAndSecretsAreWriteOnly() {
        StudioFixture studio = server.studio(true);

        Response bad = studio.api().send("PUT", "/v1/plugins/" + FIXTURES, studio.owner(),
                json("enabled", true, "settings", Map.of("refundPercent", "half")), Map.of());
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.text("/errors/0/field")).isEqualTo("settings.refundPercent");

        Response saved = PluginServers.enable(studio, FIXTURES, Map.of("apiSecret", "s3cret", "refundPercent", 40));
        assertThat(saved.text("/settings/apiSecret")).isEqualTo("********");
        assertThat(saved.body().at("/settings/refundPercent").intValue()).isEqualTo(40);
        Response read = studio.api().get("/v1/plugins/" + FIXTURES, studio.owner()).expect(200);
        assertThat(read.raw()).doesNotContain("s3cret");
        // Stored encrypted, read by the plugin as it was given.
        assertThat(server.probe().text("SELECT settings::text FROM plugin_settings WHERE studio_id = ?",
                studio.id())).doesNotContain("s3cret").contains("enc:v1:");
        String digest = secretDigest(studio);
        assertThat(digest).isEqualTo(sha256("s3cret"));
        // Sending the mask back keeps the secret.
        PluginServers.enable(studio, FIXTURES, Map.of("apiSecret", "********", "refundPercent", 30));
        assertThat(secretDigest(studio)).isEqualTo(digest);
        // Enabling or disabling alone keeps the settings and their secrets.
        studio.api().send("PUT", "/v1/plugins/" + FIXTURES, studio.owner(), json("enabled", false), Map.of())
                .expect(200);
        studio.api().send("PUT", "/v1/plugins/" + FIXTURES, studio.owner(), json("enabled", true), Map.of())
                .expect(200);
        assertThat(secretDigest(studio)).isEqualTo(digest);
        // A studio never reads the server's environment through its settings.
        Response leak = studio.api().send("PUT", "/v1/plugins/" + FIXTURES, studio.owner(),
                json("enabled", true, "settings", Map.of("apiSecret", "${env:CREDITLINE_ADMIN_TOKEN}")), Map.of());
        assertThat(leak.status()).isEqualTo(422);
        assertThat(leak.text("/errors/0/field")).isEqualTo("settings.apiSecret");
        assertThat(secretDigest(studio)).isEqualTo(digest);
        assertThat(studio.api().send("PUT", "/v1/plugins/nope", studio.owner(), json("enabled", true), Map.of())
                .status()).isEqualTo(404);
        assertThat(studio.api().send("PUT", "/v1/plugins/" + FIXTURES, studio.key("coach", null),
                json("enabled", false), Map.of()).status()).isEqualTo(403);
    }

    @Test
    void aPluginEnabledForOneStudioDoesNotActForAnother() {
        StudioFixture a = server.studio(true);
        StudioFixture b = server.studio(true);
        PluginServers.enable(a, FIXTURES, Map.of("vetoMaster", true));
        String inA = a.member("Mia");
        String inB = b.member("Noah");
        a.grant(inA, 2);
        b.grant(inB, 2);
        String classA = a.scheduler("Yoga", 1);
        String classB = b.scheduler("Yoga", 1);

        Response vetoed = a.book(inA, classA, a.now().plus(Duration.ofDays(1)));
        Response booked = b.book(inB, classB, b.now().plus(Duration.ofDays(1)));

        assertThat(vetoed.status()).isEqualTo(409);
        assertThat(vetoed.body().at("/eligibility/lots/0/reasons").toString()).contains("fixture_master");
        assertThat(booked.status()).isEqualTo(201);
        assertThat(b.api().get("/v1/plugins/" + FIXTURES + "/received", b.owner()).status()).isEqualTo(404);
        assertThat(a.api().get("/v1/members/" + inA + "/eligibility?schedulerId=" + classA, a.owner())
                .body().at("/lots/0/reasons/0").asText()).isEqualTo("fixture_master");
    }

    @Test
    void aCreditPolicyMaySetTheSpendingOrder() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, Map.of("reverseOrder", true));
        String member = studio.member("Ava");
        String older = studio.grant(member, 1).body().at("/lots/0/id").asText();
        String newer = studio.grant(member, 1).body().at("/lots/1/id").asText();

        Response booking = studio.book(member, studio.scheduler("Spin", 1), studio.now().plus(Duration.ofDays(1)))
                .expect(201);

        assertThat(booking.text("/allocations/0/lotId")).isEqualTo(newer).isNotEqualTo(older);
    }

    @Test
    void aPaymentProviderTakesThePaymentAndTheCreditsArriveOnceWhenItConfirms() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, null);
        String member = studio.member("Liv");
        String product = studio.pack("10 Pack", 10, "120.00");

        Response pending = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "fixture-pay"), "buy-1").expect(201);

        String purchase = pending.text("/id");
        assertThat(pending.text("/status")).isEqualTo("pending");
        assertThat(pending.text("/checkoutUrl")).isEqualTo("https://pay.example.test/checkout/" + purchase);
        assertThat(studio.total(member)).isZero();
        var confirmation = json("studioId", studio.id(), "purchaseId", purchase, "amount", "120.00",
                "currency", "EUR", "reference", "pay_1");
        for (int i = 0; i < 2; i++) {
            studio.api().post("/webhooks/" + FIXTURES + "/paid", null, confirmation).expect(200);
        }
        assertThat(studio.balance(member, product)).isEqualTo(10);
        assertThat(studio.api().get("/v1/purchases/" + purchase, studio.owner()).text("/status"))
                .isEqualTo("completed");
        StudioFixture other = server.studio(true);
        assertThat(studio.api().post("/webhooks/" + FIXTURES + "/paid", null, json("studioId", other.id(),
                "purchaseId", purchase, "amount", "1.00", "currency", "EUR", "reference", "x")).status())
                .as("a webhook for a studio without the plugin").isEqualTo(404);
        JsonNode payments = studio.api().get("/v1/plugins/" + FIXTURES + "/payments", studio.owner()).body();
        assertThat(payments.at("/items/0/kind").asText()).isEqualTo("checkout");
        assertThat(payments.at("/items/0/amountMinor").longValue()).isEqualTo(12000);
        assertThat(payments.at("/items/0/idempotencyKey").asText()).contains(purchase);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void aVoucherRuleDiscountsThePurchaseAndTheCostBasisFollows() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, null);
        String member = studio.member("Emil");
        String product = studio.pack("10 Pack", 10, "100.00");

        // Charged through a provider: it is asked for the discounted price, and what it took is the cost basis.
        String purchase = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "fixture-pay", "voucherCode", "FIXTURE10")).expect(201)
                .text("/id");
        JsonNode checkout = studio.api().get("/v1/plugins/" + FIXTURES + "/payments", studio.owner()).body();
        studio.api().post("/webhooks/" + FIXTURES + "/paid", null, json("studioId", studio.id(), "purchaseId",
                purchase, "amount", "90.00", "currency", "EUR", "reference", "pay_voucher")).expect(200);
        Response discounted = studio.api().get("/v1/purchases/" + purchase, studio.owner()).expect(200);
        Response refused = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "none", "voucherCode", "FIXTURE-NO"));
        Response unknown = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "none", "voucherCode", "NOPE"));

        assertThat(checkout.at("/items/0/amountMinor").longValue()).isEqualTo(9000);
        assertThat(discounted.text("/amountPaid/amount")).isEqualTo("90.00");
        assertThat(server.probe().number("SELECT cost_minor FROM lots WHERE id = ?",
                discounted.text("/lots/0/id"))).isEqualTo(9000);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("/errors/0/field")).isEqualTo("voucherCode");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.text("/errors/0/field")).isEqualTo("voucherCode");
        assertThat(studio.balance(member, product)).isEqualTo(10);
    }

    @Test
    void aPenaltyPolicyDecidesWhatALateCancelKeeps() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, Map.of("penaltyKeep", 1));
        String member = studio.member("Ida");
        studio.grant(member, 5);
        String yoga = studio.scheduler("Yoga", 3);
        Instant startsAt = studio.now().plus(Duration.ofDays(1));
        String booking = studio.book(member, yoga, startsAt).expect(201).text("/id");
        studio.clock(startsAt.minus(Duration.ofHours(1)));

        // The studio's setting would keep all 3; the plugin keeps 1 and the other 2 go back.
        Response late = studio.cancel(booking).expect(200);

        assertThat(late.text("/penalty/outcome")).isEqualTo("partial");
        assertThat(late.number("/penalty/forfeited")).isEqualTo(1);
        assertThat(late.number("/refunded")).isEqualTo(2);
        assertThat(studio.balance(member, "master")).isEqualTo(4);
        // Nonsense (keeping more than the booking cost) fails the cancellation and writes nothing.
        String second = studio.book(member, yoga, startsAt.plus(Duration.ofMinutes(30))).expect(201).text("/id");
        PluginServers.enable(studio, FIXTURES, Map.of("fail", Map.of("PenaltyPolicy", "nonsense")));
        Map<String, String> before = server.probe().fingerprint();
        Response failed = studio.cancel(second);
        assertThat(failed.status()).as(failed.raw()).isEqualTo(503);
        assertThat(failed.text("/type")).endsWith("/plugin_failed");
        assertThat(server.probe().fingerprint()).isEqualTo(before);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void aRefundPolicySetsTheMoneyAndThePaymentProviderPaysItBack() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, Map.of("refundPercent", 25));
        String member = studio.member("Ida");
        String product = studio.pack("4 Pack", 4, "80.00");
        String purchase = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "fixture-pay")).expect(201).text("/id");
        studio.api().post("/webhooks/" + FIXTURES + "/paid", null, json("studioId", studio.id(), "purchaseId",
                purchase, "amount", "80.00", "currency", "EUR", "reference", "pay_2")).expect(200);

        Response refunded = studio.api().post("/v1/purchases/" + purchase + "/refund", studio.owner(),
                json("mode", "money", "reason", "moved away")).expect(200);

        assertThat(refunded.text("/status")).isEqualTo("refunded");
        assertThat(refunded.text("/refund/amount/amount")).isEqualTo("20.00");
        assertThat(refunded.number("/refund/credits")).isEqualTo(4);
        assertThat(studio.balance(member, product)).isZero();
        assertThat(studio.log(member).get(0).get("type").asText()).isEqualTo("refunded");
        JsonNode payments = studio.api().get("/v1/plugins/" + FIXTURES + "/payments", studio.owner()).body();
        assertThat(payments.get("items")).anySatisfy(p -> {
            assertThat(p.get("kind").asText()).isEqualTo("refund");
            assertThat(p.get("amountMinor").longValue()).isEqualTo(2000);
        });
    }

    @Test
    void automationTriggersAndActionsAreFoundThroughTheHost() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, null);
        String member = studio.member("Ben");

        Response fired = studio.api().post("/v1/plugins/" + FIXTURES + "/automation/fire", studio.owner(),
                json("fire", true)).expect(200);
        Response quiet = studio.api().post("/v1/plugins/" + FIXTURES + "/automation/fire", studio.owner(),
                json("fire", false)).expect(200);
        Response ran = studio.api().post("/v1/plugins/" + FIXTURES + "/automation/run", studio.owner(),
                json("memberId", member, "amount", 3)).expect(200);

        assertThat(fired.body().get("fired")).extracting(JsonNode::asText).containsExactly(FIXTURES);
        assertThat(quiet.body().get("fired")).isEmpty();
        assertThat(ran.text("/results/0/summary")).isEqualTo("granted 3 credits");
        assertThat(studio.balance(member, "master")).isEqualTo(3);
        // The same run again (same idempotency key): the ledger grants once.
        studio.api().post("/v1/plugins/" + FIXTURES + "/automation/run", studio.owner(),
                json("memberId", member, "amount", 3)).expect(200);
        assertThat(studio.balance(member, "master")).isEqualTo(3);
    }

    @Test
    void notificationsReachTheStudiosNotifiers() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, null);
        String member = studio.member("Zoe");

        Response sent = studio.api().post("/v1/plugins/" + FIXTURES + "/notify", studio.owner(),
                json("memberId", member, "text", "Your credits expire on Friday", "key", "n-1")).expect(200);

        assertThat(sent.number("/notifiers")).isEqualTo(1);
        assertThat(studio.api().get("/v1/plugins/" + FIXTURES + "/notifications", studio.owner())
                .text("/items/0/text")).isEqualTo("Your credits expire on Friday");
    }

    @Test
    void aReportExporterStreamsItsReport() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, Map.of("exportLines", 2));

        Response report = studio.api().get("/v1/reports/exports/fixture.csv", studio.owner()).expect(200);

        assertThat(report.header("Content-Type")).startsWith("text/csv");
        assertThat(report.raw()).isEqualTo("line,studio\r\n1," + studio.id() + "\r\n2," + studio.id() + "\r\n");
        assertThat(studio.api().get("/v1/reports/exports/other.csv", studio.owner()).status()).isEqualTo(404);
    }

    @Test
    void aPluginReachesOnlyTheStudiosThatEnabledIt() {
        StudioFixture enabled = server.studio(true);
        StudioFixture other = server.studio(true);
        PluginServers.enable(enabled, FIXTURES, null);
        String mine = enabled.member("Mia");
        String theirs = other.member("Noah");
        Map<String, String> before = server.probe().fingerprint();

        Response refused = other.api().post("/webhooks/" + FIXTURES + "/careless-grant", null,
                json("studioId", other.id(), "memberId", theirs));

        assertThat(refused.status()).isEqualTo(404);
        assertThat(server.probe().fingerprint()).isEqualTo(before);
        enabled.api().post("/webhooks/" + FIXTURES + "/careless-grant", null,
                json("studioId", enabled.id(), "memberId", mine)).expect(200);
        assertThat(enabled.balance(mine, "master")).isEqualTo(1);
    }

    @Test
    void ledgerListenersGetCommittedEntriesInOrder() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, null);
        String member = studio.member("Kai");
        studio.purchase(member, studio.pack("5 Pack", 5, "50.00"));
        studio.book(member, studio.scheduler("Yoga", 2), studio.now().plus(Duration.ofDays(1))).expect(201);
        assertThat(studio.book(member, studio.scheduler("Workshop", 9), studio.now().plus(Duration.ofDays(1)))
                .status()).as("refused: nothing to deliver").isEqualTo(409);

        JsonNode received = eventually(() -> studio.api().get("/v1/plugins/" + FIXTURES + "/received",
                studio.owner()).body().get("items"), items -> items.size() >= 2);

        // The booking is a day ahead, inside its cancel window: it holds its credits (delta 0, held +2).
        assertThat(received).extracting(e -> e.get("type").asText() + e.get("delta").asInt() + "/" + e.get("held").asInt())
                .containsExactly("purchased5/0", "held0/2");
        assertThat(server.probe().number("SELECT count(*) FROM outbox WHERE studio_id = ?", studio.id())).isZero();
    }

    @Test
    void aFailingListenerHoldsEntriesBackAndLosesNone() {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, Map.of("fail", Map.of("LedgerListener", "fail")));
        String member = studio.member("Ola");
        for (int i = 0; i < 3; i++) {
            studio.grant(member, 1);
        }
        eventually(() -> server.probe().number("SELECT count(*) FROM outbox WHERE studio_id = ?", studio.id()),
                waiting -> waiting == 3);

        PluginServers.enable(studio, FIXTURES, null);

        JsonNode received = eventually(() -> studio.api().get("/v1/plugins/" + FIXTURES + "/received",
                studio.owner()).body().get("items"), items -> items.size() == 3);
        assertThat(received).extracting(e -> e.get("delta").asInt()).containsExactly(1, 1, 1);
        assertThat(eventually(() -> server.probe().number("SELECT count(*) FROM outbox WHERE studio_id = ?",
                studio.id()), left -> left == 0)).isZero();
    }

    /** A plugin that throws, fails, hangs, blocks its thread or answers nonsense fails only the request it serves. */
    @ParameterizedTest(name = "CreditPolicy {0}")
    @ValueSource(strings = {"throw", "fail", "hang", "block", "nonsense"})
    void aMisbehavingPolicyFailsOnlyItsRequest(String mode) {
        StudioFixture studio = server.studio(true);
        StudioFixture other = server.studio(true);
        PluginServers.enable(studio, FIXTURES, Map.of("fail", Map.of("CreditPolicy", mode)));
        String member = studio.member("Mia");
        studio.grant(member, 3);
        String scheduler = studio.scheduler("Yoga", 1);
        Map<String, String> before = server.probe().fingerprint();
        double failuresBefore = failures(studio, "CreditPolicy.decide");

        Instant started = Instant.now();
        Response failed = studio.book(member, scheduler, studio.now().plus(Duration.ofDays(1)));

        assertThat(failed.status()).as(failed.raw()).isEqualTo(503);
        assertThat(failed.text("/type")).endsWith("/plugin_failed");
        assertThat(failed.text("/plugin")).isEqualTo(FIXTURES);
        assertThat(failed.text("/detail")).isEqualTo(FAILED_DETAIL);
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(8));
        assertThat(server.probe().fingerprint()).isEqualTo(before);
        assertThat(failures(studio, "CreditPolicy.decide")).isEqualTo(failuresBefore + 1);
        // The kernel keeps serving: another studio books, and this one does once the plugin behaves.
        String elsewhere = other.member("Noah");
        other.grant(elsewhere, 1);
        other.book(elsewhere, other.scheduler("Yoga", 1), other.now().plus(Duration.ofDays(1))).expect(201);
        PluginServers.enable(studio, FIXTURES, null);
        studio.book(member, scheduler, studio.now().plus(Duration.ofDays(1))).expect(201);
    }

    /**
     * What a failing plugin says (a connection string, a password) is logged under the request's id; the client
     * learns only which plugin failed.
     */
    @ParameterizedTest(name = "CreditPolicy {0}")
    @ValueSource(strings = {"throw", "fail"})
    void whatAFailingPluginSaysStaysInTheLog(String mode) {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, Map.of("fail", Map.of("CreditPolicy", mode)));
        String member = studio.member("Ivy");
        studio.grant(member, 1);
        String scheduler = studio.scheduler("Yoga", 1);

        LogLines.Logged<Response> logged = LogLines.during(() -> studio.api().send("POST", "/v1/bookings",
                studio.owner(), json("memberId", member, "schedulerId", scheduler, "startsAt",
                        studio.now().plus(Duration.ofDays(1)).toString()), Map.of("X-Request-Id", "leak-" + mode)));

        Response failed = logged.result();
        assertThat(failed.status()).as(failed.raw()).isEqualTo(503);
        assertThat(failed.header("Request-Id")).isEqualTo("leak-" + mode);
        assertThat(failed.text("/requestId")).isEqualTo("leak-" + mode);
        assertThat(failed.text("/detail")).isEqualTo(FAILED_DETAIL);
        assertThat(failed.raw()).doesNotContain("hunter2", "db.internal", "jdbc:", "as asked", "CreditPolicy",
                "IllegalStateException");
        assertThat(logged.requestIds()).filteredOn(line -> line.contains("hunter2")).isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith("[leak-" + mode + "] "));
    }

    @ParameterizedTest(name = "{0} answering nonsense")
    @ValueSource(strings = {"VoucherRule", "PaymentProvider", "RefundPolicy"})
    void nonsenseFromAnyExtensionFailsTheRequestWithoutWriting(String point) {
        StudioFixture studio = server.studio(true);
        PluginServers.enable(studio, FIXTURES, null);
        String member = studio.member("Leo");
        String product = studio.pack("2 Pack", 2, "20.00");
        String paid = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "fixture-pay")).expect(201).text("/id");
        studio.api().post("/webhooks/" + FIXTURES + "/paid", null, json("studioId", studio.id(), "purchaseId", paid,
                "amount", "20.00", "currency", "EUR", "reference", "pay_3")).expect(200);
        PluginServers.enable(studio, FIXTURES, Map.of("fail", Map.of(point, "nonsense")));
        Map<String, String> before = server.probe().fingerprint();

        Response failed = switch (point) {
            case "VoucherRule" -> studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                    json("productId", product, "payment", "none", "voucherCode", "FIXTURE10"));
            case "PaymentProvider" -> studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                    json("productId", product, "payment", "fixture-pay"));
            default -> studio.api().post("/v1/purchases/" + paid + "/refund", studio.owner(),
                    json("mode", "money", "reason", "x"));
        };

        assertThat(failed.status()).as(failed.raw()).isEqualTo(503);
        assertThat(failed.text("/type")).endsWith("/plugin_failed");
        assertThat(server.probe().fingerprint()).isEqualTo(before);
    }

    private static double failures(StudioFixture studio, String operation) {
        JsonNode items = studio.api().get("/v1/plugins/" + FIXTURES + "/failures", studio.owner()).body()
                .get("items");
        double sum = 0;
        for (JsonNode item : items) {
            if (item.get("operation").asText().equals(operation)) {
                sum += item.get("count").asDouble();
            }
        }
        return sum;
    }

    /** Polls until the condition holds (up to 15 s), for work the kernel does after a request. */
    static <T> T eventually(Supplier<T> read, java.util.function.Predicate<T> condition) {
        return eventually(read, condition, java.time.Duration.ofSeconds(15));
    }

    /** Polls until the condition holds, up to {@code within}. */
    static <T> T eventually(Supplier<T> read, java.util.function.Predicate<T> condition, java.time.Duration within) {
        Instant deadline = Instant.now().plus(within);
        T value = read.get();
        while (!condition.test(value) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            value = read.get();
        }
        assertThat(condition.test(value)).as("condition held in time; last value %s", value).isTrue();
        return value;
    }

    static List<String> ids(JsonNode items) {
        return items.findValuesAsText("id");
    }

    private static String secretDigest(StudioFixture studio) {
        return studio.api().get("/v1/plugins/" + FIXTURES + "/secret-digest", studio.owner()).expect(200)
                .text("/sha256");
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
