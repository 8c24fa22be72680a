package io.meshrpc.metrics;

/** The {@code outcome} tag of {@code meshrpc.call.duration}. */
public enum CallOutcome {
    SUCCESS("success"),
    REMOTE_ERROR("remote-error"),
    TIMEOUT("timeout"),
    NO_ROUTE("no-route"),
    ERROR("error");

    private final String tag;

    CallOutcome(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
