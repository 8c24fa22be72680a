package io.meshrpc.metrics;

/** The {@code outcome} tag of {@code meshrpc.messages.sent}. */
public enum SentOutcome {
    /** The receiver (or the broker) accepted the message. */
    OK("ok"),
    /** The receiver answered that it refused the message. */
    REFUSED("refused"),
    /** No acknowledgement came within the ACK timeout. */
    NO_ACK("no-ack"),
    /** The message could not be sent: queue full, too many peers, transport stopped. */
    ERROR("error"),
    /** Larger than {@code meshrpc.max-message-bytes}; never left the node. */
    TOO_LARGE("too-large");

    private final String tag;

    SentOutcome(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
