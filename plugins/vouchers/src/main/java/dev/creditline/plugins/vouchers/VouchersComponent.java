package dev.creditline.plugins.vouchers;

import dagger.Binds;
import dagger.Component;
import dagger.Module;
import dagger.multibindings.ClassKey;
import dagger.multibindings.IntoMap;
import dev.creditline.api.spi.PluginHost;
import java.util.Map;

/** The plugin's graph, built on the kernel's host. */
@Component(dependencies = PluginHost.class, modules = VouchersComponent.Extensions.class)
interface VouchersComponent {

    Map<Class<?>, Object> extensions();

    VoucherRoutes routes();

    @Component.Factory
    interface Factory {
        VouchersComponent create(PluginHost host);
    }

    @Module
    abstract class Extensions {
        @Binds
        @IntoMap
        @ClassKey(VoucherDiscounts.class)
        abstract Object discounts(VoucherDiscounts discounts);

        @Binds
        @IntoMap
        @ClassKey(VouchersPage.class)
        abstract Object page(VouchersPage page);
    }
}
