package io.meshrpc.launcher.ops;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.ServiceProcess;
import io.meshrpc.launcher.http.Http;
import tools.jackson.databind.JsonNode;

/**
 * Waits until policy changes are in force at every sender that matters: each live mesh node that watches a
 * changed topic reports for it (in {@code /actuator/meshrpc}, {@code matchmaker.revisions}) at least the revision
 * of the last change that concerns it. A node that does not watch a topic yet has never sent to it, and its first send
 * waits for a fresh snapshot, which has the change.
 */
final class PolicyInForce {

    private static final Duration POLL = Duration.ofMillis(20);

    private final Http http = new Http(Duration.ofSeconds(3));
    private final Duration timeout;

    PolicyInForce(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Returns once every sender of a topic holds the revision required for it; throws when that takes longer
     * than the timeout.
     *
     * @param required  topic to the revision its senders must hold
     * @param writtenAt when the changes were written ({@link System#nanoTime}), what {@link InForce#took} counts from
     */
    InForce await(ClusterState state, Map<String, Long> required, long writtenAt) {
        while (true) {
            Map<String, String> lagging = new TreeMap<>();
            int senders = 0;
            for (ServiceProcess node : state.meshNodes()) {
                if (!node.alive()) {
                    continue;
                }
                JsonNode revisions = revisions(node);
                if (revisions == null || revisions.isMissingNode()) {
                    lagging.put(node.name(), revisions == null ? "no answer from /actuator/meshrpc"
                            : "no matchmaker revisions in /actuator/meshrpc (a node older than this launcher?)");
                    continue;
                }
                boolean watches = false;
                for (Map.Entry<String, Long> topic : required.entrySet()) {
                    JsonNode held = revisions.get(topic.getKey());
                    if (held != null) {
                        watches = true;
                        if (held.asLong() < topic.getValue()) {
                            lagging.put(node.name(), topic.getKey() + " at " + held.asLong() + " < " + topic.getValue());
                        }
                    }
                }
                senders += watches ? 1 : 0;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - writtenAt);
            if (lagging.isEmpty()) {
                return new InForce(senders, took);
            }
            if (took.compareTo(timeout) > 0) {
                throw new IllegalStateException("policy changes " + required + " not in force after "
                        + timeout.toSeconds() + " s at " + lagging);
            }
            pause();
        }
    }

    private JsonNode revisions(ServiceProcess node) {
        try {
            Http.Reply reply = http.get(node.baseUrl() + "/actuator/meshrpc");
            return reply.ok() && reply.body() != null ? reply.body().path("matchmaker").path("revisions") : null;
        } catch (IOException ex) {
            return null;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis()); // polling other processes: nothing to be notified by
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a policy to be in force", ex);
        }
    }
}
