package dev.creditline.kernel.plugins;

import dev.creditline.api.spi.RefundPolicy;
import dev.creditline.store.RefundPolicyPort;
import dev.creditline.store.StudioContext;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/** The studio's {@link RefundPolicy} (the first enabled), or the kernel's: unused credits at their cost basis. */
@Singleton
public final class PluginRefundPolicy implements RefundPolicyPort {
    private final Provider<PluginRuntime> runtime;
    private final ContainedCalls calls;

    @Inject
    public PluginRefundPolicy(Provider<PluginRuntime> runtime, ContainedCalls calls) {
        this.runtime = runtime;
        this.calls = calls;
    }

    @Override
    public Future<RefundPolicy.Quote> quote(StudioContext s, RefundPolicy.Purchase purchase) {
        var policies = runtime.get().forStudio(s.id(), RefundPolicy.class);
        if (policies.isEmpty()) {
            return UNUSED_AT_COST.quote(s, purchase);
        }
        var policy = policies.get(0);
        return policy.call("quote", p -> p.quote(purchase)).map(quote -> {
            if (quote == null || quote.amount() == null
                    || !quote.amount().currency().equals(purchase.paid().currency())
                    || quote.amount().minor() < 0 || quote.amount().minor() > purchase.paid().minor()) {
                throw calls.invalid(policy.pluginId(), "RefundPolicy.quote", "a refund of "
                        + (quote == null ? null : quote.amount()) + " for a purchase paid " + purchase.paid());
            }
            return quote;
        });
    }
}
