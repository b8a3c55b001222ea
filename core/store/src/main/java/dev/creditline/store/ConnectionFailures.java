package dev.creditline.store;

import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Telling a lost database (or connection) from a failure of the work itself. */
public final class ConnectionFailures {
    private ConnectionFailures() {
    }

    /**
     * Whether the failure means the database or its connection went away: the transaction's fate may be unknown (its
     * commit may have happened), rather than a bug.
     */
    public static boolean isConnectionLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClosedConnectionException || t instanceof IOException || t instanceof TimeoutException
                    || t.getClass().getName().startsWith("io.vertx.sqlclient")
                    || t.getClass().getName().contains("ConnectException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase();
        return message.contains("connection") || message.contains("timeout") || message.contains("timed out");
    }
}
