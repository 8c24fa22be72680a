package io.meshrpc.launcher.cluster;

import java.util.Locale;

/**
 * How a compute agent started by {@code bin/demo scale compute N --sick S} misbehaves, to show what the
 * gateway and the schedulers make of it; passed to the agent as {@code compute.build-fault}.
 */
public enum AgentSickness {
    /** A healthy agent. */
    NONE,
    /** Takes every build cast and never answers: each boot it gets waits out the gateway's build deadline. */
    DROP,
    /** Refuses every build as overloaded: each boot it gets is retried on another agent at once. */
    REFUSE;

    /** The name on the command line and in {@code compute.build-fault}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentSickness parse(String value) {
        for (AgentSickness s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--sick must be none, drop or refuse, was '" + value + "'");
    }
}
