package dev.creditline.ledger;

import static dev.creditline.ledger.Lots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpiryTest {

    @Test
    void aLateSweepDatesEachExpiryAtItsLotAndCountsTheBalanceAsItWasThen() {
        Instant january = Instant.parse("2027-01-01T00:00:00Z");
        Instant march = Instant.parse("2027-03-01T00:00:00Z");
        Lot first = Lots.lot("jan", "master", 2, 0, january);
        Lot second = Lots.lot("mar", "master", 3, 1, march);
        Lot live = Lots.lot("live", "master", 1, 2, null);
        LotBook book = new LotBook(List.of(second, first, live), Instant.parse("2027-06-01T00:00:00Z"));

        List<EntryDraft> entries = Removal.expireDue(book);

        assertThat(entries).extracting(EntryDraft::lotId, EntryDraft::delta, EntryDraft::balanceAfter)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("jan", -2, 4),
                        org.assertj.core.groups.Tuple.tuple("mar", -3, 1));
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EntryType.EXPIRED);
            assertThat(e.description()).isEqualTo("Expired (unused)");
        });
        assertThat(Removal.expireDue(book)).as("a second sweep finds nothing").isEmpty();
        assertThat(book.now()).isEqualTo(Instant.parse("2027-06-01T00:00:00Z"));
    }

    @Test
    void lotsNotYetDueAreLeftAlone() {
        Lot lot = Lots.lot("later", "master", 2, 0, T0.plusSeconds(3600));
        LotBook book = new LotBook(List.of(lot), T0.plusSeconds(3599));

        assertThat(Removal.expireDue(book)).isEmpty();
        assertThat(book.changed()).isEmpty();
    }
}
