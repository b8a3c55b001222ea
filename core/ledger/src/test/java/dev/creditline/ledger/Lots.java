package dev.creditline.ledger;

import dev.creditline.api.Accounts;
import dev.creditline.api.Lot;
import dev.creditline.api.LotCategory;
import dev.creditline.api.Money;
import dev.creditline.api.PaymentMode;
import dev.creditline.api.Scheduler;
import dev.creditline.api.ValidityStart;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.threeten.extra.PeriodDuration;

/** Builders for lots and schedulers in ledger tests. */
final class Lots {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Currency EUR = Currency.getInstance("EUR");

    private Lots() {
    }

    /** A master lot acquired {@code minutesAfterT0} after T0, with no expiry. */
    static Lot master(String id, int credits, int minutesAfterT0) {
        return lot(id, Accounts.MASTER, credits, minutesAfterT0, null);
    }

    static Lot lot(String id, String account, int credits, int minutesAfterT0, Instant expiresAt) {
        Instant acquired = T0.plusSeconds(60L * minutesAfterT0);
        return new Lot(id, "mem_1", account, Accounts.isMaster(account) ? null : account, null, null, credits, credits,
                false, acquired, acquired, expiresAt, null, ValidityStart.PURCHASE, Money.zero(EUR),
                LotCategory.PROMOTIONAL, null, null, false, minutesAfterT0);
    }

    static Lot restricted(Lot lot, List<String> schedulers, String trainerId) {
        return new Lot(lot.id(), lot.memberId(), lot.account(), lot.productId(), lot.productVersion(),
                lot.purchaseId(), lot.quantity(), lot.remaining(), lot.unlimited(), lot.acquiredAt(), lot.validFrom(),
                lot.expiresAt(), lot.validity(), lot.validityStart(), lot.cost(), lot.category(), schedulers,
                trainerId, lot.paused(), lot.seq());
    }

    static Lot paused(Lot lot) {
        return new Lot(lot.id(), lot.memberId(), lot.account(), lot.productId(), lot.productVersion(),
                lot.purchaseId(), lot.quantity(), lot.remaining(), lot.unlimited(), lot.acquiredAt(), lot.validFrom(),
                lot.expiresAt(), lot.validity(), lot.validityStart(), lot.cost(), lot.category(),
                lot.redeemableSchedulerIds(), lot.trainerId(), true, lot.seq());
    }

    static Lot firstUse(Lot lot, String validity) {
        return new Lot(lot.id(), lot.memberId(), lot.account(), lot.productId(), lot.productVersion(),
                lot.purchaseId(), lot.quantity(), lot.remaining(), lot.unlimited(), lot.acquiredAt(), lot.validFrom(),
                null, PeriodDuration.parse(validity), ValidityStart.FIRST_USE, lot.cost(), lot.category(),
                lot.redeemableSchedulerIds(), lot.trainerId(), lot.paused(), lot.seq());
    }

    static Lot startingAt(Lot lot, Instant validFrom) {
        return new Lot(lot.id(), lot.memberId(), lot.account(), lot.productId(), lot.productVersion(),
                lot.purchaseId(), lot.quantity(), lot.remaining(), lot.unlimited(), lot.acquiredAt(), validFrom,
                lot.expiresAt(), lot.validity(), lot.validityStart(), lot.cost(), lot.category(),
                lot.redeemableSchedulerIds(), lot.trainerId(), lot.paused(), lot.seq());
    }

    static Scheduler scheduler(String id, int cost) {
        return new Scheduler(id, "Class " + id, cost, PaymentMode.CREDITS, null, PeriodDuration.parse("PT12H"), null);
    }

    static Scheduler scheduler(String id, int cost, PaymentMode mode, String trainerId) {
        return new Scheduler(id, "Class " + id, cost, mode, trainerId, PeriodDuration.parse("PT12H"), null);
    }
}
