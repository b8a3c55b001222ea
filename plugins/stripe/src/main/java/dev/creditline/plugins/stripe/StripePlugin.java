package dev.creditline.plugins.stripe;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginSetting;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The plugin's entry point: builds its component on the host and registers the webhook. A studio's settings are
 * {@code secretKey}, {@code webhookSecret} (both secrets), and optionally {@code successUrl} and {@code cancelUrl};
 * the operator's (the server's), {@code apiBase}. See {@link StripeSettings}.
 */
public final class StripePlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        StripeComponent component = DaggerStripeComponent.factory().create(host);
        component.webhooks().register();
        return component.extensions();
    }

    @Override
    public List<PluginSetting> studioSettings() {
        return StripeSettings.STUDIO;
    }

    @Override
    public List<PluginSetting> serverSettings() {
        return StripeSettings.SERVER;
    }

    @Override
    public List<SettingProblem> validateSettings(JsonObject settings) {
        return StripeSettings.problems(settings);
    }
}
