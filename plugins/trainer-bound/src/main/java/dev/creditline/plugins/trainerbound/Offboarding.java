package dev.creditline.plugins.trainerbound;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import dev.creditline.api.Role;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.Caller;
import dev.creditline.api.spi.Fields;
import dev.creditline.api.spi.LedgerService;
import dev.creditline.api.spi.LedgerService.TrainerInfo;
import dev.creditline.api.spi.PluginDatabase;
import dev.creditline.api.spi.PluginHttp;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.threeten.extra.PeriodDuration;

/**
 * {@code POST /v1/trainers/{id}/offboard}: a trainer leaves, and every credit bound to them is transferred to another
 * trainer, has its validity extended, or is refunded (credits taken back, their purchases flagged for a money refund).
 * One transaction for all of it, once per trainer: a retry or a second call cannot move credits twice. The trainer is
 * marked inactive; credits cannot be transferred to an inactive trainer.
 */
final class Offboarding {
    /** What happens to the trainer's credits. */
    enum Action { TRANSFER, EXTEND, REFUND }

    private final PluginHttp http;
    private final LedgerService ledger;
    private final PluginDatabase database;

    @Inject
    Offboarding(PluginHttp http, LedgerService ledger, PluginDatabase database) {
        this.http = http;
        this.ledger = ledger;
        this.database = database;
    }

    void register() {
        http.routes(router -> router.api(HttpMethod.POST, "/trainers/:id/offboard").handler(this::offboard));
    }

    private void offboard(RoutingContext ctx) {
        http.requireRole(ctx, Role.OWNER);
        Caller caller = http.caller(ctx);
        String trainerId = ctx.pathParam("id");
        Fields in = http.fields(ctx, "action", "toTrainerId", "extendBy");
        Action action = in.choice("action", true, Action.class);
        String to = in.string("toTrainerId", false, 64);
        PeriodDuration extendBy = in.period("extendBy", false, false);
        if (action == Action.TRANSFER && to == null && !in.hasValue("toTrainerId")) {
            in.error("toTrainerId", "is required to transfer");
        }
        if (action != Action.TRANSFER && to != null) {
            in.error("toTrainerId", "is for action transfer only");
        }
        if (action == Action.EXTEND && extendBy == null && !in.hasValue("extendBy")) {
            in.error("extendBy", "is required to extend, such as P1M");
        }
        if (action != Action.EXTEND && extendBy != null) {
            in.error("extendBy", "is for action extend only");
        }
        if (trainerId.equals(to)) {
            in.error("toTrainerId", "must be another trainer");
        }
        in.check();
        JsonObject body = ctx.body().asJsonObject();
        http.respond(ctx, http.write(ctx, body, (tx, key) ->
                offboard(tx, caller, trainerId, action, to, extendBy)
                        .map(summary -> new PluginHttp.Reply(200, summary))));
    }

    private Future<JsonObject> offboard(SqlConnection tx, Caller caller, String trainerId, Action action, String to,
                                        PeriodDuration extendBy) {
        LedgerService inTx = ledger.in(tx);
        return inTx.trainer(caller.studioId(), trainerId).compose(leaving -> {
            if (leaving == null) {
                throw ApiProblem.notFound("id", "no trainer with id " + trainerId);
            }
            Future<TrainerInfo> successor = to == null ? Future.succeededFuture() : inTx.trainer(caller.studioId(), to);
            return successor.compose(next -> {
                if (to != null && next == null) {
                    throw ApiProblem.notFound("toTrainerId", "no trainer with id " + to);
                }
                if (next != null && !next.active()) {
                    throw new ApiProblem(409, "trainer_inactive", "trainer " + to + " left the studio too", "toTrainerId");
                }
                return record(tx, caller, trainerId, action, to, extendBy)
                        .compose(done -> inTx.setTrainerActive(caller.studioId(), trainerId, false))
                        .compose(done -> inTx.lotsOfTrainer(caller.studioId(), trainerId))
                        .compose(lots -> apply(inTx, caller, leaving, next, action, extendBy, sorted(lots), 0, 0, 0));
            });
        });
    }

    /** Members in a fixed order, so that two offboardings lock shared members alike. */
    private static List<Lot> sorted(List<Lot> lots) {
        return lots.stream().sorted(Comparator.comparing(Lot::memberId).thenComparing(Lot::id)).toList();
    }

    private Future<Void> record(SqlConnection tx, Caller caller, String trainerId, Action action, String to,
                                PeriodDuration extendBy) {
        return tx.preparedQuery("INSERT INTO " + database.schema() + ".offboardings (studio_id, trainer_id, action,"
                        + " to_trainer_id, extend_by, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                        + " ON CONFLICT (studio_id, trainer_id) DO NOTHING")
                .execute(Tuple.of(caller.studioId(), trainerId, action.name().toLowerCase(Locale.ROOT), to,
                        extendBy == null ? null : extendBy.toString(), caller.actor())
                        .addValue(caller.now().atOffset(java.time.ZoneOffset.UTC)))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ApiProblem.conflict("already_offboarded", "trainer " + trainerId
                                + " was offboarded already; their credits moved then");
                    }
                    return null;
                });
    }

    private Future<JsonObject> apply(LedgerService inTx, Caller caller, TrainerInfo leaving, TrainerInfo next,
                                     Action action, PeriodDuration extendBy, List<Lot> lots, int index, int moved,
                                     int credits) {
        if (index == lots.size()) {
            return Future.succeededFuture(new JsonObject().put("trainerId", leaving.id())
                    .put("action", action.name().toLowerCase(Locale.ROOT))
                    .put("toTrainerId", next == null ? null : next.id())
                    .put("extendBy", extendBy == null ? null : extendBy.toString())
                    .put("lots", moved).put("credits", credits));
        }
        Lot lot = lots.get(index);
        String reason = "trainer " + leaving.name() + " left";
        Future<Integer> done = switch (action) {
            case TRANSFER -> inTx.reissue(new LedgerService.Reissue(caller.studioId(), lot.id(), next.id(), null,
                    caller.actor(), reason, "Transferred from trainer " + leaving.name() + " to " + next.name()))
                    .map(Lot::remaining);
            case EXTEND -> lot.expiresAt() == null
                    ? Future.succeededFuture(0)
                    : inTx.reissue(new LedgerService.Reissue(caller.studioId(), lot.id(), null,
                            extended(lot.expiresAt(), extendBy, caller), caller.actor(), reason,
                            "Validity extended by " + extendBy + " (trainer " + leaving.name() + " left)"))
                    .map(Lot::remaining);
            case REFUND -> inTx.takeBack(new LedgerService.TakeBack(caller.studioId(), lot.id(), EntryType.REFUNDED,
                    caller.actor(), reason, "Refunded: trainer " + leaving.name() + " left", true));
        };
        return done.compose(count -> apply(inTx, caller, leaving, next, action, extendBy, lots, index + 1,
                moved + (count > 0 ? 1 : 0), credits + count));
    }

    private static Instant extended(Instant expiresAt, PeriodDuration by, Caller caller) {
        return expiresAt.atZone(caller.zone()).plus(by.getPeriod()).plus(by.getDuration()).toInstant();
    }
}
