package dev.creditline.plugins.reporting;

import dev.creditline.api.spi.EntryNames;
import dev.creditline.api.spi.LedgerEntry;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The journal as RFC 4180 CSV: a header, then a line per entry, CRLF line ends, fields quoted where needed. The
 * names a person reads beside the ids (member, product of the account, the booking's scheduler) and the change of
 * held credits came later and follow the first columns, so that readers of those keep their positions.
 */
final class Csv {
    static final String HEADER = "at,entry,member,account,lot,type,delta,balance_after,description,reason,actor,"
            + "booking,purchase,member_name,product_name,scheduler,scheduler_name,held\r\n";

    private Csv() {
    }

    /** The lines of a batch of entries. */
    static Buffer lines(List<LedgerEntry> entries, EntryNames names) {
        StringBuilder out = new StringBuilder(entries.size() * 160);
        for (LedgerEntry e : entries) {
            out.append(e.at()).append(',').append(e.entryId()).append(',');
            field(out, e.memberId()).append(',');
            field(out, e.account()).append(',');
            field(out, e.lotId()).append(',');
            out.append(e.type().wireName()).append(',').append(e.delta()).append(',').append(e.balanceAfter())
                    .append(',');
            field(out, e.description()).append(',');
            field(out, e.reason()).append(',');
            field(out, e.actor()).append(',');
            field(out, e.bookingId()).append(',');
            field(out, e.purchaseId()).append(',');
            field(out, names.member(e)).append(',');
            field(out, names.product(e)).append(',');
            EntryNames.SchedulerRef scheduler = names.scheduler(e);
            field(out, scheduler == null ? null : scheduler.id()).append(',');
            field(out, scheduler == null ? null : scheduler.name()).append(',').append(e.held()).append("\r\n");
        }
        return Buffer.buffer(out.toString());
    }

    /** A field, quoted (with quotes doubled) when it holds a comma, a quote or a line break; empty for null. */
    static StringBuilder field(StringBuilder out, String value) {
        if (value == null) {
            return out;
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        if (!quote) {
            return out.append(value);
        }
        return out.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
}
