package dev.creditline.plugins.stripe;

import com.stripe.StripeClient;
import dev.creditline.api.spi.ApiProblem;
import dev.creditline.api.spi.PluginHost;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A stripe-java client per studio settings (key and server), made once and kept while they stay the same. */
@Singleton
final class StripeClients {
    /** Milliseconds to connect and to read an answer; with one retry they stay within the kernel's limit. */
    static final int CONNECT_TIMEOUT = 3_000;
    static final int READ_TIMEOUT = 8_000;

    private final PluginHost host;
    private final Map<String, StripeClient> clients = new ConcurrentHashMap<>();

    @Inject
    StripeClients(PluginHost host) {
        this.host = host;
    }

    /** The studio's settings; fails (409) when the studio has not set its keys. */
    StripeSettings settings(String studioId) {
        StripeSettings settings = StripeSettings.of(host.settings().forStudio(studioId), host.settings().server());
        if (settings.secretKey() == null || settings.webhookSecret() == null) {
            throw ApiProblem.conflict("stripe_not_configured",
                    "the studio has no Stripe keys: PUT /v1/plugins/stripe with secretKey and webhookSecret");
        }
        return settings;
    }

    /** The client for the studio's key and server. */
    StripeClient client(String studioId) {
        StripeSettings s = settings(studioId);
        String base = s.apiBase();
        return clients.computeIfAbsent(s.secretKey() + "\u0000" + base, k -> {
            StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(s.secretKey())
                    .setConnectTimeout(CONNECT_TIMEOUT).setReadTimeout(READ_TIMEOUT).setMaxNetworkRetries(1);
            if (base != null) {
                builder.setApiBase(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
            }
            return builder.build();
        });
    }
}
