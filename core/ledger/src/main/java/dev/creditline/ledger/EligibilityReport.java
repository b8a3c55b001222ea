package dev.creditline.ledger;

import dev.creditline.api.Lot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to "why can't she book although she has credits?": every lot with credits and whether it can pay.
 *
 * @param schedulerId     the scheduler asked about
 * @param schedulerName   its name, for the person reading the answer
 * @param cost            credits one booking costs
 * @param creditsAccepted whether the scheduler accepts credits at all (not direct payment only)
 * @param lots            every lot with credits left; the eligible ones first, in spending order
 */
public record EligibilityReport(String schedulerId, String schedulerName, int cost, boolean creditsAccepted,
                                List<LotEligibility> lots) {

    public EligibilityReport {
        lots = List.copyOf(lots);
    }

    /** Credits of the eligible lots. */
    public int available() {
        long sum = 0;
        for (LotEligibility e : lots) {
            if (e.eligible() && !e.lot().unlimited()) {
                sum += e.lot().free();
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, sum);
    }

    /** Whether an eligible lot is unlimited. */
    public boolean unlimited() {
        return lots.stream().anyMatch(e -> e.eligible() && e.lot().unlimited());
    }

    /** Whether a booking paid with credits would succeed. */
    public boolean canBook() {
        return creditsAccepted && (unlimited() || available() >= cost);
    }

    /** How many credits are missing; 0 when the booking can be paid. */
    public int shortBy() {
        if (!creditsAccepted) {
            return cost;
        }
        return unlimited() ? 0 : Math.max(0, cost - available());
    }

    /** The eligible lots, in spending order. */
    public List<Lot> eligibleLots() {
        return lots.stream().filter(LotEligibility::eligible).map(LotEligibility::lot).toList();
    }

    /**
     * This report after the studio's credit policies: vetoed lots become ineligible with the policy's code, and the
     * eligible lots are spent in {@code order} when one is given.
     *
     * @param vetoes lot id → reason codes; every id must be a lot of this report
     * @param order  the eligible lots' ids in spending order (a permutation of them), or null for the default
     * @throws IllegalArgumentException when a veto names an unknown lot or the order is not a permutation
     */
    public EligibilityReport withPolicies(Map<String, List<String>> vetoes, List<String> order) {
        Map<String, LotEligibility> byId = new HashMap<>();
        for (LotEligibility e : lots) {
            byId.put(e.lot().id(), e);
        }
        for (var veto : vetoes.entrySet()) {
            LotEligibility e = byId.get(veto.getKey());
            if (e == null) {
                throw new IllegalArgumentException("a veto names lot " + veto.getKey() + ", which is not offered");
            }
            for (String code : veto.getValue()) {
                e = e.vetoedFor(code);
            }
            byId.put(e.lot().id(), e);
        }
        List<LotEligibility> eligible = new ArrayList<>();
        List<LotEligibility> others = new ArrayList<>();
        for (LotEligibility original : lots) {
            LotEligibility e = byId.get(original.lot().id());
            (e.eligible() ? eligible : others).add(e);
        }
        if (order != null) {
            if (order.size() != eligible.size() || !order.stream().distinct().allMatch(id ->
                    byId.containsKey(id) && byId.get(id).eligible()) || order.stream().distinct().count() != order.size()) {
                throw new IllegalArgumentException("the order " + order + " is not an order of the eligible lots");
            }
            eligible = order.stream().map(byId::get).toList();
        }
        List<LotEligibility> all = new ArrayList<>(eligible);
        all.addAll(others);
        return new EligibilityReport(schedulerId, schedulerName, cost, creditsAccepted, all);
    }
}
