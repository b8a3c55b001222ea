package dev.creditline.kernel.boot;

import java.net.BindException;

/** Where the server listens, and why it cannot: in words naming the setting to change. */
final class Listening {
    private Listening() {
    }

    /** {@code http://host:port}; every interface shows as the machine's own name for it. */
    static String address(String host, int port) {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port
                + (shown.equals(host) ? "" : " (every interface)");
    }

    /** A listener that could not bind, as a {@link ConfigException} when the operator's setting is at fault. */
    static Throwable refusal(String listener, String host, int port, String setting, Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof BindException)
                && !(cause.getMessage() != null && cause.getMessage().contains("Address already in use"))) {
            cause = cause.getCause();
        }
        if (cause == null) {
            return failure;
        }
        String why = cause.getMessage() != null && cause.getMessage().contains("in use")
                ? "is in use by another program" : "cannot be listened on (" + cause.getMessage() + ")";
        return new ConfigException("the " + listener + " port " + port + " on " + host + " " + why + "; choose"
                + " another with " + setting);
    }
}
