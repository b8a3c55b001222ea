package dev.creditline.kernel;

import static dev.creditline.testkit.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.ApiClient.Response;
import dev.creditline.testkit.Concurrently;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Purchases go through the write pipeline: those that come together are carried out one after the other in one
 * transaction, across studios; a refused one writes nothing, and the others keep what they bought.
 */
class BatchPurchaseTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void purchasesOfManyStudiosAtOnceEachGetTheirOwnAnswer() throws Exception {
        List<StudioFixture> studios = new ArrayList<>();
        List<String> members = new ArrayList<>();
        List<String> products = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StudioFixture studio = server.studio(false);
            studios.add(studio);
            members.add(studio.member("Athlete " + i));
            products.add(studio.pack("Ten " + i, 10, "90.00"));
        }

        // In each studio: a sale paid outside, one added free, and one of a product the studio does not have.
        List<Response> answers = Concurrently.run(30, i -> () -> {
            StudioFixture studio = studios.get(i % 10);
            String path = "/v1/members/" + members.get(i % 10) + "/purchases";
            return switch (i / 10) {
                case 0 -> studio.api().post(path, studio.owner(), json("productId", products.get(i % 10),
                        "payment", "outside", "amountPaid", json("amount", "90.00", "currency", "EUR")), "sale-" + i);
                case 1 -> studio.api().post(path, studio.owner(), json("productId", products.get(i % 10),
                        "payment", "none"));
                default -> studio.api().post(path, studio.owner(), json("productId", "prd_nothing",
                        "payment", "none"), "refused-" + i);
            };
        });

        for (int s = 0; s < 10; s++) {
            assertThat(answers.get(s).status()).isEqualTo(201);
            assertThat(answers.get(s).text("/amountPaid/amount")).isEqualTo("90.00");
            assertThat(answers.get(s).text("/memberName")).isEqualTo("Athlete " + s);
            assertThat(answers.get(10 + s).status()).isEqualTo(201);
            assertThat(answers.get(20 + s).status()).isEqualTo(404);
            assertThat(answers.get(20 + s).body().at("/errors/0/field").asText()).isEqualTo("productId");
            assertThat(studios.get(s).balance(members.get(s), products.get(s))).isEqualTo(20);
        }
        String[] ids = studios.stream().map(StudioFixture::id).toArray(String[]::new);
        assertThat(server.probe().number("SELECT count(*) FROM purchases WHERE studio_id = ANY(?)", (Object) ids))
                .isEqualTo(20);
        // A purchase's rows are written in its savepoint (a subtransaction, with an id of its own): the keys are
        // stored for the whole batch at its end, by the batch's own transaction.
        server.probe().assertBatchedAsTheDatabaseWants("idempotency_keys", List.of(ids));
        assertThat(server.probe().journalMismatches()).isEmpty();

        // The refusal was remembered for its key; the sale replays.
        Response replayed = studios.get(0).api().post("/v1/members/" + members.get(0) + "/purchases",
                studios.get(0).owner(), json("productId", products.get(0), "payment", "outside",
                        "amountPaid", json("amount", "90.00", "currency", "EUR")), "sale-0");
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body()).isEqualTo(answers.get(0).body());
    }

    @Test
    void voidsAndRefundsAtOnceEachTakeTheirPurchaseBackOnce() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Mia");
        String pack = studio.pack("Five", 5, "40.00");
        List<String> purchases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            purchases.add(studio.sell(member, pack).text("/id"));
        }

        // Each purchase voided twice and refunded as store credit once, all at once.
        List<Response> answers = Concurrently.run(12, i -> () -> i < 8
                ? studio.api().post("/v1/purchases/" + purchases.get(i % 4) + "/void", studio.owner(),
                        json("reason", "entered twice"))
                : studio.api().post("/v1/purchases/" + purchases.get(i % 4) + "/refund", studio.owner(),
                        json("mode", "credits", "reason", "moving away")));

        for (int p = 0; p < 4; p++) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = p; i < 12; i += 4) {
                statuses.add(answers.get(i).status());
            }
            // The first to come takes the purchase back; the others find it taken back already.
            assertThat(statuses).as("answers for purchase %d", p).containsOnlyOnce(200).containsOnly(200, 409);
        }
        assertThat(studio.balance(member, pack)).isZero();
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void twoMembersMergedIntoEachOtherAtOnceMergeOneWay() throws Exception {
        StudioFixture studio = server.studio(false);
        String ada = studio.member("Ada");
        String ada2 = studio.member("Ada L.");
        studio.grant(ada, 3);
        studio.grant(ada2, 4);

        // Opposite merges lock the same two members: in one order for both, so neither waits on the other.
        List<Response> answers = Concurrently.run(2, i -> () -> studio.api().post("/v1/members/"
                + (i == 0 ? ada : ada2) + "/merge", studio.owner(), json("fromMemberId", i == 0 ? ada2 : ada)));

        assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
        Response merged = answers.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        assertThat(merged.body().at("/merged/transferredCredits").asInt()).isIn(3, 4);
        assertThat(studio.total(merged.text("/id"))).isEqualTo(7);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }
}
