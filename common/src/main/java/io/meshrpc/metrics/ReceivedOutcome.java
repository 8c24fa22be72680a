package io.meshrpc.metrics;

/** The {@code outcome} tag of {@code meshrpc.messages.received}, as docs/metrics.md names them. */
public enum ReceivedOutcome {
    /** Dispatched and handled without error (a reply: matched to its waiting call). */
    HANDLED("handled"),
    /** Its id was already in the dedup window (a reply: no call was waiting for it). */
    DUPLICATE("duplicate"),
    /** Refused before dispatch: malformed, oversized, wrong node, unknown topic, overloaded. */
    REJECTED("rejected"),
    /** Dispatched, but the handler failed (unknown method, bad arguments, an exception). */
    ERROR("error");

    private final String tag;

    ReceivedOutcome(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
