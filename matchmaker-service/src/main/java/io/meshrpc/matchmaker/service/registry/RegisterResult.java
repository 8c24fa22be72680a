package io.meshrpc.matchmaker.service.registry;

/**
 * The outcome of a registration.
 *
 * @param node the node as now stored
 * @param created {@code true} for a new registration (the node was absent, expired, or only known from the ring),
 *        {@code false} for a heartbeat of a live registration
 */
public record RegisterResult(NodeRecord node, boolean created) {
}
