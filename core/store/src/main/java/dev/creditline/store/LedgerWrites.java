package dev.creditline.store;

import dev.creditline.ledger.AccountLimit;
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

    /** Refuses an increase that would take the account past {@link AccountLimit#MAX_BALANCE}. */
    public static void requireRoom(LotBook book, String account, int increase) {
        if (!AccountLimit.hasRoom(book, account, increase)) {
            throw noRoom(AccountLimit.after(book, account, increase));
        }
    }

    /** The refusal of an increase that would take an account to {@code wouldHold} credits, past the limit. */
    public static RuntimeException noRoom(long wouldHold) {
        return Rejection.conflict("balance_limit", "an account holds at most " + AccountLimit.MAX_BALANCE
                + " credits; this would take it to " + wouldHold);
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
