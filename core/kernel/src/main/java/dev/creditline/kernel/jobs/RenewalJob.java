package dev.creditline.kernel.jobs;

import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.http.StudioContexts;
import dev.creditline.store.StudioContext;
import dev.creditline.store.SubscriptionCommands;
import dev.creditline.store.SubscriptionRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the subscriptions that were added without payment when their period ends (payment providers renew theirs
 * and report it): periodically for every studio on the server's clock, and on demand for a test-mode studio whose
 * clock moved. Each subscription renews in a transaction of its own, with its member locked, so several nodes may
 * run it at once: a period is renewed once (one purchase per subscription and period).
 */
@Singleton
public final class RenewalJob implements DueWork {
    private static final Logger LOG = LoggerFactory.getLogger(RenewalJob.class);
    private static final int BATCH = 100;

    private final Vertx vertx;
    private final Pool pool;
    private final SubscriptionCommands commands;
    private final SubscriptionRepository subscriptions;
    private final StudioContexts contexts;
    private final Clock clock;
    private final Config config;
    private final Periodic<Integer> periodic = new Periodic<>(this::pass);

    @Inject
    public RenewalJob(Vertx vertx, Pool pool, SubscriptionCommands commands, SubscriptionRepository subscriptions,
                      StudioContexts contexts, Clock clock, Config config) {
        this.vertx = vertx;
        this.pool = pool;
        this.commands = commands;
        this.subscriptions = subscriptions;
        this.contexts = contexts;
        this.clock = clock;
        this.config = config;
    }

    /** Renewals come before expiry: a new period's credits exist before the sweep looks at the old ones. */
    @Override
    public int stage() {
        return 10;
    }

    /** Starts the periodic renewals. */
    public void start() {
        periodic.start(vertx, 1_000, config.expirySweepInterval().toMillis());
    }

    public void stop() {
        periodic.stop();
    }

    /** One run over the studios on the server's clock, after the one going on (if any). */
    public Future<Integer> runOnce() {
        return periodic.run();
    }

    private Future<Integer> pass() {
        return subscriptions.studiosDue(pool, clock.instant())
                .compose(studios -> {
                    Future<Integer> done = Future.succeededFuture(0);
                    for (String studioId : studios) {
                        done = done.compose(n -> contexts.of(pool, studioId)
                                .compose(s -> renewAll(s)).map(renewed -> n + renewed));
                    }
                    return done;
                })
                .onFailure(e -> LOG.warn("Renewals failed; they run again at the next tick: {}", e.toString()));
    }

    @Override
    public Future<Void> runDue(String studioId, Instant now) {
        return contexts.of(pool, studioId).compose(s -> renewAll(s.at(now))).mapEmpty();
    }

    /** Renews every due subscription of the studio, a batch at a time. */
    private Future<Integer> renewAll(StudioContext s) {
        return commands.due(pool, s, BATCH).compose(due -> renewEach(s, due).compose(renewed ->
                due.size() < BATCH || renewed == 0 ? Future.succeededFuture(renewed)
                        : renewAll(s).map(more -> renewed + more)));
    }

    private Future<Integer> renewEach(StudioContext s, List<String> due) {
        Future<Integer> done = Future.succeededFuture(0);
        for (String subscriptionId : due) {
            done = done.compose(n -> pool.<Integer>withTransaction(c -> commands.renew(c, s, subscriptionId))
                    .recover(failure -> {
                        LOG.warn("Cannot renew subscription {} of studio {}: {}", subscriptionId, s.id(),
                                failure.toString());
                        return Future.succeededFuture(0);
                    })
                    .map(renewed -> n + renewed));
        }
        return done;
    }
}
