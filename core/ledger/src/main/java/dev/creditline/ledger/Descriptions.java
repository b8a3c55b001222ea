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

    public static String refunded(String schedulerName) {
        return "Refunded for cancelled " + schedulerName;
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
