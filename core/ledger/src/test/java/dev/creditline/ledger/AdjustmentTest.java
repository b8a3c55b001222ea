package dev.creditline.ledger;

import static dev.creditline.ledger.Lots.T0;
import static dev.creditline.ledger.Lots.master;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.EntryType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdjustmentTest {
    private static final Instant NOW = T0.plusSeconds(86_400);

    @Test
    void setToAHigherTotalIssuesALotForTheDifference() {
        LotBook book = new LotBook(List.of(master("a", 3, 0)), NOW);

        var applied = (Adjustment.Applied) Adjustment.set(book, "master", 8, 3,
                quantity -> Lots.master("new", quantity, 60 * 24), ConsumptionOrder.FIFO, "Coach Anna");

        assertThat(applied.entries()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EntryType.SET);
            assertThat(e.delta()).isEqualTo(5);
            assertThat(e.balanceAfter()).isEqualTo(8);
            assertThat(e.description()).isEqualTo("Set by Coach Anna");
        });
        assertThat(book.created()).extracting(l -> l.id()).containsExactly("new");
    }

    @Test
    void setToALowerTotalTakesCreditsOldestFirst() {
        LotBook book = new LotBook(List.of(master("b", 2, 10), master("a", 2, 0)), NOW);

        var applied = (Adjustment.Applied) Adjustment.set(book, "master", 1, 4, q -> null, ConsumptionOrder.FIFO,
                "Owner");

        assertThat(applied.entries()).extracting(EntryDraft::lotId, EntryDraft::delta).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", -2), org.assertj.core.groups.Tuple.tuple("b", -1));
        assertThat(book.balance("master")).isEqualTo(1);
    }

    @Test
    void setRefusesWhenTheBalanceIsNotTheOneTheCoachSaw() {
        LotBook book = new LotBook(List.of(master("a", 3, 0)), NOW);

        var outcome = Adjustment.set(book, "master", 0, 5, q -> null, ConsumptionOrder.FIFO, "Owner");

        assertThat(outcome).isEqualTo(new Adjustment.BalanceChanged(3));
        assertThat(book.changed()).isEmpty();
    }

    @Test
    void setToTheCurrentTotalChangesNothingWhateverWasExpected() {
        LotBook book = new LotBook(List.of(master("a", 3, 0)), NOW);

        var outcome = Adjustment.set(book, "master", 3, 99, q -> null, ConsumptionOrder.FIFO, "Owner");

        assertThat(outcome).isEqualTo(new Adjustment.Applied(List.of()));
    }

    @Test
    void expiredLotsDoNotCountAndAreNotTouchedBySet() {
        LotBook book = new LotBook(List.of(Lots.lot("gone", "master", 5, 0, NOW), master("live", 2, 1)), NOW);

        var applied = (Adjustment.Applied) Adjustment.set(book, "master", 0, 2, q -> null, ConsumptionOrder.FIFO,
                "Owner");

        assertThat(applied.entries()).extracting(EntryDraft::lotId).containsExactly("live");
        assertThat(book.lot("gone").remaining()).isEqualTo(5);
    }
}
