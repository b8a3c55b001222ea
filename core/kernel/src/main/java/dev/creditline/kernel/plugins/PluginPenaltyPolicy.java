package dev.creditline.kernel.plugins;

import dev.creditline.api.spi.PenaltyPolicy;
import dev.creditline.store.PenaltyPolicyPort;
import dev.creditline.store.StudioContext;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/** The studio's {@link PenaltyPolicy} (the first enabled), or the kernel's: the studio's penalty setting. */
@Singleton
public final class PluginPenaltyPolicy implements PenaltyPolicyPort {
    private final Provider<PluginRuntime> runtime;
    private final ContainedCalls calls;

    @Inject
    public PluginPenaltyPolicy(Provider<PluginRuntime> runtime, ContainedCalls calls) {
        this.runtime = runtime;
        this.calls = calls;
    }

    @Override
    public boolean activeFor(String studioId) {
        return !runtime.get().forStudio(studioId, PenaltyPolicy.class).isEmpty();
    }

    @Override
    public Future<PenaltyPolicy.Penalty> penalty(StudioContext s, PenaltyPolicy.Case booking) {
        var policies = runtime.get().forStudio(s.id(), PenaltyPolicy.class);
        if (policies.isEmpty()) {
            return SETTING.penalty(s, booking);
        }
        var policy = policies.get(0);
        return policy.call("penalty", p -> p.penalty(booking)).map(penalty -> {
            if (penalty == null || penalty.forfeitCredits() < 0 || penalty.forfeitCredits() > booking.cost()
                    || penalty.free() && penalty.forfeitCredits() > 0) {
                throw calls.invalid(policy.pluginId(), "PenaltyPolicy.penalty", "a penalty of " + penalty
                        + " for a booking that cost " + booking.cost());
            }
            return penalty;
        });
    }
}
