package dev.creditline.ledger;

import static dev.creditline.ledger.Lots.EUR;
import static dev.creditline.ledger.Lots.T0;
import static dev.creditline.ledger.Lots.master;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import dev.creditline.api.LotCategory;
import dev.creditline.api.Money;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferTest {
    private static final Instant NOW = T0.plusSeconds(86_400);

    @Test
    void aMergeMovesEveryLotWithItsExpiryAndLeavesTheDuplicateEmpty() {
        Instant expiry = NOW.plusSeconds(7 * 86_400);
        LotBook duplicate = new LotBook(List.of(Lots.lot("a", "master", 3, 0, expiry), master("b", 2, 10)), NOW);
        LotBook member = new LotBook(List.of(master("c", 4, 20)), NOW);

        var merged = (Transfer.Merged) Transfer.merge(duplicate, member, "mem_dup", "mem_1");

        assertThat(merged.credits()).isEqualTo(5);
        assertThat(merged.legs()).extracting(leg -> leg.entry().lotId(), leg -> leg.entry().delta(), Transfer.Leg::incoming)
                .containsExactly(tuple("a", -3, false), tuple("a", 3, true), tuple("b", -2, false),
                        tuple("b", 2, true));
        assertThat(merged.legs()).allSatisfy(leg -> assertThat(leg.entry().type()).isEqualTo(EntryType.TRANSFERRED));
        assertThat(merged.legs().get(3).entry().balanceAfter()).isEqualTo(9);
        assertThat(duplicate.balance("master")).isZero();
        assertThat(member.balance("master")).isEqualTo(9);
        assertThat(member.lot("a").expiresAt()).isEqualTo(expiry);
        assertThat(member.lot("a").memberId()).isEqualTo("mem_1");
    }

    @Test
    void aMergeThatWouldPassTheAccountLimitIsRefused() {
        LotBook duplicate = new LotBook(List.of(master("a", 10, 0)), NOW);
        LotBook member = new LotBook(List.of(master("c", AccountLimit.MAX_BALANCE - 5, 20)), NOW);

        assertThat(Transfer.merge(duplicate, member, "mem_dup", "mem_1"))
                .isEqualTo(new Transfer.NoRoom("master", AccountLimit.MAX_BALANCE + 5L));
    }

    @Test
    void aReissueKeepsAcquisitionAndTheCostBasisOfTheCreditsLeft() {
        Lot paid = new Lot("a", "mem_1", "master", null, null, "pur_1", 10, 4, false, T0, T0, null, null,
                dev.creditline.api.ValidityStart.PURCHASE, new Money(10_000, EUR), LotCategory.PAID, null, "trn_1",
                false, 0);
        LotBook book = new LotBook(List.of(paid), NOW);
        Instant later = NOW.plusSeconds(30 * 86_400);

        var reissued = (Transfer.Reissued) Transfer.reissue(book, "a", "new", "trn_2", later, "Trainer left");

        assertThat(reissued.lot()).satisfies(lot -> {
            assertThat(lot.remaining()).isEqualTo(4);
            assertThat(lot.cost()).isEqualTo(new Money(4_000, EUR));
            assertThat(lot.acquiredAt()).isEqualTo(T0);
            assertThat(lot.trainerId()).isEqualTo("trn_2");
            assertThat(lot.expiresAt()).isEqualTo(later);
            assertThat(lot.purchaseId()).isEqualTo("pur_1");
        });
        assertThat(reissued.entries()).extracting(EntryDraft::lotId, EntryDraft::delta)
                .containsExactly(tuple("a", -4), tuple("new", 4));
        assertThat(book.balance("master")).isEqualTo(4);
    }

    @Test
    void anEmptyLotIsNotReissued() {
        LotBook book = new LotBook(List.of(master("a", 0, 0)), NOW);

        assertThat(Transfer.reissue(book, "a", "new", null, null, "x")).isEqualTo(new Transfer.LotEmpty());
    }

    @Test
    void theCostBasisOfPartOfAPriceRoundsDownToTheCent() {
        assertThat(CostBasis.prorated(new Money(1_000, EUR), 1, 3)).isEqualTo(new Money(333, EUR));
        assertThat(CostBasis.prorated(new Money(1_000, EUR), 3, 3)).isEqualTo(new Money(1_000, EUR));
        assertThat(CostBasis.prorated(new Money(1_000, EUR), 1, 0)).isEqualTo(Money.zero(EUR));
    }
}
