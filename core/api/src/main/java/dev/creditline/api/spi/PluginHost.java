package dev.creditline.api.spi;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * What the kernel gives a plugin: everything a plugin may use of it. Each plugin gets its own host; declare it as a
 * dependency of the plugin's Dagger component ({@code @Component(dependencies = PluginHost.class)}) and its services
 * can be injected into extensions.
 */
public interface PluginHost {

    /** The plugin's id, from its manifest. */
    String pluginId();

    /** The kernel's Vert.x: run blocking work with {@code executeBlocking}, never on an event loop. */
    Vertx vertx();

    /** The server's real clock. A studio's time (test clocks) comes from {@link LedgerService#studio}. */
    Clock clock();

    /** The kernel's metrics registry; name meters {@code creditline_<plugin>_...}. */
    MeterRegistry metrics();

    /** This plugin's per-studio enablement and settings. */
    PluginSettings settings();

    /** Ledger commands and queries. */
    LedgerService ledger();

    /** HTTP route registration and request helpers. */
    PluginHttp http();

    /** The plugin's own tables (its schema, migrated at start). */
    PluginDatabase database();

    /** Other plugins' extensions, for the studios that enabled them (an automation engine finds actions here). */
    Extensions extensions();

    /** Sends a notification through the studio's enabled {@link Notifier}s. */
    Notifications notifications();
}
