package dev.creditline.plugins.automations;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import java.util.Map;

/** The plugin's entry point: builds its component on the host and registers the automation routes. */
public final class AutomationsPlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        AutomationsComponent component = DaggerAutomationsComponent.factory().create(host);
        component.routes().register();
        return component.extensions();
    }
}
