package dev.creditline.plugins.refunds;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginSetting;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The plugin's entry point. A studio's settings: {@code fullRefundDays} (default 7), {@code feePercent} (default 1.5)
 * and {@code feeFixed} (default "0.25"), see {@link RefundTerms}.
 */
public final class RefundPolicyPlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        return DaggerRefundPolicyComponent.factory().create(host).extensions();
    }

    @Override
    public List<PluginSetting> studioSettings() {
        return RefundTerms.SETTINGS;
    }

    @Override
    public List<SettingProblem> validateSettings(JsonObject settings) {
        return RefundTerms.problems(settings);
    }
}
