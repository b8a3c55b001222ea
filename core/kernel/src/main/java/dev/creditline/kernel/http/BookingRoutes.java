package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.kernel.pipeline.LedgerCommands;
import dev.creditline.kernel.pipeline.WritePipeline;
import dev.creditline.store.BatchBooking;
import dev.creditline.store.BookingChanges;
import dev.creditline.store.BookingRepository;
import dev.creditline.store.BookingRepository.Booking;
import dev.creditline.store.Names;
import dev.creditline.store.BatchBooking.Booked;
import dev.creditline.store.BookingChanges.Action;
import dev.creditline.store.BookingChanges.Changed;
import dev.creditline.store.CreditCommands;
import dev.creditline.store.IdempotencyRepository.StoredResponse;
import dev.creditline.store.Rejection;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Bookings: book with credits (or directly), cancel, check in, mark a no-show, waive a penalty. */
public final class BookingRoutes implements Routes {
    private final Auth auth;
    private final Pool pool;
    private final BookingRepository bookings;
    private final LedgerCommands commands;
    private final Names names;

    @Inject
    public BookingRoutes(Auth auth, Pool pool, BookingRepository bookings, LedgerCommands commands, Names names) {
        this.auth = auth;
        this.pool = pool;
        this.bookings = bookings;
        this.commands = commands;
        this.names = names;
    }

    @Override
    public void mount(Router router) {
        router.post("/v1/bookings").handler(auth.staff()).handler(this::book);
        router.get("/v1/bookings").handler(auth.staff())
                .handler(Http.listParams("memberId", "schedulerId", "status", "from", "to")).handler(this::list);
        router.get("/v1/bookings/:id").handler(auth.staff()).handler(Http.params()).handler(this::get);
        router.post("/v1/bookings/:id/cancel").handler(auth.staff()).handler(ctx -> change(ctx, Action.CANCEL));
        router.post("/v1/bookings/:id/check-in").handler(auth.staff()).handler(ctx -> change(ctx, Action.CHECK_IN));
        router.post("/v1/bookings/:id/no-show").handler(auth.staff()).handler(ctx -> change(ctx, Action.NO_SHOW));
        router.post("/v1/bookings/:id/waive").handler(auth.staff()).handler(ctx -> change(ctx, Action.WAIVE));
    }

    private void book(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        ObjectNode body = Http.body(ctx);
        Input in = Input.of(body, "memberId", "schedulerId", "startsAt", "payWith", "recordPast");
        String memberId = in.string("memberId", true, 64);
        String schedulerId = in.string("schedulerId", true, 64);
        Instant startsAt = in.instant("startsAt", true);
        PayWith payWith = in.choice("payWith", false, PayWith.class);
        boolean recordPast = Boolean.TRUE.equals(in.bool("recordPast", false));
        in.check();
        var command = new CreditCommands.Book(memberId, schedulerId, startsAt,
                payWith == null ? null : payWith.name().toLowerCase(java.util.Locale.ROOT), recordPast);
        String key = Writes.key(ctx);
        var request = new BatchBooking.Request(caller.call(key), command);
        Http.respond(ctx, commands.book(request, Writes.hash(ctx, key, body), Writes.renderer(ctx, Reply::created,
                (Booked booked) -> view(booked.booking(), booked.memberName()))).map(answer -> Writes.reply(ctx, answer)));
    }

    /** A booking as the API shows it, with the member's name as the batch read it. */
    private static ObjectNode view(Booking booking, String memberName) {
        return Views.booking(booking, new Names.Found(
                memberName == null ? Map.of() : Map.of(booking.memberId(), memberName), Map.of(), Map.of()));
    }

    /** How a booking is paid. */
    enum PayWith { CREDITS, DIRECT }

    private void get(RoutingContext ctx) {
        String studioId = Http.caller(ctx).studio().id();
        String id = Http.pathId(ctx, "id", "booking");
        Http.respond(ctx, bookings.find(pool, studioId, id, false).compose(booking -> {
            if (booking == null) {
                throw Rejection.notFound("id", "booking", id);
            }
            return view(pool, studioId, booking).map(Reply::ok);
        }));
    }

    /** The bookings, newest first; {@code from}/{@code to} bound the class start. */
    private void list(RoutingContext ctx) {
        String studioId = Http.caller(ctx).studio().id();
        String memberId = Http.query(ctx, "memberId", 64);
        String schedulerId = Http.query(ctx, "schedulerId", 64);
        BookingRepository.Status status = Http.choice(ctx, "status", BookingRepository.Status.class);
        Instant from = Http.instant(ctx, "from");
        Instant to = Http.instant(ctx, "to");
        if (from != null && to != null && !to.isAfter(from)) {
            throw Problem.invalid("to", "must be after from");
        }
        Http.respond(ctx, bookings.list(pool, studioId, memberId, schedulerId, status, from, to, Http.below(ctx),
                        Http.limit(ctx))
                .compose(page -> names.of(pool, studioId, page.items().stream().map(Booking::memberId).toList(),
                                List.of(), List.of())
                        .map(found -> Http.page(page, booking -> Views.booking(booking, found)))));
    }

    /** A booking as the API shows it, with its member's name. */
    static Future<ObjectNode> view(SqlClient client, Names names, String studioId, Booking booking) {
        return names.of(client, studioId, List.of(booking.memberId()), List.of(), List.of())
                .map(found -> Views.booking(booking, found));
    }

    private Future<ObjectNode> view(SqlClient client, String studioId, Booking booking) {
        return view(client, names, studioId, booking);
    }

    /** A change of a booking: cancel, check-in, no-show (no body, or an empty one), or waive {"reason"}. */
    private void change(RoutingContext ctx, Action action) {
        Caller caller = Http.caller(ctx);
        String id = Http.pathId(ctx, "id", "booking");
        ObjectNode body = action == Action.WAIVE ? Http.body(ctx) : Http.optionalBody(ctx);
        String reason = null;
        if (action == Action.WAIVE) {
            Input in = Input.of(body, "reason");
            reason = in.string("reason", true, 500);
            in.check();
        } else if (body != null) {
            Input.of(body).check();
        }
        String key = Writes.key(ctx);
        var request = new BookingChanges.Request(caller.call(key), id, action, reason);
        Http.respond(ctx, commands.changeBooking(request, Writes.hash(ctx, key, body), Writes.renderer(ctx, Reply::ok,
                (Changed changed) -> view(changed.booking(), changed.memberName())))
                .map(answer -> Writes.reply(ctx, answer)));
    }
}
