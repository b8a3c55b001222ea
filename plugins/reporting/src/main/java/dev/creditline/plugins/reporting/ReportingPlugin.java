package dev.creditline.plugins.reporting;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginSetting;
import java.util.List;
import java.util.Map;

/** The plugin's entry point: builds its component on the host and registers the report routes. */
public final class ReportingPlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        ReportingComponent component = DaggerReportingComponent.factory().create(host);
        component.routes().register();
        return component.extensions();
    }

    /** Reports take their periods from each request: the plugin takes no settings. */
    @Override
    public List<PluginSetting> studioSettings() {
        return List.of();
    }
}
