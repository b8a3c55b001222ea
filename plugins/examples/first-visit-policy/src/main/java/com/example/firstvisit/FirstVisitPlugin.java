package com.example.firstvisit;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The plugin class named in the manifest ({@code Plugin-Class}). It builds the plugin's Dagger component on the
 * host the kernel gives it, and checks a studio's settings before the kernel stores them.
 */
public final class FirstVisitPlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        return DaggerFirstVisitComponent.factory().create(host).extensions();
    }

    @Override
    public List<SettingProblem> validateSettings(JsonObject settings) {
        Object visits = settings.getValue(FirstVisitPolicy.MAX_VISITS);
        if (visits != null && (!(visits instanceof Integer n) || n < 1 || n > 100)) {
            return List.of(new SettingProblem(FirstVisitPolicy.MAX_VISITS, "must be a whole number from 1 to 100"));
        }
        return List.of();
    }
}
