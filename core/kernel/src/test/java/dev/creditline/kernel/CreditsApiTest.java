package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Purchases, adjustments, the credit view and the credit log through the API. */
class CreditsApiTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void aPurchasePaidOutsideIssuesLiveCreditsWithTheProductsValidityAndCostBasis() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Mia");
        String product = studio.pack("10-Credit Package", 10, "135.00");
        Instant now = studio.now();

        Response purchase = studio.sell(member, product);

        assertThat(purchase.text("/status")).isEqualTo("completed");
        assertThat(purchase.text("/payment")).isEqualTo("outside");
        assertThat(purchase.text("/price/amount")).isEqualTo("135.00");
        assertThat(purchase.text("/amountPaid/amount")).isEqualTo("135.00");
        JsonNode lot = purchase.body().at("/lots/0");
        assertThat(lot.get("remaining").intValue()).isEqualTo(10);
        assertThat(lot.get("category").asText()).isEqualTo("paid");
        // Six months in the studio's zone (Berlin), at the same wall-clock time.
        Instant expected = ZonedDateTime.ofInstant(now, ZoneId.of("Europe/Berlin")).plusMonths(6).toInstant();
        assertThat(Instant.parse(lot.get("expiresAt").asText())).isEqualTo(expected);
        assertThat(server.probe().number("SELECT cost_minor FROM lots WHERE id = ?", lot.get("id").asText()))
                .isEqualTo(13500);

        JsonNode credits = studio.credits(member);
        assertThat(credits.get("total").intValue()).isEqualTo(10);
        assertThat(credits.at("/accounts/0/account").asText()).isEqualTo("master");
        assertThat(credits.at("/accounts/0/name").asText()).isEqualTo("Master Credits");
        assertThat(credits.at("/accounts/1/account").asText()).isEqualTo(product);
        assertThat(credits.at("/accounts/1/name").asText()).isEqualTo("10-Credit Package");
        assertThat(credits.at("/accounts/1/balance").intValue()).isEqualTo(10);
        assertThat(credits.at("/accounts/1/expirations/0/issued").intValue()).isEqualTo(10);
        assertThat(credits.at("/accounts/1/expirations/0/expired").intValue()).isZero();

        JsonNode entry = studio.log(member).get(0);
        assertThat(entry.get("type").asText()).isEqualTo("purchased");
        assertThat(entry.get("delta").asText()).isEqualTo("+10");
        assertThat(entry.get("description").asText()).isEqualTo("Purchased 10-Credit Package");
        assertThat(entry.get("balanceAfter").intValue()).isEqualTo(10);
        assertThat(entry.get("actor").asText()).isEqualTo("Owner");
    }

    @Test
    void addAndSetAreLoggedWithTheActorAndSetNeedsTheBalanceTheCoachSaw() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Noah");
        String coach = studio.api().post("/v1/api-keys", studio.owner(),
                json("role", "coach", "name", "Coach Anna")).expect(201).text("/key");

        Response added = studio.api().post("/v1/members/" + member + "/credits/adjust", coach,
                json("account", "master", "mode", "add", "amount", 5, "reason", "referral")).expect(200);
        assertThat(added.number("/balance")).isEqualTo(5);
        assertThat(added.text("/account")).isEqualTo("master");

        Response stale = studio.api().post("/v1/members/" + member + "/credits/adjust", coach,
                json("account", "master", "mode", "set", "amount", 2, "expectedBalance", 4, "reason", "fix"));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.text("/type")).endsWith("/balance_changed");
        assertThat(stale.number("/balance")).isEqualTo(5);
        assertThat(studio.balance(member, "master")).isEqualTo(5);

        studio.api().post("/v1/members/" + member + "/credits/adjust", coach,
                json("account", "master", "mode", "set", "amount", 2, "expectedBalance", 5, "reason", "fix"))
                .expect(200);
        studio.api().post("/v1/members/" + member + "/credits/adjust", coach,
                json("account", "master", "mode", "set", "amount", 7, "expectedBalance", 2, "reason", "make-good"))
                .expect(200);

        assertThat(studio.balance(member, "master")).isEqualTo(7);
        List<JsonNode> log = studio.log(member);
        assertThat(log).extracting(e -> e.get("type").asText(), e -> e.get("delta").asText(),
                        e -> e.get("description").asText(), e -> e.get("balanceAfter").intValue())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("set", "+5", "Set by Coach Anna", 7),
                        org.assertj.core.groups.Tuple.tuple("set", "-3", "Set by Coach Anna", 2),
                        org.assertj.core.groups.Tuple.tuple("granted", "+5", "Added by Coach Anna", 5));
        assertThat(log.get(1).get("reason").asText()).isEqualTo("fix");
    }

    @Test
    void aProductAccountCanBeSetToZeroAndStaysInTheAnswer() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Kai");
        String product = studio.product(json("name", "Open 10", "kind", "package", "credits", 10,
                "price", json("amount", "90.00")));
        studio.purchase(member, product);

        Response emptied = studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", product, "mode", "set", "amount", 0, "expectedBalance", 10, "reason", "refunded"))
                .expect(200);

        assertThat(emptied.text("/account")).isEqualTo(product);
        assertThat(emptied.number("/balance")).isZero();
        String never = studio.pack("Never bought", 5, "10.00");
        assertThat(studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", never, "mode", "set", "amount", 0, "expectedBalance", 0, "reason", "none"))
                .expect(200).number("/balance")).isZero();
    }

    @Test
    void balanceAfterCountsTheWholeAccountForPurchasesAndVoids() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Liv");
        String product = studio.pack("10 Pack", 10, "100.00");
        String first = studio.purchase(member, product).text("/id");
        studio.purchase(member, product);

        studio.api().post("/v1/purchases/" + first + "/void", studio.owner(), json("reason", "duplicate"))
                .expect(200);

        assertThat(studio.log(member)).extracting(e -> e.get("type").asText(), e -> e.get("balanceAfter").intValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("voided", 10),
                        org.assertj.core.groups.Tuple.tuple("purchased", 20),
                        org.assertj.core.groups.Tuple.tuple("purchased", 10));
    }

    @Test
    void anAccountHoldsAtMostAMillionCredits() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Max");
        for (int i = 0; i < 10; i++) {
            studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(), json("account", "master",
                    "mode", "add", "amount", 100_000, "reason", "bulk")).expect(200);
        }

        Response refused = studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", "master", "mode", "add", "amount", 1, "reason", "one more"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("/type")).endsWith("/balance_limit");
        assertThat(studio.balance(member, "master")).isEqualTo(1_000_000);
    }

    @Test
    void settingTheCurrentTotalIsANoOpEvenWithAStaleExpectedBalance() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ava");
        studio.grant(member, 3);

        studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", "master", "mode", "set", "amount", 3, "expectedBalance", 0, "reason", "check"))
                .expect(200);

        assertThat(studio.log(member)).hasSize(1);
    }

    @Test
    void creditsAddedToAProductAccountKeepTheProductsRestrictions() {
        StudioFixture studio = server.studio(true);
        String yoga = studio.scheduler("Yoga", 1);
        String spin = studio.scheduler("Spin", 1);
        String product = studio.product(json("name", "Yoga 5", "kind", "package", "credits", 5,
                "price", json("amount", "50.00"), "redeemableSchedulerIds", List.of(yoga)));
        String member = studio.member("Lea");

        studio.api().post("/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", product, "mode", "add", "amount", 2, "reason", "make-good")).expect(200);

        assertThat(studio.balance(member, product)).isEqualTo(2);
        Response eligibility = studio.api().get("/v1/members/" + member + "/eligibility?schedulerId=" + spin,
                studio.owner()).expect(200);
        assertThat(eligibility.body().at("/lots/0/reasons/0").asText()).isEqualTo("scheduler_not_redeemable");
        assertThat(studio.book(member, yoga, studio.now().plus(Duration.ofDays(1))).status()).isEqualTo(201);
    }

    @Test
    void theCreditLogIsNewestFirstAndPagesWithACursor() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ben");
        for (int i = 1; i <= 5; i++) {
            studio.grant(member, i);
        }

        Response first = studio.api().get("/v1/members/" + member + "/credit-logs?limit=2", studio.owner())
                .expect(200);
        Response second = studio.api().get("/v1/members/" + member + "/credit-logs?limit=2&cursor="
                + first.text("/next"), studio.owner()).expect(200);
        Response third = studio.api().get("/v1/members/" + member + "/credit-logs?limit=2&cursor="
                + second.text("/next"), studio.owner()).expect(200);

        assertThat(List.of(first, second, third)).flatExtracting(r -> {
            List<String> deltas = new java.util.ArrayList<>();
            r.body().get("items").forEach(item -> deltas.add(item.get("delta").asText()));
            return deltas;
        }).containsExactly("+5", "+4", "+3", "+2", "+1");
        assertThat(third.text("/next")).isNull();
        assertThat(studio.api().get("/v1/members/" + member + "/credit-logs?account=master&from="
                + studio.now().plusSeconds(1), studio.owner()).expect(200).body().get("items")).isEmpty();
    }

    @Test
    void voidingAPurchaseTakesBackItsUnusedCreditsOnly() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Finn");
        String scheduler = studio.scheduler("Boxing", 1);
        String product = studio.pack("5 Pack", 5, "0.00");
        String purchase = studio.purchase(member, product).text("/id");
        String booking = studio.book(member, scheduler, studio.now().plus(Duration.ofDays(3))).expect(201)
                .text("/id");

        Response voided = studio.api().post("/v1/purchases/" + purchase + "/void", studio.owner(),
                json("reason", "added by mistake")).expect(200);

        assertThat(voided.text("/status")).isEqualTo("voided");
        assertThat(voided.number("/voided")).isEqualTo(4);
        assertThat(studio.balance(member, product)).isZero();
        assertThat(studio.log(member).get(0).get("type").asText()).isEqualTo("voided");
        assertThat(studio.api().post("/v1/purchases/" + purchase + "/void", studio.owner(),
                json("reason", "again")).status()).isEqualTo(409);

        // Cancelling the booking does not bring the voided credit back.
        Response cancelled = studio.cancel(booking).expect(200);
        assertThat(cancelled.number("/refunded")).isZero();
        assertThat(studio.balance(member, product)).isZero();
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void aDeactivatedProductCannotBePurchasedButItsLotsStayValid() {
        StudioFixture studio = server.studio(true);
        String member = studio.member("Ida");
        String product = studio.pack("Trial", 2, "10.00");
        studio.purchase(member, product);

        studio.api().post("/v1/products/" + product + "/deactivate", studio.owner(), null).expect(200);

        Response refused = studio.api().post("/v1/members/" + member + "/purchases", studio.owner(),
                json("productId", product, "payment", "none"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("/type")).endsWith("/product_inactive");
        assertThat(studio.balance(member, product)).isEqualTo(2);
        // A new version of its terms leaves it deactivated.
        Response patched = studio.api().patch("/v1/products/" + product, studio.owner(), json("name", "Old Trial"))
                .expect(200);
        assertThat(patched.body().get("active").booleanValue()).isFalse();
        assertThat(studio.api().get("/v1/products/" + product, studio.owner()).body().get("active").booleanValue())
                .isFalse();
    }

    @Test
    void aProductPatchMakesANewVersionAndSoldLotsKeepTheirTerms() {
        StudioFixture studio = server.studio(true);
        String yoga = studio.scheduler("Yoga", 1);
        String member = studio.member("Emil");
        String product = studio.pack("Flex 3", 3, "30.00");
        studio.purchase(member, product);

        Response patched = studio.api().patch("/v1/products/" + product, studio.owner(),
                json("credits", 4, "redeemableSchedulerIds", List.of("sch_doesnotexist")));
        assertThat(patched.status()).isEqualTo(404);
        patched = studio.api().patch("/v1/products/" + product, studio.owner(),
                json("name", "Flex 4", "credits", 4, "price", json("amount", "36.00"),
                        "redeemableSchedulerIds", List.of(yoga))).expect(200);

        assertThat(patched.number("/version")).isEqualTo(2);
        assertThat(studio.api().get("/v1/products/" + product, studio.owner()).number("/credits")).isEqualTo(4);
        String lot = studio.credits(member).at("/accounts/1/lots/0/id").asText();
        assertThat(server.probe().text("SELECT product_version || ':' || coalesce(array_to_string("
                + "redeemable_scheduler_ids, ','), 'all') FROM lots WHERE id = ?", lot)).isEqualTo("1:all");
        String second = studio.purchase(member, product).body().at("/lots/0/id").asText();
        assertThat(server.probe().text("SELECT product_version || ':' || quantity FROM lots WHERE id = ?", second))
                .isEqualTo("2:4");
        assertThat(studio.credits(member).at("/accounts/1/name").asText()).isEqualTo("Flex 4");
    }

    @Test
    void aPatchThatChangesNothingMakesNoNewVersion() {
        StudioFixture studio = server.studio(true);
        String product = studio.pack("Flex 3", 3, "30.00");

        assertThat(studio.api().patch("/v1/products/" + product, studio.owner(), json()).expect(200)
                .number("/version")).isEqualTo(1);
        assertThat(studio.api().patch("/v1/products/" + product, studio.owner(), json("name", "Flex 3", "credits", 3))
                .expect(200).number("/version")).isEqualTo(1);
        assertThat(server.probe().number("SELECT count(*) FROM product_versions WHERE product_id = ?", product))
                .isEqualTo(1);
        assertThat(studio.api().patch("/v1/products/" + product, studio.owner(), json("credits", 4)).expect(200)
                .number("/version")).isEqualTo(2);
    }

    @Test
    void aSchedulerOfAnotherStudioIsNamedByTheFieldThatNamesIt() {
        StudioFixture studio = server.studio(true);
        String yoga = studio.scheduler("Yoga", 1);
        String foreign = server.studio(true).scheduler("Elsewhere", 1);

        Response refused = studio.api().post("/v1/products", studio.owner(), json("name", "Yoga 10", "kind", "package",
                "credits", 10, "price", json("amount", "100.00"), "redeemableSchedulerIds", List.of(yoga),
                "usageLimits", List.of(json("schedulerId", foreign, "max", 2, "per", "P1W"))));

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.body().at("/errors/0/field").asText()).isEqualTo("usageLimits[0].schedulerId");
        assertThat(refused.body().at("/errors/0/message").asText()).contains(foreign);
    }
}
