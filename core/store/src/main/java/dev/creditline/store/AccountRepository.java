package dev.creditline.store;

import dev.creditline.api.Role;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Accounts for people: staff accounts (owners and coaches with a password), the one-time tokens sent by email
 * (invitations and athletes' sign-in links) and browser sessions. Tokens and sessions are found by (studio, SHA-256
 * of the secret); no secret is stored.
 */
public final class AccountRepository {

    /** A staff account's state. */
    public enum Status { INVITED, ACTIVE, DISABLED }

    /**
     * A staff account as its owner sees it (the password hash is only read where a password is checked).
     */
    public record StaffAccount(String id, String email, String name, Role role, Status status, Instant createdAt,
                               Instant activatedAt, Instant disabledAt) {
    }

    /** An account with its password hash, for signing in. */
    public record Credentials(StaffAccount account, String passwordHash) {
    }

    /** What an unused, unexpired one-time token is for: a staff account or a member. */
    public record TokenGrant(String accountId, String memberId) {
    }

    /**
     * A live session with who it is.
     *
     * @param accountId the staff account, or null for an athlete
     * @param memberId  the member, or null for staff
     * @param name      the person's name (the account's, or the member's), may be null
     */
    public record Session(String id, String studioId, String accountId, String memberId, Role role, String name,
                          String email, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
                          StudioRepository.Studio studio) {
    }

    private static final String ACCOUNT_COLUMNS =
            "a.id, a.email, a.name, a.role, a.status, a.created_at, a.activated_at, a.disabled_at";

    @Inject
    public AccountRepository() {
    }

    // Staff accounts

    /** The account with this address (any case), or null; locked for update. */
    public Future<StaffAccount> lockByEmail(SqlClient client, String studioId, String email) {
        return client.preparedQuery("SELECT " + ACCOUNT_COLUMNS + " FROM staff_accounts a"
                        + " WHERE a.studio_id = $1 AND lower(a.email) = lower($2) FOR UPDATE")
                .execute(Tuple.of(studioId, email))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    /** The account, or null; {@code lock} takes its row lock. */
    public Future<StaffAccount> account(SqlClient client, String studioId, String id, boolean lock) {
        return client.preparedQuery("SELECT " + ACCOUNT_COLUMNS + " FROM staff_accounts a"
                        + " WHERE a.studio_id = $1 AND a.id = $2" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    /** An active account's credentials by address, or null. */
    public Future<Credentials> credentials(SqlClient client, String studioId, String email) {
        return client.preparedQuery("SELECT " + ACCOUNT_COLUMNS + ", a.password_hash FROM staff_accounts a"
                        + " WHERE a.studio_id = $1 AND lower(a.email) = lower($2) AND a.status = 'active'")
                .execute(Tuple.of(studioId, email))
                .map(rows -> Rows.first(rows, row -> new Credentials(account(row), row.getString("password_hash"))));
    }

    /** Stores a new invited account. */
    public Future<StaffAccount> insertInvited(SqlClient client, String studioId, String id, String email, String name,
                                              Role role, Instant at) {
        return client.preparedQuery("INSERT INTO staff_accounts AS a (studio_id, id, email, name, role, status,"
                        + " created_at) VALUES ($1, $2, $3, $4, $5, 'invited', $6) RETURNING " + ACCOUNT_COLUMNS)
                .execute(Tuple.of(studioId, id, email, name, role.wireName(), Rows.timestamp(at)))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    /** An invited or disabled account invited again: its new role and name; it stays unable to sign in. */
    public Future<StaffAccount> reinvite(SqlClient client, String studioId, String id, String name, Role role) {
        return client.preparedQuery("UPDATE staff_accounts a SET role = $3, name = COALESCE($4, name),"
                        + " status = CASE WHEN status = 'active' THEN status ELSE 'invited' END"
                        + " WHERE a.studio_id = $1 AND a.id = $2 RETURNING " + ACCOUNT_COLUMNS)
                .execute(Tuple.of(studioId, id, role.wireName(), name))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    /** Sets the password (an accepted invitation): the account is active from now. */
    public Future<StaffAccount> activate(SqlClient client, String studioId, String id, String passwordHash,
                                         String name, Instant at) {
        return client.preparedQuery("UPDATE staff_accounts a SET password_hash = $3, name = COALESCE($4, name),"
                        + " status = 'active', activated_at = $5, disabled_at = NULL"
                        + " WHERE a.studio_id = $1 AND a.id = $2 RETURNING " + ACCOUNT_COLUMNS)
                .execute(Tuple.of(studioId, id, passwordHash, name, Rows.timestamp(at)))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    /** Replaces a password hash (the same password, hashed with newer parameters). */
    public Future<Void> rehash(SqlClient client, String studioId, String id, String oldHash, String newHash) {
        return client.preparedQuery("UPDATE staff_accounts SET password_hash = $4"
                        + " WHERE studio_id = $1 AND id = $2 AND password_hash = $3")
                .execute(Tuple.of(studioId, id, oldHash, newHash))
                .mapEmpty();
    }

    /** Disables the account (unless it is disabled already); the account as it is now. */
    public Future<StaffAccount> disable(SqlClient client, String studioId, String id, Instant at) {
        return client.preparedQuery("UPDATE staff_accounts a SET status = 'disabled',"
                        + " disabled_at = COALESCE(disabled_at, $3) WHERE a.studio_id = $1 AND a.id = $2"
                        + " RETURNING " + ACCOUNT_COLUMNS)
                .execute(Tuple.of(studioId, id, Rows.timestamp(at)))
                .map(rows -> Rows.first(rows, AccountRepository::account));
    }

    /** How many active owner accounts the studio has. */
    public Future<Integer> activeOwnerAccounts(SqlClient client, String studioId) {
        return client.preparedQuery("SELECT count(*)::int AS n FROM staff_accounts"
                        + " WHERE studio_id = $1 AND role = 'owner' AND status = 'active'")
                .execute(Tuple.of(studioId))
                .map(rows -> rows.iterator().next().getInteger("n"));
    }

    /** The studio's staff accounts, newest first. */
    public Future<ListPage<StaffAccount>> accounts(SqlClient client, String studioId, Long below, int limit) {
        return new ListQuery("SELECT " + ACCOUNT_COLUMNS + ", a.seq FROM staff_accounts a", "a", studioId)
                .run(client, below, limit)
                .map(rows -> ListPage.of(rows, limit, AccountRepository::account));
    }

    private static StaffAccount account(Row row) {
        return new StaffAccount(row.getString("id"), row.getString("email"), row.getString("name"),
                role(row.getString("role")), Status.valueOf(row.getString("status").toUpperCase(Locale.ROOT)),
                Rows.instant(row, "created_at"), Rows.instant(row, "activated_at"), Rows.instant(row, "disabled_at"));
    }

    private static Role role(String wire) {
        return Role.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    // Active members by address (athletes' sign-in links)

    /** The ids of the studio's members (not erased, not merged) with this address, any case; at most {@code max}. */
    public Future<List<String>> membersByEmail(SqlClient client, String studioId, String email, int max) {
        return client.preparedQuery("SELECT id FROM members WHERE studio_id = $1 AND lower(email) = lower($2)"
                        + " AND deleted_at IS NULL AND merged_into IS NULL ORDER BY seq LIMIT $3")
                .execute(Tuple.of(studioId, email, max))
                .map(rows -> Rows.all(rows, row -> row.getString("id")));
    }

    // One-time tokens

    /** Stores a token for an account (invitation) or a member (sign-in link). */
    public Future<Void> insertToken(SqlClient client, String studioId, byte[] hash, String kind, String accountId,
                                    String memberId, Instant at, Instant expiresAt) {
        return client.preparedQuery("INSERT INTO auth_tokens (studio_id, token_hash, kind, account_id, member_id,"
                        + " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.of(studioId, Buffer.buffer(hash), kind, accountId, memberId, Rows.timestamp(at))
                        .addValue(Rows.timestamp(expiresAt)))
                .mapEmpty();
    }

    /** Ends the account's unused invitations (a newer one replaces them; a disabled account has none). */
    public Future<Void> endInvitations(SqlClient client, String studioId, String accountId, Instant at) {
        return client.preparedQuery("UPDATE auth_tokens SET used_at = $3 WHERE studio_id = $1 AND account_id = $2"
                        + " AND used_at IS NULL")
                .execute(Tuple.of(studioId, accountId, Rows.timestamp(at)))
                .mapEmpty();
    }

    /**
     * Uses a token of this kind: marks it used and answers what it is for, or null when it is unknown, used or
     * expired. One statement, so two redemptions of the same token cannot both succeed.
     */
    public Future<TokenGrant> useToken(SqlClient client, String studioId, byte[] hash, String kind, Instant at) {
        return client.preparedQuery("UPDATE auth_tokens SET used_at = $4 WHERE studio_id = $1 AND token_hash = $2"
                        + " AND kind = $3 AND used_at IS NULL AND expires_at > $4 RETURNING account_id, member_id")
                .execute(Tuple.of(studioId, Buffer.buffer(hash), kind, Rows.timestamp(at)))
                .map(rows -> Rows.first(rows, row -> new TokenGrant(row.getString("account_id"),
                        row.getString("member_id"))));
    }

    // Sessions

    /** Stores a new session. */
    public Future<Void> insertSession(SqlClient client, String studioId, byte[] hash, String id, String accountId,
                                      String memberId, Role role, Instant at, Instant expiresAt) {
        return client.preparedQuery("INSERT INTO sessions (studio_id, token_hash, id, account_id, member_id, role,"
                        + " created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)")
                .execute(Tuple.of(studioId, Buffer.buffer(hash), id, accountId, memberId, role.wireName(),
                        Rows.timestamp(at)).addValue(Rows.timestamp(expiresAt)))
                .mapEmpty();
    }

    /**
     * The live session with this hash, or null: not revoked, not past its absolute expiry, seen since
     * {@code seenSince} (staff) or {@code athleteSeenSince} (athletes), and its person still able to sign in (an
     * active account, a member neither erased nor merged).
     */
    public Future<Session> liveSession(SqlClient client, String studioId, byte[] hash, Instant now,
                                       Instant seenSince, Instant athleteSeenSince) {
        return client.preparedQuery("SELECT x.id AS session_id, x.account_id, x.member_id, x.role AS session_role,"
                        + " x.created_at AS session_created_at, x.last_seen_at, x.expires_at,"
                        + " COALESCE(a.name, m.name) AS person_name, COALESCE(a.email, m.email) AS person_email, "
                        + StudioRepository.STUDIO_COLUMNS
                        + " FROM sessions x JOIN studios s ON s.id = x.studio_id"
                        + " LEFT JOIN staff_accounts a ON a.studio_id = x.studio_id AND a.id = x.account_id"
                        + " LEFT JOIN members m ON m.studio_id = x.studio_id AND m.id = x.member_id"
                        + " WHERE x.studio_id = $1 AND x.token_hash = $2 AND x.revoked_at IS NULL AND x.expires_at > $3"
                        + " AND x.last_seen_at > CASE WHEN x.role = 'athlete' THEN $5::timestamptz ELSE $4::timestamptz END"
                        + " AND (a.status = 'active' OR (m.deleted_at IS NULL AND m.merged_into IS NULL AND m.id IS NOT NULL))")
                .execute(Tuple.of(studioId, Buffer.buffer(hash), Rows.timestamp(now), Rows.timestamp(seenSince),
                        Rows.timestamp(athleteSeenSince)))
                .map(rows -> Rows.first(rows, row -> new Session(row.getString("session_id"), studioId,
                        row.getString("account_id"), row.getString("member_id"), role(row.getString("session_role")),
                        row.getString("person_name"), row.getString("person_email"),
                        Rows.instant(row, "session_created_at"), Rows.instant(row, "last_seen_at"),
                        Rows.instant(row, "expires_at"), StudioRepository.studio(row))));
    }

    /** Records that the session was used (never moves back): its idle time starts again. */
    public Future<Void> sessionSeen(SqlClient client, String studioId, String sessionId, Instant at) {
        return client.preparedQuery("UPDATE sessions SET last_seen_at = $3 WHERE studio_id = $1 AND id = $2"
                        + " AND last_seen_at < $3")
                .execute(Tuple.of(studioId, sessionId, Rows.timestamp(at)))
                .mapEmpty();
    }

    /** Ends one session. */
    public Future<Void> revokeSession(SqlClient client, String studioId, String sessionId, Instant at) {
        return client.preparedQuery("UPDATE sessions SET revoked_at = $3 WHERE studio_id = $1 AND id = $2"
                        + " AND revoked_at IS NULL")
                .execute(Tuple.of(studioId, sessionId, Rows.timestamp(at)))
                .mapEmpty();
    }

    /** Ends every session of a staff account (accountId) or a member (memberId); how many were live. */
    public Future<Integer> revokeSessionsOf(SqlClient client, String studioId, String accountId, String memberId,
                                            Instant at) {
        return client.preparedQuery("UPDATE sessions SET revoked_at = $4 WHERE studio_id = $1 AND revoked_at IS NULL"
                        + " AND (account_id = $2 OR member_id = $3)")
                .execute(Tuple.of(studioId, accountId, memberId, Rows.timestamp(at)))
                .map(rows -> rows.rowCount());
    }
}
