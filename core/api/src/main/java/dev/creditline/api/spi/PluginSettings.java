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

    /**
     * The studio's settings for this plugin, with {@code ${env:NAME}} references resolved, secrets decrypted and the
     * declared defaults ({@link CreditlinePlugin#studioSettings()}) filled in where the studio left a setting out.
     */
    JsonObject forStudio(String studioId);

    /**
     * The server operator's settings for this plugin ({@code plugins.serverSettings.<id>} in the config file, checked
     * against {@link CreditlinePlugin#serverSettings()} at start), defaults filled in: the same for every studio, and
     * no studio can set or read them.
     */
    JsonObject server();
}
