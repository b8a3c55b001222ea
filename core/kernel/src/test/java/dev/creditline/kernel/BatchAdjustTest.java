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
 * Manual adjustments go through the write pipeline: those that come together commit together, across studios, and
 * each gets its own answer as if it ran alone: every add counts, and of several sets made on one balance only the
 * first applies.
 */
class BatchAdjustTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    @Test
    void addsOfOneMemberAtOnceAllCountAndEachAnswerShowsItsOwnBalance() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Mia");

        List<Response> answers = Concurrently.run(10, i -> () -> studio.api().post(
                "/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", "master", "mode", "add", "amount", i + 1, "reason", "make-good " + i), "add-" + i));

        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        // Each answer is the account right after its own add: ten different balances, the last one the sum.
        assertThat(answers.stream().map(r -> r.body().get("balance").asInt()).distinct()).hasSize(10);
        assertThat(answers.stream().mapToInt(r -> r.body().get("balance").asInt()).max().orElseThrow()).isEqualTo(55);
        assertThat(studio.balance(member, "master")).isEqualTo(55);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void setsMadeOnTheSameBalanceAtOnceApplyOnce() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Noah");
        studio.grant(member, 4);

        List<Response> answers = Concurrently.run(6, i -> () -> studio.api().post(
                "/v1/members/" + member + "/credits/adjust", studio.owner(),
                json("account", "master", "mode", "set", "amount", 10 + i, "expectedBalance", 4,
                        "reason", "count " + i)));

        assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(answers).filteredOn(r -> r.status() != 200).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.text("/type")).endsWith("/balance_changed");
        });
        int applied = answers.stream().filter(r -> r.status() == 200).findFirst().orElseThrow()
                .body().get("balance").asInt();
        assertThat(studio.balance(member, "master")).isEqualTo(applied).isBetween(10, 15);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void adjustmentsOfManyStudiosShareCommits() throws Exception {
        List<StudioFixture> studios = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StudioFixture studio = server.studio(false);
            studios.add(studio);
            members.add(studio.member("Athlete " + i));
        }

        List<Response> answers = Concurrently.run(20, i -> () -> studios.get(i).api().post(
                "/v1/members/" + members.get(i) + "/credits/adjust", studios.get(i).owner(),
                json("account", "master", "mode", "add", "amount", 3, "reason", "welcome")));

        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        for (int s = 0; s < 20; s++) {
            assertThat(studios.get(s).balance(members.get(s), "master")).isEqualTo(3);
        }
        List<String> ids = studios.stream().map(StudioFixture::id).toList();
        server.probe().assertBatchedAsTheDatabaseWants("lots", ids);
        assertThat(server.probe().journalMismatches()).isEmpty();
    }

    @Test
    void eachRequestOfABatchGetsItsOwnRefusal() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Ben");
        String erased = studio.member("Gone");
        studio.api().delete("/v1/members/" + erased, studio.owner()).expect(200);
        List<Object> requests = List.of(
                json("account", "master", "mode", "add", "amount", 2, "reason", "ok"),
                json("account", "prd_nothing", "mode", "add", "amount", 2, "reason", "no such product"),
                json("account", "master", "mode", "add", "amount", 2, "reason", "erased"),
                json("account", "master", "mode", "add", "amount", 2, "reason", "unknown"));
        List<String> targets = List.of(member, member, erased, "mem_nobody");

        List<Response> answers = Concurrently.run(4, i -> () -> studio.api().post(
                "/v1/members/" + targets.get(i) + "/credits/adjust", studio.owner(), requests.get(i)));

        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(answers.subList(1, 4)).allSatisfy(r -> assertThat(r.status()).isEqualTo(404));
        assertThat(answers.get(1).body().at("/errors/0/field").asText()).isEqualTo("account");
        assertThat(answers.get(2).body().at("/errors/0/field").asText()).isEqualTo("memberId");
        assertThat(studio.balance(member, "master")).isEqualTo(2);
    }
}
