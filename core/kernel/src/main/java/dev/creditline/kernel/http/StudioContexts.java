package dev.creditline.kernel.http;

import dev.creditline.kernel.boot.Config;
import dev.creditline.ledger.ConsumptionOrder;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import dev.creditline.store.StudioRepository;
import dev.creditline.store.StudioRepository.Studio;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import java.time.Clock;

/** Makes a request's {@link StudioContext}: the studio's time now, and its consumption order (config wins). */
public final class StudioContexts {
    private final Config config;
    private final Clock clock;
    private final StudioRepository studios;

    @Inject
    public StudioContexts(Config config, Clock clock, StudioRepository studios) {
        this.config = config;
        this.clock = clock;
        this.studios = studios;
    }

    /** The context of a studio read with its key. */
    public StudioContext of(Studio studio) {
        return effective(studio).at(clock.instant()).warningDays(config.expiryWarningDays(studio.id()));
    }

    /** The studio as it applies: with the consumption order its configuration presets, if any. */
    public Studio effective(Studio studio) {
        ConsumptionOrder configured = configuredOrder(studio.id());
        return configured == null ? studio : studio.withOrder(configured);
    }

    /** The consumption order the configuration presets for the studio, or null. */
    public ConsumptionOrder configuredOrder(String studioId) {
        Config.Studio configured = config.studios().get(studioId);
        return configured == null ? null : configured.consumptionOrder();
    }

    /** The context of a studio by id; fails with 404 when there is none. */
    public Future<StudioContext> of(SqlClient client, String studioId) {
        return studios.find(client, studioId).map(studio -> {
            if (studio == null) {
                throw Rejection.notFound("studioId", "studio", studioId);
            }
            return of(studio);
        });
    }
}
