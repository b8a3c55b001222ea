package dev.creditline.plugins.refunds;

import dagger.Binds;
import dagger.Component;
import dagger.Module;
import dagger.multibindings.ClassKey;
import dagger.multibindings.IntoMap;
import dev.creditline.api.spi.PluginHost;
import java.util.Map;

/** The plugin's graph, built on the kernel's host. */
@Component(dependencies = PluginHost.class, modules = RefundPolicyComponent.Extensions.class)
interface RefundPolicyComponent {

    Map<Class<?>, Object> extensions();

    @Component.Factory
    interface Factory {
        RefundPolicyComponent create(PluginHost host);
    }

    @Module
    abstract class Extensions {
        @Binds
        @IntoMap
        @ClassKey(StandardRefunds.class)
        abstract Object refunds(StandardRefunds refunds);
    }
}
