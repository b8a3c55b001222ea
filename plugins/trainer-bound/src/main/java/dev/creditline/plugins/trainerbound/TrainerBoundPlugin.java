package dev.creditline.plugins.trainerbound;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginSetting;
import java.util.List;
import java.util.Map;

/** The plugin's entry point: builds its component on the host and registers the offboarding route. */
public final class TrainerBoundPlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        TrainerBoundComponent component = DaggerTrainerBoundComponent.factory().create(host);
        component.offboarding().register();
        // The kernel enforces a lot's trainer itself (wrong_trainer); the plugin adds the offboarding route only.
        return Map.of();
    }

    /** Each offboarding says what to do: the plugin takes no settings. */
    @Override
    public List<PluginSetting> studioSettings() {
        return List.of();
    }
}
