package dev.creditline.ledger;

import static dev.creditline.ledger.Lots.T0;
import static dev.creditline.ledger.Lots.master;
import static org.assertj.core.api.Assertions.assertThat;

import dev.creditline.api.EntryType;
import dev.creditline.api.IneligibilityReason;
import dev.creditline.api.Lot;
import dev.creditline.api.PaymentMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedemptionTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = T0.plusSeconds(86_400);

    @Test
    void spendsTheOldestLotFirstAndSpansLotsForALargerCost() {
        LotBook book = new LotBook(List.of(master("newer", 2, 30), master("older", 2, 10), master("newest", 5, 50)),
                NOW);

        var outcome = Redemption.redeem(book, Lots.scheduler("s", 3), ConsumptionOrder.FIFO, BERLIN);

        var redeemed = (Redemption.Redeemed) outcome;
        assertThat(redeemed.allocations()).containsExactly(
                new Allocation("older", "master", 2), new Allocation("newer", "master", 1));
        assertThat(redeemed.entries()).extracting(EntryDraft::lotId, EntryDraft::delta, EntryDraft::balanceAfter)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("older", -2, 7),
                        org.assertj.core.groups.Tuple.tuple("newer", -1, 6));
        assertThat(redeemed.entries()).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EntryType.REDEEMED);
            assertThat(e.description()).isEqualTo("Redeemed for Class s");
        });
        assertThat(book.lot("older").remaining()).isZero();
        assertThat(book.lot("newer").remaining()).isEqualTo(1);
        assertThat(book.lot("newest").remaining()).isEqualTo(5);
    }

    @Test
    void earliestExpiryFirstPrefersTheLotThatExpiresSoonest() {
        Lot old = Lots.lot("old", "master", 1, 0, null);
        Lot soon = Lots.lot("soon", "master", 1, 20, NOW.plusSeconds(3600));
        LotBook book = new LotBook(List.of(old, soon), NOW);

        var redeemed = (Redemption.Redeemed) Redemption.redeem(book, Lots.scheduler("s", 1),
                ConsumptionOrder.EARLIEST_EXPIRY, BERLIN);

        assertThat(redeemed.allocations()).extracting(Allocation::lotId).containsExactly("soon");
    }

    @Test
    void notEnoughEligibleCreditsChangesNothingAndExplainsEveryLot() {
        Lot expired = Lots.lot("expired", "master", 4, 0, NOW);
        Lot paused = Lots.paused(master("paused", 4, 1));
        Lot otherScheduler = Lots.restricted(Lots.lot("other", "prd_1", 4, 2, null), List.of("s2"), null);
        Lot future = Lots.startingAt(master("future", 4, 4), NOW.plusSeconds(60));
        Lot usable = master("usable", 1, 5);
        LotBook book = new LotBook(List.of(expired, paused, otherScheduler, future, usable), NOW);

        var outcome = Redemption.redeem(book, Lots.scheduler("s1", 2, PaymentMode.BOTH, "trn_1"),
                ConsumptionOrder.FIFO, BERLIN);

        var report = ((Redemption.Insufficient) outcome).report();
        assertThat(report.canBook()).isFalse();
        assertThat(report.shortBy()).isEqualTo(1);
        assertThat(report.lots()).extracting(e -> e.lot().id(), LotEligibility::reasons).containsExactly(
                org.assertj.core.groups.Tuple.tuple("usable", List.of()),
                org.assertj.core.groups.Tuple.tuple("expired", List.of(IneligibilityReason.EXPIRED)),
                org.assertj.core.groups.Tuple.tuple("paused", List.of(IneligibilityReason.PAUSED)),
                org.assertj.core.groups.Tuple.tuple("other", List.of(IneligibilityReason.SCHEDULER_NOT_REDEEMABLE)),
                org.assertj.core.groups.Tuple.tuple("future", List.of(IneligibilityReason.NOT_STARTED)));
        assertThat(book.changed()).isEmpty();
    }

    @Test
    void policiesVetoLotsAndChooseTheSpendingOrder() {
        Lot bound = Lots.restricted(master("bound", 4, 0), null, "trn_other");
        LotBook book = new LotBook(List.of(bound, master("a", 1, 1), master("b", 1, 2)), NOW);
        EligibilityReport report = Eligibility.explain(book.lots(), Lots.scheduler("s", 2), NOW, ConsumptionOrder.FIFO)
                .withPolicies(java.util.Map.of("bound", List.of("wrong_trainer")), List.of("b", "a"));

        var redeemed = (Redemption.Redeemed) Redemption.redeem(book, Lots.scheduler("s", 2), report, BERLIN, false);

        assertThat(report.lots()).extracting(e -> e.lot().id(), LotEligibility::codes).containsExactly(
                org.assertj.core.groups.Tuple.tuple("b", List.of()),
                org.assertj.core.groups.Tuple.tuple("a", List.of()),
                org.assertj.core.groups.Tuple.tuple("bound", List.of("wrong_trainer")));
        assertThat(redeemed.allocations()).extracting(Allocation::lotId).containsExactly("b", "a");
        assertThat(book.lot("bound").remaining()).isEqualTo(4);
    }

    @Test
    void aPolicyAnswerAboutUnknownLotsOrAWrongOrderIsRefused() {
        EligibilityReport report = Eligibility.explain(List.of(master("a", 1, 0), master("b", 1, 1)),
                Lots.scheduler("s", 1), NOW, ConsumptionOrder.FIFO);

        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                report.withPolicies(java.util.Map.of("nope", List.of("x")), null))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> report.withPolicies(java.util.Map.of(), List.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                report.withPolicies(java.util.Map.of(), List.of("a", "a")))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                report.withPolicies(java.util.Map.of("a", List.of("x")), List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDirectOnlySchedulerAcceptsNoCredits() {
        LotBook book = new LotBook(List.of(master("a", 10, 0)), NOW);

        var report = Eligibility.explain(book.lots(), Lots.scheduler("s", 1, PaymentMode.DIRECT, null), NOW,
                ConsumptionOrder.FIFO);

        assertThat(report.canBook()).isFalse();
        assertThat(report.creditsAccepted()).isFalse();
        assertThat(report.lots()).singleElement().satisfies(e -> assertThat(e.eligible()).isTrue());
    }

    @Test
    void firstUseSetsTheExpiryAtTheFirstRedemptionInTheStudiosZone() {
        Lot lot = Lots.firstUse(master("fu", 3, 0), "P1M");
        Instant firstUse = Instant.parse("2026-03-31T10:00:00Z");
        LotBook book = new LotBook(List.of(lot), firstUse);

        Redemption.redeem(book, Lots.scheduler("s", 1), ConsumptionOrder.FIFO, BERLIN);

        // 31 March + one month in Berlin is 30 April (the month is shorter), at the same wall-clock time.
        assertThat(book.lot("fu").expiresAt()).isEqualTo(Instant.parse("2026-04-30T10:00:00Z"));
        Redemption.redeem(book, Lots.scheduler("s", 1), ConsumptionOrder.FIFO, BERLIN);
        assertThat(book.lot("fu").expiresAt()).as("set once").isEqualTo(Instant.parse("2026-04-30T10:00:00Z"));
    }

    @Test
    void aLotAcquiredAfterTheRequestReadItsClockCountsAndCanPay() {
        // A concurrent purchase committed while this request waited for the member's lock.
        Lot justBought = master("new", 2, 60);
        LotBook book = new LotBook(List.of(justBought), justBought.acquiredAt().minusMillis(5));

        assertThat(book.balance("master")).isEqualTo(2);
        assertThat(Redemption.redeem(book, Lots.scheduler("s", 1), ConsumptionOrder.FIFO, BERLIN))
                .isInstanceOf(Redemption.Redeemed.class);
    }

    @Test
    void anExpiryAtExactlyNowHasPassed() {
        Lot lot = Lots.lot("edge", "master", 1, 0, NOW);
        assertThat(lot.isExpiredAt(NOW)).isTrue();
        assertThat(lot.isExpiredAt(NOW.minusMillis(1))).isFalse();
        assertThat(new LotBook(List.of(lot), NOW).balance("master")).isZero();
    }

    @Test
    void aRefundReturnsExactlyTheAllocatedCreditsToTheSameLots() {
        LotBook book = new LotBook(List.of(master("a", 1, 0), master("b", 5, 1)), NOW);
        var redeemed = (Redemption.Redeemed) Redemption.redeem(book, Lots.scheduler("s", 3), ConsumptionOrder.FIFO,
                BERLIN);

        List<EntryDraft> refunds = Redemption.refund(book, redeemed.allocations(), "Class s");

        assertThat(refunds).extracting(EntryDraft::lotId, EntryDraft::delta).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", 1), org.assertj.core.groups.Tuple.tuple("b", 2));
        assertThat(refunds).allSatisfy(e -> assertThat(e.type()).isEqualTo(EntryType.REFUNDED));
        assertThat(book.lot("a").remaining()).isEqualTo(1);
        assertThat(book.lot("b").remaining()).isEqualTo(5);
    }
}
