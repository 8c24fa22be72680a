package io.meshrpc.transport;

/**
 * What a node answered to an incoming CAST or CALL, before dispatch. Transports turn it into an ACK
 * (accepted, duplicate) or a refusal the sender can read.
 */
public enum Acceptance {
    /** Queued for dispatch. */
    ACCEPTED(null, null),
    /** Already handled (its id is in the dedup window): acknowledged, not handled again. */
    DUPLICATE(null, null),
    /** The message names another server. */
    WRONG_NODE("meshrpc.WrongNode", "message addressed to another node"),
    /** No endpoint of this node serves the topic. */
    UNKNOWN_TOPIC("meshrpc.UnknownTopic", "topic not served by this node"),
    /** The dispatch queue is full. */
    OVERLOADED("meshrpc.Overloaded", "dispatch queue full"),
    /** The node is shutting down and accepts nothing new. */
    DRAINING("meshrpc.Draining", "node is shutting down");

    private final String errorType;
    private final String description;

    Acceptance(String errorType, String description) {
        this.errorType = errorType;
        this.description = description;
    }

    /** Whether the sender may consider the message delivered. */
    public boolean acknowledged() {
        return this == ACCEPTED || this == DUPLICATE;
    }

    /** The stable error name sent back with a refusal. */
    public String errorType() {
        return errorType;
    }

    public String description() {
        return description;
    }
}
