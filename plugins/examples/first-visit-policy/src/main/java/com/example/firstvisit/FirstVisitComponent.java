package com.example.firstvisit;

import dagger.Binds;
import dagger.Component;
import dagger.Module;
import dagger.multibindings.ClassKey;
import dagger.multibindings.IntoMap;
import dev.creditline.api.spi.PluginHost;
import java.util.Map;

/**
 * The plugin's Dagger graph. It depends on the kernel's {@link PluginHost}: whatever the host provides (the ledger,
 * the plugin's settings, ...) can be injected into the plugin's classes.
 */
@Component(dependencies = PluginHost.class, modules = FirstVisitComponent.Extensions.class)
interface FirstVisitComponent {

    /** Every {@code @Extension} of the plugin, by its class: the kernel creates extensions from this map. */
    Map<Class<?>, Object> extensions();

    @Component.Factory
    interface Factory {
        FirstVisitComponent create(PluginHost host);
    }

    @Module
    abstract class Extensions {
        @Binds
        @IntoMap
        @ClassKey(FirstVisitPolicy.class)
        abstract Object policy(FirstVisitPolicy policy);
    }
}
