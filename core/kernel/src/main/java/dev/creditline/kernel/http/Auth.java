package dev.creditline.kernel.http;

import dev.creditline.api.Role;
import dev.creditline.store.Actor;
import dev.creditline.store.StudioRepository;
import dev.creditline.store.AccountRepository;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import dev.creditline.kernel.boot.Config;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves {@code Authorization: Bearer <key>} to a {@link Caller} (401 when missing or unknown) and checks roles
 * per route (403). Keys are looked up by their SHA-256; the key itself is never stored.
 *
 * <p>A request without {@code Authorization} may carry a browser session's cookie instead ({@link Sessions}): it
 * becomes a caller with the session's role, named after its person; its writes must send the session's CSRF token
 * as {@code X-CSRF-Token} (403 {@code csrf} otherwise). The sign-in endpoints ({@link AccountRoutes#PUBLIC}) need
 * neither.
 *
 * <p>Wrong API keys and admin tokens are counted per client address (one count for the whole server, hence a
 * singleton): past {@code http.failedAuthPerClient} the client is answered 429 without a database read, except with a
 * key this server already knows.
 */
@Singleton
public final class Auth {
    static final String CALLER = "creditline.caller";
    private static final Set<HttpMethod> WRITES =
            Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final ApiKeys keys;
    private final StudioContexts contexts;
    private final AdminToken adminToken;
    private final Sessions sessions;
    private final Throttle wrongCredentials;

    @Inject
    public Auth(ApiKeys keys, StudioContexts contexts, AdminToken adminToken, Sessions sessions, Config config,
                Clock clock) {
        this.sessions = sessions;
        // Counted per client address: after the allowance, a minute's lock that doubles up to 15 minutes.
        this.wrongCredentials = new Throttle(clock, config.failedAuthPerClient(), Duration.ofMinutes(1),
                Duration.ofMinutes(15), Duration.ofHours(1));
        this.keys = keys;
        this.contexts = contexts;
        this.adminToken = adminToken;
    }

    /** Resolves the caller of a {@code /v1} request. */
    public Handler<RoutingContext> authenticate() {
        return ctx -> {
            if (AccountRoutes.PUBLIC.contains(ctx.normalizedPath())) {
                ctx.next();
                return;
            }
            String key = bearer(ctx);
            if (key == null && ctx.request().getHeader("Authorization") == null) {
                String session = Sessions.cookie(ctx);
                if (session != null) {
                    authenticateSession(ctx, session);
                    return;
                }
            }
            if (key == null) {
                ctx.fail(Problem.unauthorized("send an API key as 'Authorization: Bearer <key>', or sign in"
                        + " (POST /v1/auth/sign-in)"));
                return;
            }
            byte[] hash = Json.sha256(key);
            String client = Throttle.client(ctx);
            Duration locked = wrongCredentials.lockedFor(client);
            // A client sending wrong keys is refused without a database read; a key this server knows still works.
            if (locked != null && !keys.known(hash)) {
                ctx.fail(Throttle.tooMany(ctx, locked, "too many wrong API keys from this address"));
                return;
            }
            keys.find(key, hash).onComplete(result -> {
                if (result.failed()) {
                    ctx.fail(result.cause());
                } else if (result.result() == null) {
                    wrongCredentials.record(client);
                    ctx.fail(Problem.unauthorized("the API key is not valid"));
                } else {
                    StudioRepository.KeyGrant grant = result.result();
                    keys.used(grant);
                    ctx.put(CALLER, new Caller(contexts.of(grant.studio()), grant.role(), grant.memberId(),
                            new Actor(grant.keyName()), grant.keyId()));
                    ctx.next();
                }
            });
        };
    }

    private void authenticateSession(RoutingContext ctx, String token) {
        sessions.find(token).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            AccountRepository.Session session = result.result();
            if (session == null) {
                ctx.fail(Problem.unauthorized("the session has ended (signed out, expired or disabled); sign in"
                        + " again"));
                return;
            }
            if (WRITES.contains(ctx.request().method())
                    && !Sessions.csrfMatches(token, ctx.request().getHeader(Sessions.CSRF_HEADER))) {
                ctx.fail(new Problem(403, "csrf", "Forbidden", "a write with a session cookie must send the"
                        + " session's csrfToken as the " + Sessions.CSRF_HEADER + " header", List.of(), null));
                return;
            }
            String name = (session.name() == null ? session.email() : session.name())
                    + " (" + session.role().wireName() + ")";
            ctx.put(Sessions.SESSION, session);
            ctx.put(Sessions.SESSION_TOKEN, token);
            ctx.put(CALLER, new Caller(contexts.of(session.studio()), session.role(), session.memberId(),
                    new Actor(name), null));
            ctx.next();
        });
    }

    /** Lets the request through only for the given roles. */
    public Handler<RoutingContext> allow(Role first, Role... more) {
        Set<Role> roles = EnumSet.of(first, more);
        return ctx -> {
            Caller caller = Http.caller(ctx);
            if (!roles.contains(caller.role())) {
                ctx.fail(Problem.forbidden("a " + caller.role().wireName() + " key may not do this"
                        + (caller.role() == Role.ATHLETE ? "; athlete keys use /v1/me" : "")));
                return;
            }
            ctx.next();
        };
    }

    /** Owners and coaches. */
    public Handler<RoutingContext> staff() {
        return allow(Role.OWNER, Role.COACH);
    }

    /** Owners only. */
    public Handler<RoutingContext> owner() {
        return allow(Role.OWNER);
    }

    /** Lets only the server's admin token through. */
    public Handler<RoutingContext> admin() {
        return ctx -> {
            String token = bearer(ctx);
            String client = Throttle.client(ctx);
            Duration locked = wrongCredentials.lockedFor(client);
            if (token == null) {
                ctx.fail(Problem.unauthorized("send the admin token as 'Authorization: Bearer <token>'"));
            } else if (locked != null) {
                ctx.fail(Throttle.tooMany(ctx, locked, "too many wrong keys or admin tokens from this address"));
            } else if (!adminToken.matches(token)) {
                wrongCredentials.record(client);
                ctx.fail(Problem.unauthorized("the admin token is not valid"));
            } else {
                ctx.next();
            }
        };
    }

    private static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String value = header.substring(7).trim();
        return value.isEmpty() || value.length() > 200 ? null : value;
    }
}
