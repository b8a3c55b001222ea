package dev.creditline.store;

/** PostgreSQL cannot be reached or refuses us; the message says what was tried and how to fix it, in one line. */
public final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
