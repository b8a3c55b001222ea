package dev.creditline.kernel.boot;

/** The configuration cannot be used; the message says which setting and why, in one line. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
