package dev.creditline.kernel.plugins;

import dev.creditline.api.spi.LedgerListener;
import dev.creditline.store.OutboxPolicy;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/** A studio's entries go to the outbox while it has a {@link LedgerListener} enabled. */
@Singleton
public final class PluginOutbox implements OutboxPolicy {
    private final Provider<PluginRuntime> runtime;

    @Inject
    public PluginOutbox(Provider<PluginRuntime> runtime) {
        this.runtime = runtime;
    }

    @Override
    public boolean wanted(String studioId) {
        return runtime.get().studioHas(studioId, LedgerListener.class);
    }

    @Override
    public boolean wantsMemberEvents(String studioId) {
        return runtime.get().studioHas(studioId, dev.creditline.api.spi.MemberListener.class);
    }
}
