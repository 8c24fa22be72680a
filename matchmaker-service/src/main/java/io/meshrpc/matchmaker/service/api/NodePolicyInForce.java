package io.meshrpc.matchmaker.service.api;

import java.util.Map;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;

/**
 * The matchmaker's policy overrides that apply to one node.
 *
 * @param node the node's own override, or {@code null}
 * @param topics per topic of the node, the override in force (the node's, else the topic's); a topic left out has
 *        none, and the node's own configuration ({@code meshrpc.routing.*}) decides
 */
public record NodePolicyInForce(DeliveryPolicy node, Map<String, DeliveryPolicy> topics) {
}
