package dev.creditline.ledger;

/** The human texts of the credit log, in one place so every path words them alike. */
public final class Descriptions {

    private Descriptions() {
    }

    public static String purchased(String productName) {
        return "Purchased " + productName;
    }

    public static String added(String actor) {
        return "Added by " + actor;
    }

    public static String set(String actor) {
        return "Set by " + actor;
    }

    public static String redeemed(String schedulerName) {
        return "Redeemed for " + schedulerName;
    }

    public static String held(String schedulerName) {
        return "Held for " + schedulerName;
    }

    public static String released(String schedulerName) {
        return "Released: cancelled " + schedulerName;
    }

    public static String refunded(String schedulerName) {
        return "Refunded for cancelled " + schedulerName;
    }

    /** A booking's line once a penalty kept its credits: "Late cancel — 1 credit forfeited". */
    public static String penalty(PenaltyRule.Kind kind, int forfeited) {
        return what(kind) + " — " + forfeited + (forfeited == 1 ? " credit" : " credits") + " forfeited";
    }

    /** Credits a late cancel or no-show gave back: "Late cancel of Yoga — refunded (free allowance)". */
    public static String penaltyReturned(PenaltyRule.Kind kind, String schedulerName, PenaltyRule.Outcome outcome) {
        return what(kind) + " of " + schedulerName + " — refunded"
                + (outcome == PenaltyRule.Outcome.FREE ? " (free allowance)" : "");
    }

    /** Credits a penalty took, given back: "No-show — waived by Coach Carla". */
    public static String waived(PenaltyRule.Kind kind, String actor) {
        return what(kind) + " — waived by " + actor;
    }

    private static String what(PenaltyRule.Kind kind) {
        return kind == PenaltyRule.Kind.LATE_CANCEL ? "Late cancel" : "No-show";
    }

    public static String expired() {
        return "Expired (unused)";
    }

    /** The end of an unlimited period. */
    public static String periodEnded() {
        return "Period ended";
    }

    public static String voided(String productName, String actor) {
        return "Voided " + productName + " by " + actor;
    }

    public static String forfeited(String actor) {
        return "Forfeited on deletion by " + actor;
    }

    public static String transferredOut(String toMemberId) {
        return "Transferred to member " + toMemberId + " (merge)";
    }

    public static String transferredIn(String fromMemberId) {
        return "Transferred from member " + fromMemberId + " (merge)";
    }
}
