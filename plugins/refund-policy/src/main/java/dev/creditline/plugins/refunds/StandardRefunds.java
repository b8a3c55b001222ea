package dev.creditline.plugins.refunds;

import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.RefundPolicy;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import org.pf4j.Extension;

/** The studio's refund terms applied to a purchase ({@link RefundTerms}). Computes only; changes nothing. */
@Extension
public final class StandardRefunds implements RefundPolicy {
    private final PluginHost host;

    @Inject
    StandardRefunds(PluginHost host) {
        this.host = host;
    }

    @Override
    public Future<Quote> quote(Purchase purchase) {
        return Future.succeededFuture(RefundTerms.of(host.settings().forStudio(purchase.studioId())).quote(purchase));
    }
}
