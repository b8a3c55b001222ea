package dev.creditline.kernel.plugins;

import dev.creditline.api.spi.Extensions;
import dev.creditline.api.spi.PaymentProvider;
import dev.creditline.store.PaymentPort;
import dev.creditline.store.Rejection;
import dev.creditline.store.StudioContext;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The studio's {@link PaymentProvider}s, by the payment name each answers to. */
@Singleton
public final class PluginPayments implements PaymentPort {
    private final Provider<PluginRuntime> runtime;
    /**
     * A provider's calls go over the internet to its service, whose client has timeouts and retries of its own: they
     * get longer than the kernel's time limit for extensions, still bounded.
     */
    static final java.time.Duration PROVIDER_TIME_LIMIT = java.time.Duration.ofSeconds(20);

    private final ContainedCalls calls;
    private final Map<Object, String> names = new ConcurrentHashMap<>();

    @Inject
    public PluginPayments(Provider<PluginRuntime> runtime, ContainedCalls calls) {
        this.runtime = runtime;
        this.calls = calls;
    }

    /** The enabled provider answering to this payment name, or null. */
    private Extensions.Contained<PaymentProvider> find(StudioContext s, String provider) {
        PluginRuntime plugins = runtime.get();
        for (var found : plugins.extensions(PaymentProvider.class)) {
            if (plugins.enabledFor(s.id(), found.pluginId()) && provider.equals(name(found))) {
                return plugins.contain(found, PaymentProvider.class);
            }
        }
        return null;
    }

    /** A provider's payment name, asked once; a provider that cannot say is never offered. */
    private String name(PluginRuntime.Found<PaymentProvider> found) {
        return names.computeIfAbsent(found.extension(), ext -> {
            try {
                String id = found.extension().id();
                return id == null ? "" : id;
            } catch (RuntimeException e) {
                calls.invalid(found.pluginId(), "PaymentProvider.id", e.toString());
                return "";
            }
        });
    }

    @Override
    public boolean offers(StudioContext s, String provider) {
        return find(s, provider) != null;
    }

    @Override
    public Future<PaymentProvider.Checkout> checkout(StudioContext s, String provider,
                                                     PaymentProvider.CheckoutRequest request) {
        var found = find(s, provider);
        if (found == null) {
            return Future.failedFuture(Rejection.invalid("payment", "no payment provider " + provider));
        }
        return found.call("checkout", PROVIDER_TIME_LIMIT, p -> p.checkout(request)).map(checkout -> {
            if (checkout == null || checkout.checkoutUrl() == null || !isWebUrl(checkout.checkoutUrl())
                    || checkout.reference() == null || checkout.reference().isBlank()
                    || checkout.reference().length() > 200) {
                throw calls.invalid(found.pluginId(), "PaymentProvider.checkout",
                        "a checkout without an http(s) URL and a reference");
            }
            return checkout;
        });
    }

    @Override
    public Future<PaymentProvider.MoneyRefund> refund(StudioContext s, String provider,
                                                      PaymentProvider.MoneyRefundRequest request) {
        var found = find(s, provider);
        if (found == null) {
            return Future.failedFuture(Rejection.conflict("payment_provider_disabled", "the payment provider "
                    + provider + " of this purchase is not enabled for this studio"));
        }
        return found.call("refund", PROVIDER_TIME_LIMIT, p -> p.refund(request)).map(refund -> {
            if (refund == null || refund.amount() == null
                    || !refund.amount().currency().equals(request.amount().currency())
                    || refund.amount().minor() < 0 || refund.amount().minor() > request.amount().minor()) {
                throw calls.invalid(found.pluginId(), "PaymentProvider.refund",
                        "a refund of " + (refund == null ? null : refund.amount()) + " for " + request.amount());
            }
            return refund;
        });
    }

    @Override
    public Future<Void> cancelAtPeriodEnd(StudioContext s, String provider,
                                          PaymentProvider.SubscriptionCancel request) {
        var found = find(s, provider);
        if (found == null) {
            return Future.failedFuture(Rejection.conflict("payment_provider_disabled", "the payment provider "
                    + provider + " of this subscription is not enabled for this studio"));
        }
        return found.call("cancelAtPeriodEnd", PROVIDER_TIME_LIMIT, p -> p.cancelAtPeriodEnd(request));
    }

    private static boolean isWebUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
