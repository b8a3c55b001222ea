package dev.creditline.kernel.jobs;

import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.Notification;
import dev.creditline.api.spi.Notifier;
import dev.creditline.kernel.boot.Config;
import dev.creditline.kernel.http.StudioContexts;
import dev.creditline.kernel.plugins.PluginRuntime;
import dev.creditline.store.ExpiryWarnings;
import dev.creditline.store.ExpiryWarnings.Warning;
import dev.creditline.store.StudioContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns members that their credits expire soon (the studio's {@code expiryWarningDays}, 7 by default): once per
 * member and expiry day, through the studio's enabled {@link Notifier}s (email by default). A warning is written when
 * it falls due and delivered from there; a failed delivery is retried with a growing pause, and a delivered one is
 * never sent again (its notification key, the same on every attempt, lets a notifier drop a repeat after a crash
 * between sending and recording). Runs periodically and when a test-mode studio's clock moves.
 */
@Singleton
public final class WarningJob implements DueWork {
    private static final Logger LOG = LoggerFactory.getLogger(WarningJob.class);
    private static final int BATCH = 200;
    private static final Duration MAX_PAUSE = Duration.ofHours(1);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL)
            .withLocale(Locale.ENGLISH);

    private final Vertx vertx;
    private final Pool pool;
    private final ExpiryWarnings warnings;
    private final PluginRuntime plugins;
    private final StudioContexts contexts;
    private final Clock clock;
    private final Config config;
    private final Periodic<Void> periodic = new Periodic<>(this::pass);

    @Inject
    public WarningJob(Vertx vertx, Pool pool, ExpiryWarnings warnings, PluginRuntime plugins,
                      StudioContexts contexts, Clock clock, Config config) {
        this.vertx = vertx;
        this.pool = pool;
        this.warnings = warnings;
        this.plugins = plugins;
        this.contexts = contexts;
        this.clock = clock;
        this.config = config;
    }

    /** After expiry: credits that expired are warned about no more. */
    @Override
    public int stage() {
        return 30;
    }

    public void start() {
        periodic.start(vertx, 2_000, config.expirySweepInterval().toMillis());
    }

    public void stop() {
        periodic.stop();
    }

    /** One periodic run over the studios on the server's clock that have a notifier. */
    public Future<Void> runOnce() {
        return periodic.run();
    }

    private Future<Void> pass() {
        return DueWork.forLiveStudios(pool, clock, this)
                .onFailure(e -> LOG.warn("Expiry warnings failed; they run again at the next tick: {}", e.toString()));
    }

    @Override
    public Future<Void> runDue(String studioId, Instant now) {
        if (!plugins.studioHas(studioId, Notifier.class)) {
            return Future.succeededFuture();
        }
        return contexts.of(pool, studioId).map(s -> s.at(now))
                .compose(s -> warnings.enqueue(pool, s, now.plus(Duration.ofDays(s.warningDays()))).map(s))
                .compose(s -> warnings.due(pool, studioId, now, BATCH).compose(due -> deliver(s, due)));
    }

    private Future<Void> deliver(StudioContext s, List<Warning> due) {
        Future<Void> done = Future.succeededFuture();
        for (Warning w : due) {
            done = done.compose(ok -> send(s, w)
                    .compose(sent -> warnings.sent(pool, s.id(), w, clock.instant()))
                    .recover(failure -> {
                        Duration pause = Duration.ofMinutes(1L << Math.min(6, w.attempts()));
                        Instant retry = s.now().plus(pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause);
                        LOG.warn("Expiry warning for member {} of studio {} failed (attempt {}); retrying at {}: {}",
                                w.memberId(), s.id(), w.attempts() + 1, retry, failure.toString());
                        return warnings.failed(pool, s.id(), w, failure.toString(), retry);
                    }));
        }
        return done;
    }

    /** Through every notifier the studio enabled; one failing fails the delivery (it is retried). */
    private Future<Void> send(StudioContext s, Warning w) {
        Notification notification = notification(s, w);
        List<Future<Void>> sent = new ArrayList<>();
        for (Extensions.Contained<Notifier> notifier : plugins.forStudio(s.id(), Notifier.class)) {
            sent.add(notifier.call("send", n -> n.send(notification)));
        }
        return Future.all(sent).mapEmpty();
    }

    static Notification notification(StudioContext s, Warning w) {
        int credits = 0;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < w.lots().size(); i++) {
            JsonObject lot = w.lots().getJsonObject(i);
            credits += lot.getInteger("credits");
            lines.append("- ").append(lot.getInteger("credits")).append(" of ").append(lot.getString("name"))
                    .append('\n');
        }
        String day = DAY.format(w.expiresOn());
        String subject = credits + (credits == 1 ? " credit expires" : " credits expire") + " on " + day;
        String text = "Hello " + (w.name() == null ? "" : w.name()) + ",\n\n" + subject + " at " + s.name() + ":\n"
                + lines + "\nBook a class before then to use them.\n";
        JsonObject data = new JsonObject().put("email", w.email()).put("name", w.name())
                .put("expiresOn", w.expiresOn().toString()).put("credits", credits).put("lots", w.lots())
                .put("studio", s.name());
        return new Notification(s.id(), w.memberId(), "expiry_warning", subject, text, data,
                "expiry_warning:" + s.id() + ":" + w.memberId() + ":" + w.expiresOn());
    }
}
