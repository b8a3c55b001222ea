package dev.creditline.kernel.http;

import dev.creditline.api.Role;
import dev.creditline.store.Actor;
import dev.creditline.store.StudioRepository;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Set;

/**
 * Resolves {@code Authorization: Bearer <key>} to a {@link Caller} (401 when missing or unknown) and checks roles
 * per route (403). Keys are looked up by their SHA-256; the key itself is never stored.
 */
public final class Auth {
    static final String CALLER = "creditline.caller";

    private final ApiKeys keys;
    private final StudioContexts contexts;
    private final AdminToken adminToken;

    @Inject
    public Auth(ApiKeys keys, StudioContexts contexts, AdminToken adminToken) {
        this.keys = keys;
        this.contexts = contexts;
        this.adminToken = adminToken;
    }

    /** Resolves the caller of a {@code /v1} request. */
    public Handler<RoutingContext> authenticate() {
        return ctx -> {
            String key = bearer(ctx);
            if (key == null) {
                ctx.fail(Problem.unauthorized("send an API key as 'Authorization: Bearer <key>'"));
                return;
            }
            keys.find(Json.sha256(key)).onComplete(result -> {
                if (result.failed()) {
                    ctx.fail(result.cause());
                } else if (result.result() == null) {
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
            if (token == null) {
                ctx.fail(Problem.unauthorized("send the admin token as 'Authorization: Bearer <token>'"));
            } else if (!adminToken.matches(token)) {
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
