package dev.creditline.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.Lot;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants of the ledger's operations over arbitrary lots and costs. */
class LedgerPropertiesTest {
    private static final Instant NOW = Lots.T0.plusSeconds(86_400);

    @Property(tries = 300)
    void aRedemptionTakesTheWholeCostOrNothingAndNeverOverdraws(
            @ForAll @Size(min = 0, max = 8) List<@IntRange(min = 1, max = 6) Integer> lotSizes,
            @ForAll @IntRange(min = 1, max = 12) int cost) {
        List<Lot> lots = new ArrayList<>();
        for (int i = 0; i < lotSizes.size(); i++) {
            lots.add(Lots.master("l" + i, lotSizes.get(i), lotSizes.size() - i));
        }
        LotBook book = new LotBook(lots, NOW);
        int before = book.balance("master");

        var outcome = Redemption.redeem(book, Lots.scheduler("s", cost), ConsumptionOrder.FIFO, ZoneId.of("UTC"));

        if (before >= cost) {
            var redeemed = (Redemption.Redeemed) outcome;
            assertThat(redeemed.allocations().stream().mapToInt(Allocation::credits).sum()).isEqualTo(cost);
            assertThat(book.balance("master")).isEqualTo(before - cost);
            // Lots are spent oldest first: every lot older than the last one touched is empty.
            String lastTouched = redeemed.allocations().get(redeemed.allocations().size() - 1).lotId();
            Lot last = book.lot(lastTouched);
            assertThat(book.lots()).filteredOn(l -> l.acquiredAt().isBefore(last.acquiredAt()))
                    .allSatisfy(l -> assertThat(l.remaining()).isZero());
            Redemption.refund(book, redeemed.allocations(), "s");
            assertThat(book.lots()).as("a refund restores every lot").containsExactlyInAnyOrderElementsOf(lots);
        } else {
            assertThat(outcome).isInstanceOf(Redemption.Insufficient.class);
            assertThat(book.changed()).isEmpty();
        }
        assertThat(book.lots()).allSatisfy(l -> assertThat(l.remaining()).isNotNegative());
    }

    @Property(tries = 300)
    void remainingAlwaysEqualsQuantityPlusTheEntriesDeltas(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 5) Integer> lotSizes,
            @ForAll @Size(max = 15) List<@IntRange(min = -5, max = 4) Integer> operations) {
        List<Lot> lots = new ArrayList<>();
        for (int i = 0; i < lotSizes.size(); i++) {
            lots.add(Lots.master("l" + i, lotSizes.get(i), i));
        }
        LotBook book = new LotBook(lots, NOW);
        List<EntryDraft> journal = new ArrayList<>();
        for (int op : operations) {
            if (op > 0) {
                var outcome = Redemption.redeem(book, Lots.scheduler("s", op), ConsumptionOrder.FIFO,
                        ZoneId.of("UTC"));
                if (outcome instanceof Redemption.Redeemed redeemed) {
                    journal.addAll(redeemed.entries());
                }
            } else {
                int target = Math.max(0, book.balance("master") + op);
                int seq = journal.size();
                var outcome = Adjustment.set(book, "master", target, book.balance("master"),
                        q -> Lots.master("set" + seq, q, 100 + seq), ConsumptionOrder.FIFO, "t");
                journal.addAll(((Adjustment.Applied) outcome).entries());
            }
        }
        Map<String, Integer> deltas = new HashMap<>();
        for (EntryDraft entry : journal) {
            deltas.merge(entry.lotId(), entry.delta(), Integer::sum);
        }
        for (Lot lot : book.lots()) {
            boolean issuedByEntry = book.created().contains(lot);
            int base = issuedByEntry ? 0 : lot.quantity();
            assertThat(lot.remaining()).isEqualTo(base + deltas.getOrDefault(lot.id(), 0));
        }
        int sum = book.lots().stream().mapToInt(Lot::remaining).sum();
        assertThat(book.balance("master")).isEqualTo(sum);
    }
}
