package dev.creditline.kernel.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.creditline.api.Role;
import dev.creditline.kernel.boot.Config;
import dev.creditline.store.AccountRepository;
import dev.creditline.store.AccountRepository.Session;
import dev.creditline.store.Ids;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser sessions: the {@code creditline_session} cookie, its CSRF token, and finding the live session a cookie
 * names. A session token is {@code cls_<studioId>.<secret>}: the studio it names and the SHA-256 of the whole token
 * find the session's row (the schema distributes by studio). Sessions are read from the database on every request
 * (not cached), so a sign-out or a disabled account takes effect at once on every server.
 *
 * <p>Staff sessions end after 12 hours without use or 7 days after sign-in; athletes' after 30 days.
 */
@Singleton
public final class Sessions {
    public static final String COOKIE = "creditline_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION = "creditline.session";
    static final String SESSION_TOKEN = "creditline.sessionToken";
    static final Duration STAFF_IDLE = Duration.ofHours(12);
    static final Duration STAFF_ABSOLUTE = Duration.ofDays(7);
    static final Duration ATHLETE_ABSOLUTE = Duration.ofDays(30);
    /** How often a session's last use is written down at most (per session and server). */
    private static final Duration SEEN_EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final Pool pool;
    private final AccountRepository accounts;
    private final Clock clock;
    private final Config config;
    /** When this server last recorded each session's use (by the kernel's clock, which tests move). */
    private final Cache<String, Instant> recentlySeen = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1))
            .maximumSize(100_000).build();

    @Inject
    public Sessions(Pool pool, AccountRepository accounts, Clock clock, Config config) {
        this.pool = pool;
        this.accounts = accounts;
        this.clock = clock;
        this.config = config;
    }

    /**
     * The session's CSRF token, derived from the session token (so nothing more is stored, and a page that only
     * has the HttpOnly cookie cannot compute it): the page reads it from the sign-in answer or {@code GET
     * /v1/auth/session} and sends it as {@code X-CSRF-Token} on writes.
     */
    static String csrf(String sessionToken) {
        byte[] hash = Json.sha256("csrf:" + sessionToken);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    /** Whether the header matches the session's CSRF token (in constant time). */
    static boolean csrfMatches(String sessionToken, String header) {
        return header != null && java.security.MessageDigest.isEqual(
                csrf(sessionToken).getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    /** The session cookie's value sent with the request, or null. */
    static String cookie(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    /** The live session the token names, or null. */
    public Future<Session> find(String token) {
        String studioId = StudioSecrets.studioOf(token, StudioSecrets.SESSION);
        if (studioId == null) {
            return Future.succeededFuture(null);
        }
        Instant now = clock.instant();
        return accounts.liveSession(pool, studioId, Json.sha256(token), now, now.minus(STAFF_IDLE),
                now.minus(ATHLETE_ABSOLUTE)).onSuccess(session -> {
                    if (session != null) {
                        seen(session, now);
                    }
                });
    }

    /** Records the session's use in the background, at most once a minute per session and server. */
    private void seen(Session session, Instant now) {
        String key = session.studioId() + "/" + session.id();
        Instant last = recentlySeen.getIfPresent(key);
        if (last != null && last.plus(SEEN_EVERY).isAfter(now) || !session.lastSeenAt().plus(SEEN_EVERY).isBefore(now)) {
            return;
        }
        recentlySeen.put(key, now);
        accounts.sessionSeen(pool, session.studioId(), session.id(), now)
                .onFailure(e -> LOG.warn("could not record the use of session {}", session.id(), e));
    }

    /**
     * Starts a session in the transaction and answers it with its token (the cookie's value).
     *
     * @param accountId the staff account, or null for an athlete
     * @param memberId  the member of an athlete, else null
     */
    Future<Started> start(SqlClient client, String studioId, String accountId, String memberId, Role role) {
        String token = StudioSecrets.create(StudioSecrets.SESSION, studioId);
        Instant now = clock.instant();
        Instant expires = now.plus(role == Role.ATHLETE ? ATHLETE_ABSOLUTE : STAFF_ABSOLUTE);
        return accounts.insertSession(client, studioId, Json.sha256(token), Ids.next("ses"), accountId, memberId,
                        role, now, expires)
                .compose(done -> accounts.liveSession(client, studioId, Json.sha256(token), now,
                        now.minus(STAFF_IDLE), now.minus(ATHLETE_ABSOLUTE)))
                .map(session -> new Started(session, token));
    }

    /** A started session and its token. */
    record Started(Session session, String token) {
    }

    /** When the session ends unless it is used again: its idle limit (staff) or its absolute expiry. */
    static Instant endsAt(Session session) {
        if (session.role() == Role.ATHLETE) {
            return session.expiresAt();
        }
        Instant idle = session.lastSeenAt().plus(STAFF_IDLE);
        return idle.isBefore(session.expiresAt()) ? idle : session.expiresAt();
    }

    /** Sets the session cookie on the answer. */
    void setCookie(RoutingContext ctx, Started started) {
        long maxAge = Duration.between(clock.instant(), started.session().expiresAt()).toSeconds();
        ctx.response().addCookie(cookie(ctx, started.token(), maxAge));
    }

    /** Removes the session cookie from the browser. */
    void clearCookie(RoutingContext ctx) {
        ctx.response().addCookie(cookie(ctx, "", 0));
    }

    private Cookie cookie(RoutingContext ctx, String value, long maxAge) {
        boolean secure = switch (config.secureCookies()) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> ctx.request().isSSL()
                    || (config.publicUrl() != null && config.publicUrl().startsWith("https://"));
        };
        return Cookie.cookie(COOKIE, value).setHttpOnly(true).setSameSite(CookieSameSite.LAX).setPath("/")
                .setSecure(secure).setMaxAge(maxAge);
    }

    /** The base of links in emails: {@code http.publicUrl}, else {@code http://localhost:<port>}. */
    String baseUrl(RoutingContext ctx) {
        return config.publicUrl() != null ? config.publicUrl()
                : "http://localhost:" + ctx.request().localAddress().port();
    }
}
