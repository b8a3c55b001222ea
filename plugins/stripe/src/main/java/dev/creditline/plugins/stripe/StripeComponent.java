package dev.creditline.plugins.stripe;

import dagger.Binds;
import dagger.Component;
import dagger.Module;
import dagger.multibindings.ClassKey;
import dagger.multibindings.IntoMap;
import dev.creditline.api.spi.PluginHost;
import jakarta.inject.Singleton;
import java.util.Map;

/** The plugin's graph, built on the kernel's host. */
@Singleton
@Component(dependencies = PluginHost.class, modules = StripeComponent.Extensions.class)
interface StripeComponent {

    Map<Class<?>, Object> extensions();

    StripeWebhooks webhooks();

    @Component.Factory
    interface Factory {
        StripeComponent create(PluginHost host);
    }

    @Module
    abstract class Extensions {
        @Binds
        @IntoMap
        @ClassKey(StripePayments.class)
        abstract Object payments(StripePayments payments);
    }
}
