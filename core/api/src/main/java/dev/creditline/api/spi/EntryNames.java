package dev.creditline.api.spi;

import java.util.Map;

/**
 * The names a person reads beside the ids of journal entries ({@link LedgerService#entryNames}): members (null once
 * erased), products (their current version's name) and the scheduler each booking was for.
 *
 * @param members    member id to name
 * @param products   product id to name
 * @param schedulers booking id to the booking's scheduler
 */
public record EntryNames(Map<String, String> members, Map<String, String> products,
                         Map<String, SchedulerRef> schedulers) {

    /** A booking's scheduler: its id and its name when the booking was made. */
    public record SchedulerRef(String id, String name) {
    }

    public EntryNames {
        members = Map.copyOf(members);
        products = Map.copyOf(products);
        schedulers = Map.copyOf(schedulers);
    }

    /** The names of one entry's member, product (of its account) and booking's scheduler; null where none. */
    public String member(LedgerEntry entry) {
        return members.get(entry.memberId());
    }

    public String product(LedgerEntry entry) {
        return products.get(entry.account());
    }

    public SchedulerRef scheduler(LedgerEntry entry) {
        return entry.bookingId() == null ? null : schedulers.get(entry.bookingId());
    }
}
