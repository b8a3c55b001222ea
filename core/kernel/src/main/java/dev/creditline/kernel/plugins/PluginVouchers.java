package dev.creditline.kernel.plugins;

import dev.creditline.api.Money;
import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.VoucherRule;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import dev.creditline.store.VoucherPort;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.List;

/** The studio's {@link VoucherRule}s, asked in plugin order until one knows the code. */
@Singleton
public final class PluginVouchers implements VoucherPort {
    private final Provider<PluginRuntime> runtime;
    private final ContainedCalls calls;

    @Inject
    public PluginVouchers(Provider<PluginRuntime> runtime, ContainedCalls calls) {
        this.runtime = runtime;
        this.calls = calls;
    }

    @Override
    public Future<Money> apply(SqlConnection c, StudioContext s, String memberId, String productId, String purchaseId,
                               Money price, String code) {
        List<Extensions.Contained<VoucherRule>> rules = runtime.get().forStudio(s.id(), VoucherRule.class);
        if (rules.isEmpty()) {
            return NONE.apply(c, s, memberId, productId, purchaseId, price, code);
        }
        var application = new VoucherRule.Application(c, s.id(), memberId, productId, purchaseId, code, price,
                s.now());
        return ask(rules, 0, application);
    }

    private Future<Money> ask(List<Extensions.Contained<VoucherRule>> rules, int next,
                              VoucherRule.Application application) {
        if (next == rules.size()) {
            return Future.failedFuture(Rejection.invalid("voucherCode", "no voucher has this code"));
        }
        Extensions.Contained<VoucherRule> rule = rules.get(next);
        return rule.call("apply", r -> r.apply(application)).compose(effect -> {
            if (effect == null) {
                throw calls.invalid(rule.pluginId(), "VoucherRule.apply", "null instead of an optional effect");
            }
            if (effect.isEmpty()) {
                return ask(rules, next + 1, application);
            }
            VoucherRule.Effect e = effect.get();
            if (e.refusal() != null) {
                throw Rejection.refused("voucher_refused", "voucherCode", e.refusal());
            }
            Money price = application.price();
            if (e.price() == null || !e.price().currency().equals(price.currency()) || e.price().minor() < 0
                    || e.price().minor() > price.minor()) {
                throw calls.invalid(rule.pluginId(), "VoucherRule.apply",
                        "a price of " + e.price() + " for a product of " + price);
            }
            return Future.succeededFuture(e.price());
        });
    }
}
