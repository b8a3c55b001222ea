package dev.creditline.store;

import dev.creditline.store.citus.Distribution;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Members (athletes) of a studio. */
public final class MemberRepository {

    /**
     * A member. After erasure the personal fields are null and {@code deletedAt} is set; after a merge
     * {@code mergedInto} names the member that took over the lots.
     *
     * @param seq the listing order (creation order), used as the list cursor
     */
    public record Member(String id, long seq, String name, String email, String externalId, List<String> tags,
                         Instant createdAt, Instant updatedAt, Instant deletedAt, String mergedInto) {

        public Member {
            tags = List.copyOf(tags);
        }

        /** Whether credits may still change: not erased and not merged away. */
        public boolean active() {
            return deletedAt == null && mergedInto == null;
        }
    }

    /** A page of members. */
    public record Page(List<Member> items, Long next) {
    }

    private static final String COLUMNS =
            "id, seq, name, email, external_id, tags, created_at, updated_at, deleted_at, merged_into";

    private final Distribution distribution;

    @Inject
    public MemberRepository(Distribution distribution) {
        this.distribution = distribution;
    }

    /** Stores a new member; its {@code seq} is assigned by the database and returned. */
    public Future<Member> insert(SqlClient client, String studioId, Member member) {
        return client.preparedQuery("INSERT INTO members (studio_id, id, name, email, external_id, tags, created_at,"
                        + " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING " + COLUMNS)
                .execute(Tuple.of(studioId, member.id(), member.name(), member.email(), member.externalId(),
                        member.tags().toArray(String[]::new)).addValue(Rows.timestamp(member.createdAt())))
                .map(rows -> Rows.first(rows, MemberRepository::member));
    }

    /** The member, or null. */
    public Future<Member> find(SqlClient client, String studioId, String id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM members WHERE studio_id = $1 AND id = $2")
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, MemberRepository::member));
    }

    /**
     * The member, locked: every change of a member's credits holds this lock, so they apply one after another.
     * Null when there is no such member.
     */
    public Future<Member> lock(SqlClient client, String studioId, String id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM members WHERE studio_id = $1 AND id = $2 FOR UPDATE")
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.first(rows, MemberRepository::member));
    }

    /**
     * The given members that exist, locked as {@link #lock} does, in id order by code point (the order a merge locks
     * its two members in, so that lockers never deadlock).
     */
    public Future<List<Member>> lockAll(SqlClient client, String studioId, Collection<String> ids) {
        // One primary-key lookup per id, in order: whatever the planner believes of the studio's size, it cannot
        // lock by scanning the studio (see LotRepository).
        return client.preparedQuery("SELECT m.* FROM unnest($2::text[]) WITH ORDINALITY AS want(id, n), LATERAL"
                        + " (SELECT " + COLUMNS + " FROM members WHERE studio_id = $1 AND id = want.id FOR UPDATE) m"
                        + " ORDER BY want.n")
                .execute(Rows.args(studioId, ids.stream().distinct().sorted().toArray(String[]::new)))
                .map(rows -> Rows.all(rows, MemberRepository::member));
    }

    /**
     * Locks members of several studios for a change of their credits, in {@link ScopedId} order (the same order for
     * every transaction that locks more than one member): each one found, by its studio and id.
     */
    public Future<Map<ScopedId, Member>> lockAll(SqlClient client, Collection<ScopedId> ids) {
        List<ScopedId> wanted = ScopedId.sorted(ids);
        return client.preparedQuery("SELECT want.studio_id AS of_studio, m.* FROM unnest($1::text[], $2::text[])"
                        + " WITH ORDINALITY AS want(studio_id, id, n), LATERAL (SELECT " + COLUMNS + " FROM members"
                        + " WHERE "
                        + distribution.batchShard("studio_id")
                        + "studio_id = want.studio_id AND id = want.id FOR UPDATE) m"
                        + " ORDER BY want.n")
                .execute(ScopedId.args(wanted))
                .map(rows -> ScopedId.byId(rows, "id", MemberRepository::member));
    }

    /**
     * Locks the members holding these bookings (of any studios) for a cancellation, in {@link ScopedId} order as
     * {@link #lockAll(SqlClient, Collection)} does; each found by its studio and id. A booking not found has none.
     */
    public Future<Map<ScopedId, Member>> lockOfBookings(SqlClient client, Collection<ScopedId> bookingIds) {
        return lockHolders(client, "bookings", bookingIds);
    }

    /** Locks the members holding these purchases (of any studios), as {@link #lockOfBookings} does. */
    public Future<Map<ScopedId, Member>> lockOfPurchases(SqlClient client, Collection<ScopedId> purchaseIds) {
        return lockHolders(client, "purchases", purchaseIds);
    }

    /** @param table a table of rows held by a member ({@code studio_id}, {@code id}, {@code member_id}) */
    private Future<Map<ScopedId, Member>> lockHolders(SqlClient client, String table, Collection<ScopedId> ids) {
        // Collation "C" orders as ScopedId (Java's String order for these ASCII ids): the same lock order everywhere.
        return client.preparedQuery("SELECT w.studio_id AS of_studio, m.* FROM (SELECT * FROM (SELECT DISTINCT"
                        + " h.studio_id, h.member_id FROM unnest($1::text[], $2::text[]) AS want(studio_id, id),"
                        + " LATERAL (SELECT studio_id, member_id FROM " + table + " WHERE "
                        + distribution.batchShard("studio_id")
                        + "studio_id = want.studio_id AND id = want.id OFFSET 0) h) d"
                        + " ORDER BY studio_id COLLATE \"C\", member_id COLLATE \"C\") w, LATERAL (SELECT " + COLUMNS
                        + " FROM members WHERE "
                        + distribution.batchShard("studio_id") + "studio_id = w.studio_id AND id = w.member_id"
                        + " FOR UPDATE) m")
                .execute(ScopedId.args(ScopedId.sorted(ids)))
                .map(rows -> ScopedId.byId(rows, "id", MemberRepository::member));
    }

    /** The member with this external id, or null. */
    public Future<Member> findByExternalId(SqlClient client, String studioId, String externalId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM members WHERE studio_id = $1 AND external_id = $2")
                .execute(Tuple.of(studioId, externalId))
                .map(rows -> Rows.first(rows, MemberRepository::member));
    }

    public Future<Member> update(SqlClient client, String studioId, Member member) {
        return client.preparedQuery("""
                        UPDATE members SET name = $3, email = $4, external_id = $5, tags = $6, updated_at = $7,
                            deleted_at = $8, merged_into = $9
                        WHERE studio_id = $1 AND id = $2 RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(studioId, member.id(), member.name(), member.email(), member.externalId(),
                                member.tags().toArray(String[]::new))
                        .addValue(Rows.timestamp(member.updatedAt()))
                        .addValue(Rows.timestamp(member.deletedAt()))
                        .addValue(member.mergedInto()))
                .map(rows -> Rows.first(rows, MemberRepository::member));
    }

    /** Active members in creation order, optionally with a tag, after the cursor. */
    public Future<Page> list(SqlClient client, String studioId, String tag, long after, int limit) {
        return list(client, studioId, tag, null, after, limit);
    }

    /**
     * Active members in creation order, optionally with a tag and whose name or email contains {@code text} (case
     * insensitive: what a coach types into a search box), after the cursor.
     */
    public Future<Page> list(SqlClient client, String studioId, String tag, String text, long after, int limit) {
        Tuple args = Tuple.of(studioId, after, limit + 1);
        StringBuilder filter = new StringBuilder();
        if (tag != null) {
            args.addValue(tag);
            filter.append(" AND tags @> ARRAY[$").append(args.size()).append("]::text[]");
        }
        boolean trigram = text != null && hasTrigram(text);
        if (trigram) {
            // The trigram index members_search (V13) serves it. LIKE's wildcards in what was typed are literal.
            args.addValue("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            filter.append(" AND (name ILIKE $").append(args.size()).append(" OR email ILIKE $").append(args.size())
                    .append(")");
        } else if (text != null) {
            // No trigram in it: as an ILIKE the planner may still give it to the trigram index (a cached statement's
            // generic plan does), which then reads every entry of every studio (200 ms on 500,000 members). No index
            // serves this form: it reads the studio in list order and stops at a full page. lower() on both sides is
            // how ILIKE ignores case.
            args.addValue(text);
            filter.append(" AND (strpos(lower(name), lower($").append(args.size())
                    .append(")) > 0 OR strpos(lower(email), lower($").append(args.size()).append(")) > 0)");
        }
        // Planned for its text: a text many members contain is read fastest in list order up to a full page, a rare
        // one from the trigram index; one generic plan would read 1,000 matches of a common name from the index.
        return client.preparedQuery((trigram ? Statements.PLANNED_PER_CALL : "") + "SELECT " + COLUMNS
                        + " FROM members WHERE studio_id = $1 AND seq > $2 AND deleted_at IS NULL"
                        + " AND merged_into IS NULL" + filter + " ORDER BY seq LIMIT $3")
                .execute(args)
                .map(rows -> {
                    List<Member> members = Rows.all(rows, MemberRepository::member);
                    if (members.size() > limit) {
                        List<Member> page = members.subList(0, limit);
                        return new Page(List.copyOf(page), page.get(limit - 1).seq());
                    }
                    return new Page(members, null);
                });
    }

    /**
     * Whether pg_trgm finds a trigram in a search for the text: it does in three letters or digits in a row (it splits
     * the text into words of letters and digits). Without one, a trigram index matches every entry.
     */
    static boolean hasTrigram(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            run = Character.isLetterOrDigit(text.codePointAt(i)) ? run + 1 : 0;
            if (run == 3) {
                return true;
            }
        }
        return false;
    }

    /** The member and every member merged into it, directly or through others. */
    public Future<List<String>> withMerged(SqlClient client, String studioId, String id) {
        return client.preparedQuery("""
                        WITH RECURSIVE merged(id) AS (
                            SELECT $2::text
                            UNION
                            SELECT m.id FROM members m JOIN merged ON m.merged_into = merged.id WHERE m.studio_id = $1
                        ) SELECT id FROM merged""")
                .execute(Tuple.of(studioId, id))
                .map(rows -> Rows.all(rows, row -> row.getString("id")));
    }

    private static Member member(Row row) {
        String[] tags = row.getArrayOfStrings("tags");
        return new Member(row.getString("id"), row.getLong("seq"), row.getString("name"), row.getString("email"),
                row.getString("external_id"), tags == null ? List.of() : List.of(tags),
                Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"), Rows.instant(row, "deleted_at"),
                row.getString("merged_into"));
    }
}
