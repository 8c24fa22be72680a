package io.meshrpc.api;

import java.util.Locale;

/**
 * The priority of a notification, oslo.messaging's seven. It is part of the routing key on the
 * broker ({@code <topic>.<priority>}), so a listener pool receives only the priorities it asks for.
 */
public enum Priority {
    AUDIT, DEBUG, INFO, WARN, ERROR, CRITICAL, SAMPLE;

    /** The name on the wire and in routing keys: lower case, as oslo writes it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The priority of a wire name ({@code info}, {@code warn}, ...); oslo's {@code warning} reads as WARN. */
    public static Priority fromWire(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return "WARNING".equals(upper) ? WARN : valueOf(upper);
    }
}
