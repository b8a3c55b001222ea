package dev.creditline.ledger;

import static dev.creditline.ledger.Lots.T0;
import static dev.creditline.ledger.Lots.master;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.EntryType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErasureTest {
    private static final Instant NOW = T0.plusSeconds(86_400);

    @Test
    void openCreditsBlockAnErasureThatDoesNotForfeitThem() {
        LotBook book = new LotBook(List.of(master("a", 3, 0), master("b", 2, 10)), NOW);

        assertThat(Erasure.of(book, false, "Owner")).isEqualTo(new Erasure.CreditsOutstanding(5));
        assertThat(book.changed()).isEmpty();
    }

    @Test
    void forfeitingTakesEveryOpenCreditWithOneEntryPerLot() {
        LotBook book = new LotBook(List.of(master("a", 3, 0), master("b", 2, 10)), NOW);

        var forfeited = (Erasure.Forfeited) Erasure.of(book, true, "Owner Olga");

        assertThat(forfeited.credits()).isEqualTo(5);
        assertThat(forfeited.entries()).extracting(EntryDraft::lotId, EntryDraft::delta, EntryDraft::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", -3, EntryType.FORFEITED),
                        org.assertj.core.groups.Tuple.tuple("b", -2, EntryType.FORFEITED));
        assertThat(forfeited.entries().get(1).balanceAfter()).isZero();
        assertThat(book.balance("master")).isZero();
    }

    @Test
    void expiredCreditsAreNotOutstandingAndNotForfeited() {
        LotBook book = new LotBook(List.of(Lots.lot("old", "master", 4, 0, T0.plusSeconds(60))), NOW);

        var outcome = Erasure.of(book, false, "Owner");

        assertThat(outcome).isEqualTo(new Erasure.Forfeited(List.of(), 0));
    }
}
