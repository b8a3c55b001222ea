package dev.creditline.api.spi;

/**
 * What a studio's ledger adds up to over a period, in one currency, in credits and in money (minor units, exact):
 * {@code sold = recognised + breakage + refunded + otherOut + (liability - liabilityStart)} holds to the cent.
 *
 * @param soldCredits      finite credits sold (purchased and paid)
 * @param grantedCredits   credits given: grants, and promotional purchases
 * @param usedCredits      credits redeemed, less those given back by cancellations
 * @param expiredCredits   credits that expired unused
 * @param refundedCredits  credits taken back for a refund of their purchase
 * @param outstanding      finite credits held at the period's end
 * @param sold             money of what was sold (credits and unlimited periods)
 * @param recognised       money of the credits used and of unlimited periods that ended: revenue
 * @param breakage         money of the credits that expired unused
 * @param refunded         money of credits taken back for refunds
 * @param otherOut         money of credits voided, forfeited, transferred or set (net)
 * @param liabilityStart   the liability when the period began (zero for a period from the beginning)
 * @param liability        the liability at the period's end: the value of the credits sold and not yet used
 * @param salesLast3Months money sold in the three months up to the period's end
 * @param heldCredits      of the {@code outstanding} credits, those bookings held at the period's end (in their
 *                         cancel window; still owed, so in the liability: revenue comes when they post as used)
 */
public record LedgerFigures(String currency, long soldCredits, long grantedCredits, long usedCredits,
                            long expiredCredits, long refundedCredits, long outstanding, long sold, long recognised,
                            long breakage, long refunded, long otherOut, long liabilityStart, long liability,
                            long salesLast3Months, long heldCredits) {

    /** Figures without held credits (as plugins built before holds construct them). */
    public LedgerFigures(String currency, long soldCredits, long grantedCredits, long usedCredits,
                         long expiredCredits, long refundedCredits, long outstanding, long sold, long recognised,
                         long breakage, long refunded, long otherOut, long liabilityStart, long liability,
                         long salesLast3Months) {
        this(currency, soldCredits, grantedCredits, usedCredits, expiredCredits, refundedCredits, outstanding, sold,
                recognised, breakage, refunded, otherOut, liabilityStart, liability, salesLast3Months, 0);
    }

    /** The liability in months of sales: over the average monthly sales of the last three months; null without. */
    public Double liabilityMonthsOfSales() {
        return monthsOfSales(liability, salesLast3Months);
    }

    /**
     * {@code liability} over the average monthly sales of three months' {@code salesLast3Months}, to two decimals
     * (half even); null without sales. The summary report and the metrics both answer this.
     */
    public static Double monthsOfSales(long liability, long salesLast3Months) {
        if (salesLast3Months <= 0) {
            return null;
        }
        return java.math.BigDecimal.valueOf(liability).multiply(java.math.BigDecimal.valueOf(3))
                .divide(java.math.BigDecimal.valueOf(salesLast3Months), 2, java.math.RoundingMode.HALF_EVEN)
                .doubleValue();
    }
}
