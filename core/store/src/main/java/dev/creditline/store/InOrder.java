package dev.creditline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A batch of a command whose decision reads and writes as it goes (a purchase asks for the product, the voucher, the
 * payment; a void, a refund, an erasure, a merge): its requests are carried out one after the other in the batch's
 * transaction, which commits once for all of them. Their members are locked first, in {@link ScopedId} order, so two
 * batches never lock members in a cycle; each request runs inside a savepoint, and a refusal rolls back to it, so a
 * refused request writes nothing and the others keep theirs.
 *
 * @param <C> a request
 * @param <T> what a request that is carried out answers
 */
public final class InOrder<C extends Batch.Command, T> implements Batch<C, T> {

    /** One request's work on the batch's transaction. */
    @FunctionalInterface
    public interface Work<C, T> {
        Future<T> apply(SqlConnection c, C request);
    }

    /** Locks the members whose credits a batch's requests change, in {@link ScopedId} order. */
    @FunctionalInterface
    public interface Locker<C> {
        Future<?> lock(SqlConnection c, List<C> requests);
    }

    private final Locker<C> locker;
    private final Work<C, T> work;

    private InOrder(Locker<C> locker, Work<C, T> work) {
        this.locker = locker;
        this.work = work;
    }

    /** A batch whose requests name the members they change ({@code membersOf}: one, or two for a merge). */
    public static <C extends Batch.Command, T> InOrder<C, T> byMembers(MemberRepository members,
                                                                       Function<C, Collection<String>> membersOf,
                                                                       Work<C, T> work) {
        return new InOrder<>((c, requests) -> {
            Set<ScopedId> ids = new LinkedHashSet<>();
            requests.forEach(r -> membersOf.apply(r).forEach(id -> ids.add(new ScopedId(r.studio().id(), id))));
            return members.lockAll(c, ids);
        }, work);
    }

    /** A batch whose requests name a purchase: the members holding those purchases are locked. */
    public static <C extends Batch.Command, T> InOrder<C, T> byPurchase(MemberRepository members,
                                                                        Function<C, String> purchaseOf,
                                                                        Work<C, T> work) {
        return new InOrder<>((c, requests) -> members.lockOfPurchases(c, requests.stream()
                .map(r -> new ScopedId(r.studio().id(), purchaseOf.apply(r))).toList()), work);
    }

    /**
     * A backend keeps the ids of up to 64 subtransactions in shared memory; past that every other backend's snapshot
     * must look them up on disk (PostgreSQL's subtransaction overflow). Each request's savepoint is one.
     */
    @Override
    public int maxRequests() {
        return 64;
    }

    @Override
    public Future<List<Result<T>>> run(SqlConnection c, List<C> requests, Runnable locked) {
        List<Result<T>> results = new ArrayList<>();
        Future<Void> done = locker.lock(c, requests).map(lockedMembers -> {
            locked.run();
            return null;
        });
        for (C request : requests) {
            done = done.compose(previous -> carryOut(c, request).map(result -> {
                results.add(result);
                return null;
            }));
        }
        return done.map(all -> results);
    }

    private Future<Result<T>> carryOut(SqlConnection c, C request) {
        return c.query("SAVEPOINT request").execute()
                .compose(saved -> work.apply(c, request))
                .compose(value -> c.query("RELEASE SAVEPOINT request").execute()
                                .map(released -> (Result<T>) new Done<>(value)),
                        failure -> Rejection.isRefusal(failure)
                                ? c.query("ROLLBACK TO SAVEPOINT request; RELEASE SAVEPOINT request").execute()
                                        .map(undone -> (Result<T>) new Refused<T>((RuntimeException) failure))
                                : Future.failedFuture(failure));
    }
}
