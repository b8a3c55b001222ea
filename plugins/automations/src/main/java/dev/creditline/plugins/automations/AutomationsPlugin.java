package dev.creditline.plugins.automations;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginSetting;
import java.util.List;
import java.util.Map;

/** The plugin's entry point: builds its component on the host and registers the automation routes. */
public final class AutomationsPlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        AutomationsComponent component = DaggerAutomationsComponent.factory().create(host);
        component.routes().register();
        return component.extensions();
    }

    /** Automations are defined through its API (/v1/automations), not in settings: it takes none. */
    @Override
    public List<PluginSetting> studioSettings() {
        return List.of();
    }
}
