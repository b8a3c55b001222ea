package com.example.firstvisit;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginSetting;
import java.util.List;
import java.util.Map;

/**
 * The plugin class named in the manifest ({@code Plugin-Class}). It builds the plugin's Dagger component on the
 * host the kernel gives it, and declares the one setting a studio may give it, which the kernel checks.
 */
public final class FirstVisitPlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        return DaggerFirstVisitComponent.factory().create(host).extensions();
    }

    @Override
    public List<PluginSetting> studioSettings() {
        return List.of(PluginSetting.integer(FirstVisitPolicy.MAX_VISITS,
                "how many bookings promotional credits pay for").between(1, 100).defaultValue(1));
    }
}
