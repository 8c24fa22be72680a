package io.meshrpc.matchmaker.service.api;

import io.meshrpc.matchmaker.service.registry.NodeRecord;
import io.meshrpc.matchmaker.service.registry.NodeSource;

/**
 * A node's state as the API shows it. Only live nodes are shown: a registered node whose time to live passed is
 * gone from every answer, even before the sweep removes it.
 */
public enum NodeState {
    /** Registered, heartbeating within its time to live. */
    LIVE,
    /** From a ring import: no heartbeat, no time to live, taken as live (as the talk's ring file was). */
    STATIC;

    static NodeState of(NodeRecord node) {
        return node.source() == NodeSource.RING ? STATIC : LIVE;
    }
}
