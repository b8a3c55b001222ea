package dev.creditline.plugins.trainerbound;

import dagger.Component;
import dev.creditline.api.spi.PluginHost;

/** The plugin's graph, built on the kernel's host. */
@Component(dependencies = PluginHost.class)
interface TrainerBoundComponent {

    Offboarding offboarding();

    @Component.Factory
    interface Factory {
        TrainerBoundComponent create(PluginHost host);
    }
}
