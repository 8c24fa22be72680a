package io.meshrpc.transport;

import io.meshrpc.matchmaker.NodeRef;

/**
 * Where one message goes, as the router decided it. A brokerless transport carries
 * {@link ToNode} only (it needs the node's endpoint); a broker transport carries all three.
 */
public sealed interface Route {

    /** The topic the message is on. */
    String topic();

    /**
     * To one node: its receiver over ZeroMQ, or its own queue on the broker.
     *
     * @param node the node; its endpoint is null when only the broker can reach it
     */
    record ToNode(String topic, NodeRef node) implements Route {
    }

    /** To the topic's shared broker queue, where any one node of the topic takes it. */
    record ToTopic(String topic) implements Route {
    }

    /** To every node of the topic through the broker's fanout exchange. */
    record Fanout(String topic) implements Route {
    }
}
