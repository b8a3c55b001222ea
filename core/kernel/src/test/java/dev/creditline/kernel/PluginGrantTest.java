package dev.creditline.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.creditline.api.Lot;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.kernel.testing.StudioFixture;
import dev.creditline.kernel.testing.TestServer;
import dev.creditline.testkit.Concurrently;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A plugin's grant of its own (an automation's, say) goes through the write pipeline: grants that come together commit
 * together, across studios, and a key makes one grant whatever the retries, its refusal included.
 */
class PluginGrantTest {
    @RegisterExtension
    static TestServer server = new TestServer();

    private static Lot grant(LedgerService.Grant grant) throws Exception {
        try {
            return server.component().ledgerService().grant(grant).toCompletionStage().toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static LedgerService.Grant credits(StudioFixture studio, String member, int amount, String key) {
        return new LedgerService.Grant(studio.id(), member, "master", amount, null, "automation:welcome",
                "welcome credits", key);
    }

    @Test
    void aKeyGrantsOnceAndAnswersTheFirstLot() throws Exception {
        StudioFixture studio = server.studio(false);
        String member = studio.member("Mia");

        List<Lot> lots = Concurrently.run(6, i -> () -> grant(credits(studio, member, 3, "welcome-" + member)));

        assertThat(lots.stream().map(Lot::id).distinct()).hasSize(1);
        assertThat(lots.get(0).quantity()).isEqualTo(3);
        assertThat(studio.balance(member, "master")).isEqualTo(3);
        assertThatThrownBy(() -> grant(credits(studio, member, 4, "welcome-" + member)))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.field()).isEqualTo("idempotencyKey"));
    }

    @Test
    void aRefusalIsTheKeysAnswerToo() throws Exception {
        StudioFixture studio = server.studio(false);

        assertThatThrownBy(() -> grant(credits(studio, "mem_nobody", 2, "for-nobody")))
                .isInstanceOfSatisfying(ApiProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(404);
                    assertThat(p.field()).isEqualTo("memberId");
                });
        // Replayed from the key, with the same words.
        assertThatThrownBy(() -> grant(credits(studio, "mem_nobody", 2, "for-nobody")))
                .isInstanceOfSatisfying(ApiProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(404);
                    assertThat(p.type()).isEqualTo("not_found");
                    assertThat(p.field()).isEqualTo("memberId");
                    assertThat(p.getMessage()).contains("mem_nobody");
                });
    }

    @Test
    void grantsOfManyStudiosAtOnceShareCommits() throws Exception {
        List<StudioFixture> studios = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StudioFixture studio = server.studio(false);
            studios.add(studio);
            members.add(studio.member("Athlete " + i));
        }

        Concurrently.run(20, i -> () -> grant(credits(studios.get(i), members.get(i), 5, null)));

        for (int s = 0; s < 20; s++) {
            assertThat(studios.get(s).balance(members.get(s), "master")).isEqualTo(5);
        }
        server.probe().assertBatchedAsTheDatabaseWants("lots", studios.stream().map(StudioFixture::id).toList());
        assertThat(server.probe().journalMismatches()).isEmpty();
    }
}
