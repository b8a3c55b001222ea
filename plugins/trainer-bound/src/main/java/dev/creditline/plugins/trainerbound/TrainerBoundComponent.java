package dev.creditline.plugins.trainerbound;

import dagger.Binds;
import dagger.Component;
import dagger.Module;
import dagger.multibindings.ClassKey;
import dagger.multibindings.IntoMap;
import dev.creditline.api.spi.PluginHost;
import java.util.Map;

/** The plugin's graph, built on the kernel's host. */
@Component(dependencies = PluginHost.class, modules = TrainerBoundComponent.Extensions.class)
interface TrainerBoundComponent {

    /** The extensions, by their class (what PF4J asks for). */
    Map<Class<?>, Object> extensions();

    Offboarding offboarding();

    @Component.Factory
    interface Factory {
        TrainerBoundComponent create(PluginHost host);
    }

    @Module
    abstract class Extensions {
        @Binds
        @IntoMap
        @ClassKey(TrainerPolicy.class)
        abstract Object policy(TrainerPolicy policy);
    }
}
