package dev.creditline.store;

/**
 * Who makes a change: written into every journal entry ("Set by Coach Anna").
 *
 * @param name the name shown in credit logs
 */
public record Actor(String name) {
    /** Changes the server makes by itself, such as expiry. */
    public static final Actor SYSTEM = new Actor("system");
}
