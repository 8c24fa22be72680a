package io.meshrpc.matchmaker.protocol;

import java.time.Duration;

/** Paths, headers and limits of the matchmaker's REST protocol, declared once for the service and its clients. */
public final class MatchmakerProtocol {

    /** What a topic name may be, on both sides. */
    public static final String TOPIC_PATTERN = "[a-z0-9_.-]{1,64}";

    /** Header on every read (the revision it reflects) and every write (the revision of its change). */
    public static final String REVISION_HEADER = "X-Meshrpc-Revision";

    /** The blocking query on topics' members and policies. */
    public static final String WATCH_PATH = "/api/v1/watch";

    /** A watch waits this long when it names no {@code wait}. */
    public static final Duration DEFAULT_WATCH_WAIT = Duration.ofSeconds(60);

    /** The longest {@code wait} a watch may ask for. */
    public static final Duration MAX_WATCH_WAIT = Duration.ofMinutes(5);

    /** The most topics one watch may name. */
    public static final int MAX_WATCH_TOPICS = 256;

    /** The most bytes of JSON a node's stats may take. */
    public static final int MAX_STATS_BYTES = 16 * 1024;

    private MatchmakerProtocol() {
    }

    /** {@code /api/v1/nodes/{nodeId}}. */
    public static String nodePath(String nodeId) {
        return "/api/v1/nodes/" + nodeId;
    }

    /** {@code /api/v1/nodes/{nodeId}/heartbeat}: renews a registration, no body. */
    public static String heartbeatPath(String nodeId) {
        return nodePath(nodeId) + "/heartbeat";
    }

    /** {@code /api/v1/nodes/{nodeId}/stats}: a node's traffic counts, apart from its membership. */
    public static String statsPath(String nodeId) {
        return nodePath(nodeId) + "/stats";
    }

    /** The {@code wait} parameter for a duration: whole milliseconds. */
    public static String waitParameter(Duration wait) {
        return wait.toMillis() + "ms";
    }
}
