package dev.creditline.api.spi;

import java.util.List;

/** Extensions of the started plugins, as the kernel calls them: only those a studio enabled, contained. */
public interface Extensions {

    /**
     * The extensions of the given type whose plugins the studio enabled, each wrapped so that a failure, a hang or
     * a nonsense answer fails the call with a {@link PluginFailure} instead of affecting the caller further.
     */
    <T> List<Contained<T>> forStudio(String studioId, Class<T> type);

    /**
     * An extension with its plugin id, called through {@link #call}.
     *
     * @param <T> the extension point
     */
    interface Contained<T> {
        /** The id of the plugin that provides it. */
        String pluginId();

        /** Calls the extension with the kernel's time limit; failures become {@link PluginFailure}. */
        <R> io.vertx.core.Future<R> call(String operation, java.util.function.Function<T, io.vertx.core.Future<R>> call);

        /** Calls the extension with another time limit (a long export, say); failures become {@link PluginFailure}. */
        <R> io.vertx.core.Future<R> call(String operation, java.time.Duration timeLimit,
                                         java.util.function.Function<T, io.vertx.core.Future<R>> call);
    }
}
