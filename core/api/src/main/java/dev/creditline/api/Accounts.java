package dev.creditline.api;

/** Names of credit accounts. A member's credits sit in the master account or in one account per product. */
public final class Accounts {
    /** The account of credits not tied to a product, valid for any scheduler. */
    public static final String MASTER = "master";

    private Accounts() {
    }

    /** Whether the account name is the master account. */
    public static boolean isMaster(String account) {
        return MASTER.equals(account);
    }
}
