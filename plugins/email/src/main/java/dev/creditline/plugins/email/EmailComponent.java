package dev.creditline.plugins.email;

import dagger.Binds;
import dagger.Component;
import dagger.Module;
import dagger.multibindings.ClassKey;
import dagger.multibindings.IntoMap;
import dev.creditline.api.spi.PluginHost;
import java.util.Map;

/** The plugin's graph, built on the kernel's host. */
@Component(dependencies = PluginHost.class, modules = EmailComponent.Extensions.class)
interface EmailComponent {

    Map<Class<?>, Object> extensions();

    @Component.Factory
    interface Factory {
        EmailComponent create(PluginHost host);
    }

    @Module
    abstract class Extensions {
        @Binds
        @IntoMap
        @ClassKey(EmailNotifier.class)
        abstract Object notifier(EmailNotifier notifier);
    }
}
