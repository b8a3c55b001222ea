package dev.creditline.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A batch of a command whose decision reads and writes as it goes (a purchase asks for the product, the voucher, the
 * payment): its requests are carried out one after the other in the batch's transaction, which commits once for all
 * of them. Their members are locked first, in {@link ScopedId} order, so two batches never lock members in a cycle; each
 * request runs inside a savepoint, and a refusal rolls back to it, so a refused request writes nothing and the others
 * keep theirs.
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

    private final MemberRepository members;
    private final Function<C, String> memberOf;
    private final Work<C, T> work;

    /** @param memberOf the member whose credits a request changes (locked before any request runs) */
    public InOrder(MemberRepository members, Function<C, String> memberOf, Work<C, T> work) {
        this.members = members;
        this.memberOf = memberOf;
        this.work = work;
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
        Set<ScopedId> memberIds = new LinkedHashSet<>();
        requests.forEach(r -> memberIds.add(new ScopedId(r.studio().id(), memberOf.apply(r))));
        List<Result<T>> results = new ArrayList<>();
        Future<Void> done = members.lockAll(c, memberIds).map(lockedMembers -> {
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
