package dev.creditline.kernel.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Counts events per key (failed sign-ins of an address, links asked for from a client) and locks a key out for a
 * while once it had {@code free} of them: the first lock lasts {@code firstLock}, each further event doubles it up to
 * {@code maxLock}. A key with no event for {@code forgetAfter} starts again from nothing. Kept in this server's
 * memory: behind several servers an attacker gets each server's allowance, which still bounds guessing to a few
 * dozen passwords an hour.
 */
final class Throttle {
    private record State(int events, Instant last, Instant lockedUntil) {
    }

    private final Clock clock;
    private final int free;
    private final Duration firstLock;
    private final Duration maxLock;
    private final Duration forgetAfter;
    private final Cache<String, State> states = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterAccess(Duration.ofDays(1)).build();

    Throttle(Clock clock, int free, Duration firstLock, Duration maxLock, Duration forgetAfter) {
        this.clock = clock;
        this.free = free;
        this.firstLock = firstLock;
        this.maxLock = maxLock;
        this.forgetAfter = forgetAfter;
    }

    /** The context key of the client's address, as {@link ApiRouter} found it (behind trusted proxies too). */
    static final String CLIENT = "creditline.client";

    /** The client's address, the key its requests are counted by. */
    static String client(RoutingContext ctx) {
        String client = ctx.get(CLIENT);
        return client != null ? client
                : ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }

    /** The 429 for a key locked out for {@code wait} (with {@code Retry-After}); {@code what} says what it counted. */
    static Problem tooMany(RoutingContext ctx, Duration wait, String what) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        return new Problem(429, "too_many_attempts", "Too many requests", what + "; try again in " + seconds
                + " seconds", List.of(), Json.object().put("retryAfter", seconds));
    }

    /** How long the key is still locked out, or null when it is not. */
    Duration lockedFor(String key) {
        State state = current(key);
        Instant now = clock.instant();
        return state == null || state.lockedUntil == null || !state.lockedUntil.isAfter(now)
                ? null : Duration.between(now, state.lockedUntil);
    }

    /** Counts an event of the key (a failure, a link sent). */
    void record(String key) {
        Instant now = clock.instant();
        states.asMap().compute(key, (k, old) -> {
            State state = old == null || fresh(old, now) ? null : old;
            int events = state == null ? 1 : state.events + 1;
            Instant locked = null;
            if (events >= free) {
                long factor = 1L << Math.min(20, events - free);
                Duration lock = firstLock.multipliedBy(factor);
                locked = now.plus(lock.compareTo(maxLock) > 0 ? maxLock : lock);
            }
            return new State(events, now, locked);
        });
    }

    /** Forgets the key's events (a good sign-in). */
    void clear(String key) {
        states.invalidate(key);
    }

    private State current(String key) {
        State state = states.getIfPresent(key);
        return state == null || fresh(state, clock.instant()) ? null : state;
    }

    /** Whether the state is old enough to start again: quiet for forgetAfter, and no lock left. */
    private boolean fresh(State state, Instant now) {
        return state.last.plus(forgetAfter).isBefore(now)
                && (state.lockedUntil == null || !state.lockedUntil.isAfter(now));
    }
}
