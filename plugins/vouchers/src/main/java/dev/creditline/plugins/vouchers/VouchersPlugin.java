package dev.creditline.plugins.vouchers;

import dev.creditline.api.spi.CreditlinePlugin;
import dev.creditline.api.spi.PluginHost;
import dev.creditline.api.spi.PluginSetting;
import java.util.List;
import java.util.Map;

/** The plugin's entry point: builds its component on the host and registers the voucher routes. */
public final class VouchersPlugin extends CreditlinePlugin {

    @Override
    protected Map<Class<?>, Object> createExtensions(PluginHost host) {
        VouchersComponent component = DaggerVouchersComponent.factory().create(host);
        component.routes().register();
        return component.extensions();
    }

    /** Vouchers are made through its API (/v1/vouchers): it takes no settings. */
    @Override
    public List<PluginSetting> studioSettings() {
        return List.of();
    }
}
