package dev.creditline.kernel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.creditline.api.Role;
import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.Notification;
import dev.creditline.api.spi.Notifier;
import dev.creditline.api.spi.PluginFailure;
import dev.creditline.kernel.plugins.PluginRuntime;
import dev.creditline.store.AccountRepository;
import dev.creditline.store.AccountRepository.Credentials;
import dev.creditline.store.AccountRepository.Session;
import dev.creditline.store.AccountRepository.StaffAccount;
import dev.creditline.store.AccountRepository.Status;
import dev.creditline.store.Ids;
import dev.creditline.store.MemberRepository;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts for people (API keys stay for machines): the owner invites staff by email, staff sign in with a password,
 * athletes with a one-time link sent by email; sessions are cookies ({@link Sessions}) that {@link Auth} accepts
 * as it accepts keys.
 *
 * <p>Invitations (7 days) and sign-in links (15 minutes) are one-time tokens {@code cli_<studioId>.<secret>} and
 * {@code csl_<studioId>.<secret>}, kept only as their SHA-256. Wrong passwords are throttled per address and per
 * client ({@link Throttle}): after 5 failures an address is locked for a minute, doubling with each further failure
 * up to 15 minutes (429 with Retry-After, the right password included); unknown addresses are counted and answered
 * exactly as wrong passwords are.
 */
public final class AccountRoutes implements Routes {
    /** The paths that need no key and no session. */
    static final Set<String> PUBLIC = Set.of("/v1/auth/sign-in", "/v1/auth/accept-invitation",
            "/v1/auth/sign-in-link", "/v1/auth/redeem-link");
    static final Duration INVITATION_TTL = Duration.ofDays(7);
    static final Duration LINK_TTL = Duration.ofMinutes(15);
    /** At most this many members sharing one address (a family) get a link each. */
    private static final int MAX_LINKS_PER_ADDRESS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(AccountRoutes.class);

    private final Pool pool;
    private final Vertx vertx;
    private final Auth auth;
    private final AccountRepository accounts;
    private final StudioRepository studios;
    private final MemberRepository members;
    private final Sessions sessions;
    private final StudioContexts contexts;
    private final PluginRuntime plugins;
    private final Clock clock;
    // Failed sign-ins: per address (5, then 1 min doubling to 15 min) and per client (50 — many staff share one
    // office address — then the same).
    private final Throttle failedByAddress;
    private final Throttle failedByClient;
    // Sign-in links asked for: per address 3 in a row, then 5 minutes doubling to an hour; per client 20.
    private final Throttle linksByAddress;
    private final Throttle linksByClient;

    @Inject
    public AccountRoutes(Pool pool, Vertx vertx, Auth auth, AccountRepository accounts, StudioRepository studios,
                         MemberRepository members, Sessions sessions, StudioContexts contexts, PluginRuntime plugins,
                         Clock clock) {
        this.pool = pool;
        this.vertx = vertx;
        this.auth = auth;
        this.accounts = accounts;
        this.studios = studios;
        this.members = members;
        this.sessions = sessions;
        this.contexts = contexts;
        this.plugins = plugins;
        this.clock = clock;
        Duration hour = Duration.ofHours(1);
        this.failedByAddress = new Throttle(clock, 5, Duration.ofMinutes(1), Duration.ofMinutes(15), hour);
        this.failedByClient = new Throttle(clock, 50, Duration.ofMinutes(1), Duration.ofMinutes(15), hour);
        this.linksByAddress = new Throttle(clock, 3, Duration.ofMinutes(5), hour, hour);
        this.linksByClient = new Throttle(clock, 20, Duration.ofMinutes(5), hour, hour);
    }

    @Override
    public void mount(Router router) {
        router.post("/v1/staff-invitations").handler(auth.owner()).handler(this::invite);
        router.get("/v1/staff-accounts").handler(auth.owner()).handler(Http.listParams()).handler(this::list);
        router.post("/v1/staff-accounts/:id/disable").handler(auth.owner()).handler(this::disable);
        router.post("/v1/auth/accept-invitation").handler(this::acceptInvitation);
        router.post("/v1/auth/sign-in").handler(this::signIn);
        router.post("/v1/auth/sign-in-link").handler(this::signInLink);
        router.post("/v1/auth/redeem-link").handler(this::redeemLink);
        router.get("/v1/auth/session").handler(Http.params()).handler(this::readSession);
        router.post("/v1/auth/sign-out").handler(this::signOut);
        router.post("/v1/auth/sign-out-everywhere").handler(this::signOutEverywhere);
    }

    // Staff accounts

    /**
     * Invites a person by email (a new invited account, or an invited or disabled one again: earlier invitations of
     * it end). {@code deliver}: {@code email} (default) sends the link through the studio's notifiers and is 409
     * {@code no_notifier} when it has none, so the owner knows nobody was told; {@code link} sends nothing and
     * answers the link ({@code invitation.acceptUrl}) for the owner to pass on by hand.
     */
    private void invite(RoutingContext ctx) {
        Caller caller = Http.caller(ctx);
        String studioId = caller.studio().id();
        Input in = Input.of(Http.body(ctx), "email", "role", "name", "deliver");
        String email = email(in);
        Role role = in.choice("role", true, Role.class);
        if (role == Role.ATHLETE) {
            in.error("role", "must be owner or coach; athletes sign in with a link (POST /v1/auth/sign-in-link)");
        }
        String name = in.string("name", false, 100);
        String deliver = in.string("deliver", false, 10);
        if (deliver != null && !deliver.equals("email") && !deliver.equals("link")) {
            in.error("deliver", "must be email or link");
        }
        in.check();
        boolean byEmail = !"link".equals(deliver);
        if (byEmail && !plugins.studioHas(studioId, Notifier.class)) {
            throw Problem.conflict("no_notifier", "the studio has no notifier enabled (such as the email plugin),"
                    + " so nobody could be told; enable one, or invite with \"deliver\": \"link\" and pass the link on");
        }
        String token = StudioSecrets.create(StudioSecrets.INVITATION, studioId);
        Instant now = clock.instant();
        Instant expires = now.plus(INVITATION_TTL);
        String link = sessions.baseUrl(ctx) + "/dashboard/#/accept/" + token;
        Future<StaffAccount> invited = pool.withTransaction(c -> accounts.lockByEmail(c, studioId, email)
                .compose(existing -> {
                    if (existing != null && existing.status() == Status.ACTIVE) {
                        throw Rejection.conflict("account_exists", email + " already has an active account ("
                                + existing.id() + "); disable it first to invite it again");
                    }
                    return existing == null
                            ? accounts.insertInvited(c, studioId, Ids.next("sta"), email, name, role, now)
                            : accounts.endInvitations(c, studioId, existing.id(), now)
                                    .compose(done -> accounts.reinvite(c, studioId, existing.id(), name, role));
                })
                .compose(account -> accounts.insertToken(c, studioId, Json.sha256(token), "invitation",
                        account.id(), null, now, expires).map(account)));
        Http.respond(ctx, invited.compose(account -> (byEmail
                        ? notify(invitation(caller, account, link, expires, token))
                        : Future.<Void>succeededFuture()).map(account))
                .map(account -> {
                    ObjectNode body = Views.staffAccount(account);
                    ObjectNode invitation = body.putObject("invitation").put("expiresAt", Views.time(expires))
                            .put("deliveredBy", byEmail ? "email" : "link");
                    if (!byEmail) {
                        invitation.put("acceptUrl", link);
                    }
                    return Reply.created(body);
                }));
    }

    private static Notification invitation(Caller caller, StaffAccount account, String link, Instant expires,
                                           String token) {
        String studio = caller.studio().name();
        String subject = "You are invited to " + studio + " on Creditline";
        String text = "Hello" + (account.name() == null ? "" : " " + account.name()) + ",\n\n"
                + caller.actor().name() + " invites you to " + studio + " as " + account.role().wireName() + ".\n"
                + "Choose your password here (the link works once, until " + expires + "):\n\n" + link + "\n";
        JsonObject data = new JsonObject().put("email", account.email()).put("name", account.name())
                .put("role", account.role().wireName()).put("link", link).put("studio", studio)
                .put("expiresAt", expires.toString());
        return new Notification(caller.studio().id(), null, "staff_invitation", subject, text, data,
                "staff_invitation:" + caller.studio().id() + ":" + tokenKey(token));
    }

    private void list(RoutingContext ctx) {
        String studioId = Http.caller(ctx).studio().id();
        Http.respond(ctx, accounts.accounts(pool, studioId, Http.below(ctx), Http.limit(ctx))
                .map(page -> Http.page(page, Views::staffAccount)));
    }

    /**
     * Disables an account: it can no longer sign in, its sessions and invitations end at once. The studio must keep
     * a way in for an owner: the last active owner account is not disabled while the studio has no owner API key
     * either (409 {@code last_owner}). Under the studio's row lock, as revoking keys is; disabling a disabled
     * account answers it unchanged.
     */
    private void disable(RoutingContext ctx) {
        String studioId = Http.caller(ctx).studio().id();
        String id = Http.pathId(ctx, "id", "staff account");
        ObjectNode body = Http.optionalBody(ctx);
        if (body != null) {
            Input.of(body).check();
        }
        Instant now = clock.instant();
        Http.respond(ctx, pool.withTransaction(c -> studios.lock(c, studioId)
                        .compose(studio -> accounts.account(c, studioId, id, true))
                        .compose(account -> {
                            if (account == null) {
                                throw Rejection.notFound("id", "staff account", id);
                            }
                            if (account.status() == Status.DISABLED) {
                                return Future.succeededFuture(account);
                            }
                            Future<Void> allowed = account.role() == Role.OWNER && account.status() == Status.ACTIVE
                                    ? lastOwnerCheck(c, studioId, id) : Future.succeededFuture();
                            return allowed.compose(ok -> accounts.disable(c, studioId, id, now))
                                    .compose(disabled -> accounts.endInvitations(c, studioId, id, now)
                                            .compose(done -> accounts.revokeSessionsOf(c, studioId, id, null, now))
                                            .map(disabled));
                        }))
                .map(account -> Reply.ok(Views.staffAccount(account))));
    }

    private Future<Void> lastOwnerCheck(io.vertx.sqlclient.SqlClient c, String studioId, String id) {
        return accounts.activeOwnerAccounts(c, studioId)
                .compose(owners -> studios.liveOwnerKeys(c, studioId).map(keys -> {
                    if (owners <= 1 && keys == 0) {
                        throw Rejection.conflict("last_owner", "account " + id + " is the studio's last owner"
                                + " account and the studio has no owner API key; invite another owner or create an"
                                + " owner key before disabling it");
                    }
                    return null;
                }));
    }

    // Signing in

    /** Sets the password of an invited account (the invitation's token, once) and signs in. */
    private void acceptInvitation(RoutingContext ctx) {
        Input in = Input.of(Http.body(ctx), "token", "password", "name");
        String token = in.string("token", true, 200);
        String password = password(in);
        String name = in.string("name", false, 100);
        in.check();
        String studioId = StudioSecrets.studioOf(token, StudioSecrets.INVITATION);
        if (studioId == null) {
            throw Problem.invalid("token", "is not an invitation token");
        }
        Instant now = clock.instant();
        Http.respond(ctx, hash(password).compose(hash -> pool.withTransaction(c ->
                        accounts.useToken(c, studioId, Json.sha256(token), "invitation", now).compose(grant -> {
                            if (grant == null) {
                                throw Rejection.invalid("token", "is unknown, used or expired; ask the studio's"
                                        + " owner for a new invitation");
                            }
                            return accounts.activate(c, studioId, grant.accountId(), hash, name, now);
                        }).compose(account -> sessions.start(c, studioId, account.id(), null, account.role()))))
                .map(started -> signedIn(ctx, started)));
    }

    /**
     * Signs staff in with their password. Unknown studio, unknown or disabled address and wrong password are one
     * answer (401), and cost the same time (a hash is checked either way).
     */
    private void signIn(RoutingContext ctx) {
        Input in = Input.of(Http.body(ctx), "studioId", "email", "password");
        String studioId = in.string("studioId", true, 64);
        String email = email(in);
        String password = in.string("password", true, Passwords.MAX_LENGTH);
        in.check();
        String addressKey = studioId + "/" + email.toLowerCase(Locale.ROOT);
        String clientKey = Throttle.client(ctx);
        refuseWhileLocked(ctx, failedByAddress.lockedFor(addressKey), failedByClient.lockedFor(clientKey),
                "too many failed sign-ins");
        Future<Credentials> found = accounts.credentials(pool, studioId, email);
        Http.respond(ctx, found.compose(credentials -> vertx.executeBlocking(() ->
                        Passwords.matches(password, credentials == null ? null : credentials.passwordHash()), false)
                .compose(matches -> {
                    if (!matches) {
                        failedByAddress.record(addressKey);
                        failedByClient.record(clientKey);
                        throw Problem.unauthorized("the email address or the password is wrong");
                    }
                    failedByAddress.clear(addressKey);
                    StaffAccount account = credentials.account();
                    return rehashIfOutdated(studioId, account.id(), credentials.passwordHash(), password)
                            .compose(done -> pool.withTransaction(c ->
                                    sessions.start(c, studioId, account.id(), null, account.role())));
                }))
                .map(started -> signedIn(ctx, started)));
    }

    /** A password hashed with older parameters is hashed again with today's (it is known to be right now). */
    private Future<Void> rehashIfOutdated(String studioId, String accountId, String stored, String password) {
        if (!Passwords.outdated(stored)) {
            return Future.succeededFuture();
        }
        return hash(password).compose(fresh -> accounts.rehash(pool, studioId, accountId, stored, fresh));
    }

    /**
     * Emails a one-time sign-in link to the studio's members with this address. Always the same 202, sent before
     * anything is looked up, whether or not such a member (or studio) exists: the answer tells nothing about who
     * is a member. Throttled per address and per client (429).
     */
    private void signInLink(RoutingContext ctx) {
        Input in = Input.of(Http.body(ctx), "studioId", "email");
        String studioId = in.string("studioId", true, 64);
        String email = email(in);
        in.check();
        String addressKey = studioId + "/" + email.toLowerCase(Locale.ROOT);
        String clientKey = Throttle.client(ctx);
        refuseWhileLocked(ctx, linksByAddress.lockedFor(addressKey), linksByClient.lockedFor(clientKey),
                "too many sign-in links asked for");
        linksByAddress.record(addressKey);
        linksByClient.record(clientKey);
        Http.send(ctx, new Reply(202, Json.object().put("detail", "if a member of this studio has this address,"
                + " a sign-in link is on its way; it works once, for 15 minutes")));
        String base = sessions.baseUrl(ctx);
        sendLinks(studioId, email, base).onFailure(e -> LOG.warn("Sign-in links for studio {} failed: {}", studioId,
                e.toString()));
    }

    private Future<Void> sendLinks(String studioId, String email, String base) {
        if (!plugins.studioHas(studioId, Notifier.class)) {
            return Future.succeededFuture();
        }
        Instant now = clock.instant();
        return contexts.of(pool, studioId)
                .compose(studio -> accounts.membersByEmail(pool, studioId, email, MAX_LINKS_PER_ADDRESS)
                        .compose(ids -> {
                            Future<Void> all = Future.succeededFuture();
                            for (String memberId : ids) {
                                String token = StudioSecrets.create(StudioSecrets.SIGN_IN_LINK, studioId);
                                String link = base + "/portal/#/signin/" + token;
                                all = all.compose(done -> accounts.insertToken(pool, studioId, Json.sha256(token),
                                                "sign_in_link", null, memberId, now, now.plus(LINK_TTL))
                                        .compose(stored -> members.find(pool, studioId, memberId))
                                        .compose(member -> notify(new Notification(studioId, memberId,
                                                "sign_in_link", "Your sign-in link for " + studio.name(),
                                                "Hello" + (member.name() == null ? "" : " " + member.name())
                                                        + ",\n\nSign in to " + studio.name() + " with this link (it"
                                                        + " works once, for 15 minutes):\n\n" + link
                                                        + "\n\nIf you did not ask for it, ignore this message.\n",
                                                new JsonObject().put("email", member.email())
                                                        .put("name", member.name()).put("link", link)
                                                        .put("studio", studio.name()),
                                                "sign_in_link:" + studioId + ":" + tokenKey(token)))));
                            }
                            return all;
                        }));
    }

    /** Signs an athlete in with a sign-in link's token (once, within 15 minutes). */
    private void redeemLink(RoutingContext ctx) {
        Input in = Input.of(Http.body(ctx), "token");
        String token = in.string("token", true, 200);
        in.check();
        String studioId = StudioSecrets.studioOf(token, StudioSecrets.SIGN_IN_LINK);
        if (studioId == null) {
            throw Problem.invalid("token", "is not a sign-in link's token");
        }
        Instant now = clock.instant();
        Http.respond(ctx, pool.withTransaction(c ->
                        accounts.useToken(c, studioId, Json.sha256(token), "sign_in_link", now).compose(grant -> {
                            if (grant == null) {
                                throw Rejection.invalid("token", "is unknown, used or expired; ask for a new link");
                            }
                            return members.find(c, studioId, grant.memberId()).compose(member -> {
                                if (member == null || !member.active()) {
                                    throw Rejection.invalid("token", "is unknown, used or expired; ask for a new"
                                            + " link");
                                }
                                return sessions.start(c, studioId, null, member.id(), Role.ATHLETE);
                            });
                        }))
                .map(started -> signedIn(ctx, started)));
    }

    private Reply signedIn(RoutingContext ctx, Sessions.Started started) {
        sessions.setCookie(ctx, started);
        return Reply.ok(view(started.session(), started.token()));
    }

    // The session

    private void readSession(RoutingContext ctx) {
        Session session = session(ctx);
        Http.send(ctx, Reply.ok(view(session, ctx.get(Sessions.SESSION_TOKEN))));
    }

    private void signOut(RoutingContext ctx) {
        Session session = session(ctx);
        accounts.revokeSession(pool, session.studioId(), session.id(), clock.instant()).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
            } else {
                sessions.clearCookie(ctx);
                ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
            }
        });
    }

    /** Ends every session of this person (staff account or member), this one included. */
    private void signOutEverywhere(RoutingContext ctx) {
        Session session = session(ctx);
        accounts.revokeSessionsOf(pool, session.studioId(), session.accountId(), session.memberId(), clock.instant())
                .onComplete(result -> {
                    if (result.failed()) {
                        ctx.fail(result.cause());
                    } else {
                        sessions.clearCookie(ctx);
                        ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
                    }
                });
    }

    /** The request's session (401 for a request made with an API key: these endpoints are about sessions). */
    private static Session session(RoutingContext ctx) {
        Session session = ctx.get(Sessions.SESSION);
        if (session == null) {
            throw Problem.unauthorized("nobody is signed in with a session cookie (an API key has no session)");
        }
        return session;
    }

    private ObjectNode view(Session session, String token) {
        return Views.session(session, contexts.effective(session.studio()), Sessions.csrf(token),
                Sessions.endsAt(session));
    }

    // Helpers

    /** Sends through every notifier the studio enabled; fails (502) when one of them fails. */
    private Future<Void> notify(Notification notification) {
        List<Future<Void>> sent = new ArrayList<>();
        for (Extensions.Contained<Notifier> notifier : plugins.forStudio(notification.studioId(), Notifier.class)) {
            sent.add(notifier.call("send", n -> n.send(notification)));
        }
        return Future.all(sent).<Void>mapEmpty().recover(e -> {
            // What the notifier said (its SMTP server's address, say) is for the log, not for the client.
            LOG.warn("A notifier of studio {} failed to send {}: {}", notification.studioId(), notification.kind(),
                    e.toString());
            String who = e instanceof PluginFailure plugin ? "plugin " + plugin.pluginId() + " failed" : "failed";
            return Future.failedFuture(new Problem(502, "delivery_failed", "Bad gateway", "the message could not"
                    + " be sent (" + who + "; the server's log has why, under this answer's Request-Id); nothing"
                    + " else changed that a new attempt would not replace", List.of(), null));
        });
    }

    private Future<String> hash(String password) {
        return vertx.executeBlocking(() -> Passwords.hash(password), false);
    }

    private static void refuseWhileLocked(RoutingContext ctx, Duration address, Duration client, String what) {
        Duration wait = address == null ? client : client == null ? address
                : address.compareTo(client) > 0 ? address : client;
        if (wait != null) {
            throw Throttle.tooMany(ctx, wait, what);
        }
    }

    private static String email(Input in) {
        String email = in.string("email", true, 254);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            in.error("email", "must be an email address such as anna@example.com");
            return null;
        }
        return email == null ? null : email.trim();
    }

    private static String password(Input in) {
        String password = in.string("password", true, Passwords.MAX_LENGTH);
        if (password != null && password.codePointCount(0, password.length()) < Passwords.MIN_LENGTH) {
            in.error("password", "must be at least " + Passwords.MIN_LENGTH + " characters");
        }
        return password;
    }

    /** A short, stable key of a token for the notification's key (never the token itself). */
    private static String tokenKey(String token) {
        return HexFormat.of().formatHex(Json.sha256(token)).substring(0, 24);
    }
}
