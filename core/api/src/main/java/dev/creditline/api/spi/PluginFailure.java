package dev.creditline.api.spi;

/**
 * An extension failed: it threw, did not answer within the time limit, or answered nonsense. The request it served
 * fails with HTTP 503 ({@code plugin_failed}) naming the plugin; nothing of the request is written.
 */
public final class PluginFailure extends RuntimeException {
    private final String pluginId;
    private final String operation;

    public PluginFailure(String pluginId, String operation, String message, Throwable cause) {
        super(message, cause);
        this.pluginId = pluginId;
        this.operation = operation;
    }

    /** The plugin whose extension failed. */
    public String pluginId() {
        return pluginId;
    }

    /** What it was asked to do, e.g. {@code CreditPolicy.decide}. */
    public String operation() {
        return operation;
    }
}
