package dev.creditline.store;

import dev.creditline.ledger.EntryDraft;
import dev.creditline.ledger.LotBook;
import dev.creditline.store.MemberRepository.Member;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.util.List;

/**
 * What every ledger transaction does the same way: lock the member, check an account's room, and write a book's lots
 * with the journal entries that record the change.
 */
public final class LedgerWrites {
    /** The most credits one account may hold: far above any studio's need, far below an overflow. */
    public static final int MAX_ACCOUNT_BALANCE = 1_000_000;

    private final MemberRepository members;
    private final LotRepository lots;
    private final JournalRepository journal;
    private final WriteFaults faults;

    @Inject
    public LedgerWrites(MemberRepository members, LotRepository lots, JournalRepository journal, WriteFaults faults) {
        this.members = members;
        this.lots = lots;
        this.journal = journal;
        this.faults = faults;
    }

    /** Locks a member whose credits may change; refuses unknown, erased and merged members. */
    public Future<Member> lockActive(SqlConnection c, StudioContext s, String memberId, String field) {
        return members.lock(c, s.id(), memberId).map(member -> requireActive(member, memberId, field));
    }

    /** The member, unless it is missing, erased or merged away (a refusal naming the field). */
    public static Member requireActive(Member member, String memberId, String field) {
        if (member == null || member.deletedAt() != null) {
            throw Rejection.notFound(field, "member", memberId);
        }
        if (member.mergedInto() != null) {
            throw Rejection.conflict("member_merged",
                    "member " + memberId + " was merged into " + member.mergedInto(), member.mergedInto());
        }
        return member;
    }

    /** Whether the account can take the increase without going past {@link #MAX_ACCOUNT_BALANCE}. */
    public static boolean hasRoom(LotBook book, String account, int increase) {
        return increase <= 0 || (long) book.balance(account) + increase <= MAX_ACCOUNT_BALANCE;
    }

    /** Refuses an increase that would take the account past {@link #MAX_ACCOUNT_BALANCE}. */
    public static void requireRoom(LotBook book, String account, int increase) {
        if (!hasRoom(book, account, increase)) {
            throw Rejection.conflict("balance_limit", "an account holds at most " + MAX_ACCOUNT_BALANCE
                    + " credits; this would take it to " + ((long) book.balance(account) + increase));
        }
    }

    /** Writes what a book changed and the entries that record it, all in one context. */
    public Future<Void> write(SqlConnection c, StudioContext s, LotBook book, List<EntryDraft> drafts,
                              JournalEntry.Context context) {
        return write(c, s, book, entries(drafts, context));
    }

    /** Writes what a book changed and the given entries. */
    public Future<Void> write(SqlConnection c, StudioContext s, LotBook book, List<JournalEntry> entries) {
        // Sent together, executed in order (new lots before the entries that name them): one round trip.
        Future<Void> lotsWritten = Future.all(lots.insert(c, s.id(), book.created()),
                lots.update(c, s.id(), book.changed())).compose(done -> faults.after("lots", c));
        Future<Void> journalWritten = journal.append(c, s.id(), entries).compose(done -> faults.after("journal", c));
        return Future.all(lotsWritten, journalWritten).mapEmpty();
    }

    /** The drafts as entries of one context. */
    public static List<JournalEntry> entries(List<EntryDraft> drafts, JournalEntry.Context context) {
        return drafts.stream().map(draft -> JournalEntry.of(draft, context)).toList();
    }

    /** The fault hook, for transactions that write more than lots and entries. */
    public Future<Void> after(String step, SqlConnection c) {
        return faults.after(step, c);
    }
}
