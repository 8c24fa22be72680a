package io.meshrpc.matchmaker.service.registry;

/**
 * The outcome of a registration.
 *
 * @param node the node as now stored
 * @param created {@code true} for a new registration (the node was absent, expired, or only known from the ring),
 *        {@code false} for a renewal of a live registration
 * @param revision the revision of the change, or the current one when the registration changed no membership
 */
public record RegisterResult(NodeRecord node, boolean created, long revision) {
}
