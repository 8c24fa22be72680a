package io.meshrpc.matchmaker.service.policy;

/** What a policy override is keyed by. A node override wins over a topic override. */
public enum PolicyScope {
    /** Keyed by topic name. */
    TOPIC,
    /** Keyed by node id. */
    NODE
}
