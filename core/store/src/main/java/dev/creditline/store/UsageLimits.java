package dev.creditline.store;

import dev.creditline.api.Lot;
import dev.creditline.api.UsageLimit;
import dev.creditline.ledger.UsageCounts;
import dev.creditline.ledger.UsageWindow;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the bookings that stand against the usage limits of a member's lots: per product and limit, in the limit's
 * calendar window around a class's start. No lot with a limit, no query.
 */
public final class UsageLimits {
    private final BookingRepository bookings;

    @Inject
    public UsageLimits(BookingRepository bookings) {
        this.bookings = bookings;
    }

    /** A limit of a product, counted in one window. */
    public record Counted(String productId, UsageLimit limit, UsageWindow window, int used) {
    }

    /** The counts for a booking of {@code schedulerId} that starts at {@code startsAt}. */
    public Future<UsageCounts> forBooking(SqlClient client, StudioContext s, String memberId, Collection<Lot> lots,
                                          String schedulerId, Instant startsAt) {
        Map<String, Key> keys = new LinkedHashMap<>();
        for (Lot lot : lots) {
            for (UsageLimit limit : lot.usageLimits()) {
                if (lot.productId() != null && limit.counts(schedulerId)) {
                    Key key = new Key(lot.productId(), limit);
                    keys.putIfAbsent(key.name(), key);
                }
            }
        }
        if (keys.isEmpty()) {
            return Future.succeededFuture(UsageCounts.NONE);
        }
        return count(client, s, memberId, keys.values(), startsAt).map(counted -> {
            Map<String, Integer> used = new LinkedHashMap<>();
            counted.forEach(c -> used.put(new Key(c.productId(), c.limit()).name(), c.used()));
            return (lot, limit) -> used.getOrDefault(new Key(lot.productId(), limit).name(), 0);
        });
    }

    /** Every limit of the lots, counted in the window that contains {@code at} (for the credit view). */
    public Future<List<Counted>> current(SqlClient client, StudioContext s, String memberId, Collection<Lot> lots,
                                         Instant at) {
        Map<String, Key> keys = new LinkedHashMap<>();
        for (Lot lot : lots) {
            for (UsageLimit limit : lot.usageLimits()) {
                if (lot.productId() != null) {
                    Key key = new Key(lot.productId(), limit);
                    keys.putIfAbsent(key.name(), key);
                }
            }
        }
        return keys.isEmpty() ? Future.succeededFuture(List.of()) : count(client, s, memberId, keys.values(), at);
    }

    private Future<List<Counted>> count(SqlClient client, StudioContext s, String memberId, Collection<Key> keys,
                                        Instant at) {
        List<Future<Counted>> counts = new ArrayList<>();
        for (Key key : keys) {
            UsageWindow window = UsageWindow.of(key.limit(), at, s.zone());
            counts.add(bookings.usage(client, s.id(), memberId, key.productId(), key.limit().schedulerId(),
                    window.from(), window.to()).map(used -> new Counted(key.productId(), key.limit(), window, used)));
        }
        return Future.all(counts).map(done -> counts.stream().map(Future::result).toList());
    }

    private record Key(String productId, UsageLimit limit) {
        String name() {
            return productId + "\u0000" + limit.schedulerId() + "\u0000" + limit.per() + "\u0000" + limit.max();
        }
    }
}
