package dev.creditline.ledger;

import static dev.creditline.ledger.Lots.T0;
import static dev.creditline.ledger.Lots.lot;
import static dev.creditline.ledger.Lots.master;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.creditline.api.EntryType;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A booking's credits held until its class is certain: out of the balance, still in the lot, posted or released. */
class HoldTest {
    private static final Instant NOW = T0.plusSeconds(3_600);
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static Redemption.Redeemed hold(LotBook book, int cost) {
        var report = Eligibility.explain(book.lots(), Lots.scheduler("s", cost), book.now(), ConsumptionOrder.FIFO);
        return (Redemption.Redeemed) Redemption.redeem(book, Lots.scheduler("s", cost), report, UTC, true);
    }

    @Test
    void aHoldLowersTheBalanceButLeavesTheCreditsInTheLot() {
        LotBook book = new LotBook(List.of(master("a", 3, 0)), NOW);

        Redemption.Redeemed held = hold(book, 2);

        assertThat(held.entries()).extracting(EntryDraft::type, EntryDraft::delta, EntryDraft::held,
                EntryDraft::balanceAfter).containsExactly(tuple(EntryType.HELD, 0, 2, 1));
        assertThat(held.entries().get(0).description()).isEqualTo("Held for Class s");
        assertThat(book.lot("a").remaining()).isEqualTo(3);
        assertThat(book.lot("a").held()).isEqualTo(2);
        assertThat(book.balance("master")).isEqualTo(1);
    }

    @Test
    void heldCreditsPayForNothingElse() {
        LotBook book = new LotBook(List.of(master("a", 2, 0)), NOW);
        hold(book, 2);

        var second = Redemption.redeem(book, Lots.scheduler("s", 1), Eligibility.explain(book.lots(),
                Lots.scheduler("s", 1), NOW, ConsumptionOrder.FIFO), UTC, true);

        assertThat(second).isInstanceOf(Redemption.Insufficient.class);
        assertThat(((Redemption.Insufficient) second).report().shortBy()).isEqualTo(1);
    }

    @Test
    void aPostTakesTheHeldCreditsOutWithoutChangingTheBalance() {
        LotBook book = new LotBook(List.of(master("a", 3, 0)), NOW);
        Redemption.Redeemed held = hold(book, 2);

        List<EntryDraft> posted = Redemption.post(book, held.allocations(), "s");

        assertThat(posted).extracting(EntryDraft::type, EntryDraft::delta, EntryDraft::held, EntryDraft::balanceAfter)
                .containsExactly(tuple(EntryType.REDEEMED, -2, -2, 1));
        assertThat(posted.get(0).balanceChange()).isZero();
        assertThat(book.lot("a").remaining()).isEqualTo(1);
        assertThat(book.lot("a").held()).isZero();
    }

    @Test
    void aCancelInTheWindowReleasesToTheSameLotsWithoutARefund() {
        LotBook book = new LotBook(List.of(master("a", 1, 0), master("b", 5, 10)), NOW);
        Redemption.Redeemed held = hold(book, 3);

        var returned = Cancellation.returnCredits(book, held.allocations(), "s", true, Set.of(), "Coach Ann");

        assertThat(returned.refunded()).isEqualTo(3);
        assertThat(returned.entries()).extracting(EntryDraft::type, EntryDraft::lotId, EntryDraft::delta,
                EntryDraft::held).containsExactly(tuple(EntryType.RELEASED, "a", 0, -1),
                tuple(EntryType.RELEASED, "b", 0, -2));
        assertThat(book.lot("a").held()).isZero();
        assertThat(book.lot("b").held()).isZero();
        assertThat(book.balance("master")).isEqualTo(6);
    }

    @Test
    void expiryLeavesHeldCreditsAndReleasedOnesExpireAtOnce() {
        Instant expires = NOW.plusSeconds(60);
        LotBook book = new LotBook(List.of(lot("a", "master", 3, 0, expires)), NOW);
        Redemption.Redeemed held = hold(book, 2);

        LotBook later = new LotBook(book.lots(), expires.plusSeconds(60));
        List<EntryDraft> expired = Removal.expireDue(later);
        assertThat(expired).extracting(EntryDraft::type, EntryDraft::delta).containsExactly(tuple(EntryType.EXPIRED,
                -1));
        assertThat(later.lot("a").remaining()).isEqualTo(2);
        assertThat(Removal.expireDue(later)).isEmpty();

        var returned = Cancellation.returnCredits(later, held.allocations(), "s", true, Set.of(), "Coach Ann");
        assertThat(returned.expiredAgain()).extracting(EntryDraft::type, EntryDraft::delta)
                .containsExactly(tuple(EntryType.EXPIRED, -2));
        assertThat(later.lot("a").remaining()).isZero();
    }

    @Test
    void noChangeMayTakeHeldCredits() {
        LotBook book = new LotBook(List.of(master("a", 3, 0)), NOW);
        hold(book, 2);

        assertThatThrownBy(() -> book.change("a", -2, EntryType.VOIDED, "x")).isInstanceOf(IllegalStateException.class);
        assertThat(Removal.drain(book, book.lots(), EntryType.VOIDED, "x")).extracting(EntryDraft::delta)
                .containsExactly(-1);
        assertThat(book.lot("a").remaining()).isEqualTo(2);
    }
}
