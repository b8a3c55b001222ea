package dev.creditline.plugins.reporting;

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
@Component(dependencies = PluginHost.class, modules = ReportingComponent.Extensions.class)
interface ReportingComponent {

    Map<Class<?>, Object> extensions();

    ReportingRoutes routes();

    @Component.Factory
    interface Factory {
        ReportingComponent create(PluginHost host);
    }

    @Module
    abstract class Extensions {
        @Binds
        @IntoMap
        @ClassKey(CreditsCsv.class)
        abstract Object credits(CreditsCsv credits);

        @Binds
        @IntoMap
        @ClassKey(MoneyPage.class)
        abstract Object page(MoneyPage page);
    }
}
