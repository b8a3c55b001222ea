package dev.creditline.plugins.stripe;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plugin's entry point: builds its component on the host and registers the webhook. A studio's settings are
 * {@code secretKey}, {@code webhookSecret} (both secrets), and optionally {@code apiBase}, {@code successUrl} and
 * {@code cancelUrl}.
 */
public final class StripePlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        StripeComponent component = DaggerStripeComponent.factory().create(host);
        component.webhooks().register();
        return component.extensions();
    }

    @Override
    public List<SettingProblem> validateSettings(JsonObject settings) {
        return StripeSettings.problems(settings);
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of("secretKey", "webhookSecret");
    }
}
