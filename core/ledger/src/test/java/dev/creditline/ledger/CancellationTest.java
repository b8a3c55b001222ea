package dev.creditline.ledger;

import static dev.creditline.ledger.Lots.T0;
import static dev.creditline.ledger.Lots.lot;
import static dev.creditline.ledger.Lots.master;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.creditline.api.EntryType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CancellationTest {
    private static final Instant NOW = T0.plusSeconds(86_400);

    @Test
    void inTimeTheCreditsGoBackToTheLotsTheyCameFrom() {
        LotBook book = new LotBook(List.of(master("older", 0, 10), master("newer", 4, 30)), NOW);

        var returned = Cancellation.returnCredits(book,
                List.of(new Allocation("older", "master", 2), new Allocation("newer", "master", 1)), "Yoga", false, Set.of(),
                "Coach Ann");

        assertThat(returned.refunded()).isEqualTo(3);
        assertThat(returned.entries()).extracting(EntryDraft::type, EntryDraft::lotId, EntryDraft::delta,
                EntryDraft::balanceAfter).containsExactly(tuple(EntryType.REFUNDED, "older", 2, 6),
                tuple(EntryType.REFUNDED, "newer", 1, 7));
        assertThat(returned.entries()).allSatisfy(e -> assertThat(e.description()).isEqualTo("Refunded for cancelled Yoga"));
        assertThat(returned.expiredAgain()).isEmpty();
        assertThat(book.lot("older").remaining()).isEqualTo(2);
        assertThat(book.lot("newer").remaining()).isEqualTo(5);
    }

    @Test
    void creditsReturnedToALotThatExpiredSinceTheBookingExpireAgainAtOnce() {
        Instant expired = NOW.minusSeconds(60);
        LotBook book = new LotBook(List.of(lot("gone", "master", 1, 10, expired), master("live", 0, 30)), NOW);

        var returned = Cancellation.returnCredits(book,
                List.of(new Allocation("gone", "master", 2), new Allocation("live", "master", 1)), "Yoga", false, Set.of(),
                "Coach Ann");

        // Only the two returned: the credit the lot held unused is the expiry sweep's, dated at the lot's expiry.
        assertThat(returned.expiredAgain()).extracting(EntryDraft::type, EntryDraft::lotId, EntryDraft::delta)
                .containsExactly(tuple(EntryType.EXPIRED, "gone", -2));
        assertThat(returned.refunded()).isEqualTo(1);
        assertThat(book.lot("gone").remaining()).isEqualTo(1);
        assertThat(book.lot("live").remaining()).isEqualTo(1);
    }

    @Test
    void creditsOfAPurchaseVoidedSinceTheBookingGoBackAndOutAgain() {
        LotBook book = new LotBook(List.of(lot("voided", "master", 0, 10, NOW.minusSeconds(60))), NOW);

        var returned = Cancellation.returnCredits(book, List.of(new Allocation("voided", "master", 2)), "Yoga", false,
                Set.of("voided"), "Coach Ann");

        assertThat(returned.entries()).extracting(EntryDraft::type, EntryDraft::delta)
                .containsExactly(tuple(EntryType.REFUNDED, 2), tuple(EntryType.VOIDED, -2));
        assertThat(returned.entries().get(1).description()).contains("Coach Ann");
        // Voided, not expired again, even though the lot's expiry has passed: its credits left once.
        assertThat(returned.expiredAgain()).isEmpty();
        assertThat(returned.refunded()).isZero();
        assertThat(book.lot("voided").remaining()).isZero();
    }

    @Test
    void onlyACancellationInTimeOfAPaidBookingOfAMemberNotErasedGivesCreditsBack() {
        Instant cancelBy = NOW;

        assertThat(Cancellation.returnsCredits(NOW, cancelBy, 1, false)).isTrue();
        assertThat(Cancellation.isLate(NOW, cancelBy)).as("at the cancel-by time itself").isFalse();
        assertThat(Cancellation.returnsCredits(NOW.plusMillis(1), cancelBy, 1, false)).isFalse();
        assertThat(Cancellation.isLate(NOW.plusMillis(1), cancelBy)).isTrue();
        assertThat(Cancellation.returnsCredits(NOW, cancelBy, 0, false)).as("paid directly").isFalse();
        assertThat(Cancellation.returnsCredits(NOW, cancelBy, 1, true)).as("erased member").isFalse();
    }
}
