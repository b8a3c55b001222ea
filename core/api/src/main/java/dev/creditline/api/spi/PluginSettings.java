package dev.creditline.api.spi;

import io.vertx.core.json.JsonObject;

/**
 * A plugin's enablement and settings per studio, from config files and {@code PUT /v1/plugins/{id}}. Reads are served
 * from memory and follow changes made on any kernel node within seconds.
 */
public interface PluginSettings {

    /**
     * Whether the studio enabled this plugin. The kernel never calls an extension, nor routes an API request, for a
     * studio that did not; a webhook carries no API key, so a webhook handler checks this itself once it knows the
     * studio.
     */
    boolean enabledFor(String studioId);

    /** The studio's settings for this plugin, with {@code ${env:NAME}} references resolved; empty when none. */
    JsonObject forStudio(String studioId);
}
