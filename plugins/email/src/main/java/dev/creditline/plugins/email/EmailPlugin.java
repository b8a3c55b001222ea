package dev.creditline.plugins.email;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginSetting;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The plugin's entry point. A studio's settings are its SMTP server's; the operator's limit which SMTP servers a
 * studio may name ({@link SmtpSettings}, {@link SmtpTargets}).
 */
public final class EmailPlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        return DaggerEmailComponent.factory().create(host).extensions();
    }

    @Override
    public List<SettingProblem> validateSettings(JsonObject settings) {
        return SmtpSettings.problems(settings, SmtpTargets.of(host() == null ? null : host().settings().server()));
    }

    @Override
    public List<PluginSetting> studioSettings() {
        return SmtpSettings.SETTINGS;
    }

    @Override
    public List<PluginSetting> serverSettings() {
        return SmtpSettings.SERVER;
    }

    @Override
    public List<SettingProblem> validateServerSettings(JsonObject settings) {
        return SmtpSettings.serverProblems(settings);
    }
}
