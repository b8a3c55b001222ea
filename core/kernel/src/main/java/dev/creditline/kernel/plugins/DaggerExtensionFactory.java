package dev.creditline.kernel.plugins;

import dev.creditline.api.spi.CreditlinePlugin;
import java.util.function.Supplier;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginManager;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;

/**
 * Creates extensions through their plugin's Dagger component: PF4J asks for an {@code @Extension} class, the factory
 * finds the plugin that loaded it and returns the instance its component built. An extension the component does not
 * bind is an error (reported when the plugin starts).
 */
final class DaggerExtensionFactory implements ExtensionFactory {
    private final Supplier<PluginManager> manager;

    /** @param manager the manager, asked lazily: PF4J creates its factory while it is being constructed */
    DaggerExtensionFactory(Supplier<PluginManager> manager) {
        this.manager = manager;
    }

    @Override
    public <T> T create(Class<T> extensionClass) {
        PluginWrapper wrapper = manager.get().whichPlugin(extensionClass);
        if (wrapper == null || !(wrapper.getPlugin() instanceof CreditlinePlugin plugin)) {
            throw new PluginRuntimeException("extension {} does not belong to a Creditline plugin",
                    extensionClass.getName());
        }
        Object extension = plugin.extension(extensionClass);
        if (extension == null) {
            throw new PluginRuntimeException("plugin {} has no binding for its @Extension {}: add it to the map that "
                    + "createExtensions returns", wrapper.getPluginId(), extensionClass.getName());
        }
        return extensionClass.cast(extension);
    }
}
