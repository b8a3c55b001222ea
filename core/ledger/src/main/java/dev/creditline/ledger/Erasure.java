package dev.creditline.ledger;

import dev.creditline.api.EntryType;
import dev.creditline.api.Lot;
import java.util.List;

/**
 * What erasing a member does to their credits: credits still open block it, unless the studio forfeits them (one
 * {@code forfeited} entry per lot). Expired lots have nothing to forfeit; the journal stays either way.
 */
public final class Erasure {

    private Erasure() {
    }

    /** The outcome: refused for open credits, or the entries that forfeit them (none when there are none). */
    public sealed interface Outcome permits CreditsOutstanding, Forfeited {
    }

    /** The member still holds credits and the studio did not say to forfeit them. */
    public record CreditsOutstanding(int credits) implements Outcome {
    }

    /** The credits forfeited ({@code credits}, counting an unlimited lot as one) and their entries. */
    public record Forfeited(List<EntryDraft> entries, int credits) implements Outcome {
    }

    /**
     * Decides on the member's book (its lots as read under the member's lock, at the erasure's time).
     *
     * @param forfeit   whether the studio forfeits open credits rather than be refused
     * @param actorName who erases, for the credit log
     */
    public static Outcome of(LotBook book, boolean forfeit, String actorName) {
        List<Lot> open = book.lots().stream().filter(lot -> !lot.isExpiredAt(book.now())).toList();
        int outstanding = open.stream().mapToInt(Lot::countedCredits).sum();
        if (outstanding > 0 && !forfeit) {
            return new CreditsOutstanding(outstanding);
        }
        return new Forfeited(Removal.drain(book, open, EntryType.FORFEITED, Descriptions.forfeited(actorName)),
                outstanding);
    }
}
