package dev.creditline.plugins.automations;

import dev.creditline.api.spi.LedgerEntry;
import dev.creditline.api.spi.LedgerListener;
import dev.creditline.api.spi.MemberEvent;
import dev.creditline.api.spi.MemberListener;
import dev.creditline.api.spi.ScheduledWork;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.pf4j.Extension;

/** What the kernel tells the engine: committed member events and journal entries, and the passing of time. */
final class Listeners {

    private Listeners() {
    }

    @Extension
    public static final class Members implements MemberListener {
        private final AutomationEngine engine;

        @Inject
        Members(AutomationEngine engine) {
            this.engine = engine;
        }

        @Override
        public Future<Void> onMemberEvents(List<MemberEvent> events) {
            return engine.onMemberEvents(events);
        }
    }

    @Extension
    public static final class Entries implements LedgerListener {
        private final AutomationEngine engine;

        @Inject
        Entries(AutomationEngine engine) {
            this.engine = engine;
        }

        @Override
        public Future<Void> onEntries(List<LedgerEntry> entries) {
            return engine.onEntries(entries);
        }
    }

    @Extension
    public static final class Schedule implements ScheduledWork {
        private final AutomationEngine engine;

        @Inject
        Schedule(AutomationEngine engine) {
            this.engine = engine;
        }

        @Override
        public Future<Void> runDue(String studioId, Instant now) {
            return engine.runDue(studioId, now);
        }
    }
}
