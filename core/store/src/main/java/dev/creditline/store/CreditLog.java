package dev.creditline.store;

import dev.creditline.api.EntryType;
import java.util.List;

/** A member's credit log as a coach reads it: one item per action, however many lots the action touched. */
public final class CreditLog {

    private CreditLog() {
    }

    /**
     * One action on one account: a booking, a purchase, an adjustment, an expiry.
     *
     * @param entries       its journal entries, newest first (all of one type, account and time)
     * @param unlimitedLots the ids of the entries' lots that are unlimited
     * @param schedulerName the name of the booked scheduler, or null when the action is no booking's
     * @param counterpartMemberId for credits moved between members (a merge), the other member: the one they went to
     *                            or came from; else null
     * @param productName   the name of the account's product (its current version's), or null for master credits
     */
    public record Item(List<JournalEntry> entries, java.util.Set<String> unlimitedLots, String schedulerName,
                       String counterpartMemberId, String productName) {

        public Item {
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("an action has entries");
            }
            entries = List.copyOf(entries);
            unlimitedLots = java.util.Set.copyOf(unlimitedLots);
        }

        /** This item with the name of its account's product. */
        public Item withProductName(String name) {
            return new Item(entries, unlimitedLots, schedulerName, counterpartMemberId, name);
        }

        /** The newest entry: its balance is the account's after the action. */
        public JournalEntry last() {
            return entries.get(0);
        }

        /** The entries oldest first, as they were written. */
        public List<JournalEntry> inOrder() {
            List<JournalEntry> oldestFirst = new java.util.ArrayList<>(entries);
            java.util.Collections.reverse(oldestFirst);
            return oldestFirst;
        }

        /** Whether an unlimited lot took part. */
        public boolean unlimited() {
            return !unlimitedLots.isEmpty();
        }

        /**
         * The signed amount a person reads: {@code +10}, {@code -3}; an unlimited period's start and end are
         * {@code +unlimited} and {@code -unlimited}; a booking it paid is {@code -1} and its return {@code +1}.
         */
        public String amount() {
            return amount(entries, unlimitedLots);
        }

        /** The amount of one entry, as {@link #amount()} reads it. */
        public String amount(JournalEntry entry) {
            return amount(List.of(entry), unlimitedLots);
        }

        private static String amount(List<JournalEntry> entries, java.util.Set<String> unlimitedLots) {
            int finite = 0;
            int uses = 0;
            int periods = 0;
            for (JournalEntry e : entries) {
                if (!unlimitedLots.contains(e.lotId())) {
                    // What the balance did: a hold lowers it, its post (the credits leave the lot) does not.
                    finite += e.balanceChange();
                } else if (e.delta() == 0) {
                    uses += e.type() == EntryType.REFUNDED ? 1 : -1;
                } else {
                    periods += e.delta();
                }
            }
            if (periods != 0) {
                return periods > 0 ? "+unlimited" : "-unlimited";
            }
            int total = finite + uses;
            return total > 0 ? "+" + total : Integer.toString(total);
        }
    }

    /**
     * A page of items, newest first.
     *
     * @param next where the next page starts, or null
     */
    public record Page(List<Item> items, JournalRepository.Position next) {
    }
}
