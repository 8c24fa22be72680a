package io.meshrpc.matchmaker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client of {@code matchmaker-service}: registers this node and heartbeats, and answers every look-up from a
 * view of the topics this node sends to, which the service keeps current through a watch (a long-poll that
 * answers as soon as one of those topics changes; {@code docs/matchmaker-api.md}).
 *
 * <ul>
 * <li>Only topics this node has used are watched: a topic is added by its first look-up
 *     ({@link #lookup}, {@link #node(String, String)}), which waits at most {@code first-lookup-timeout} for its
 *     snapshot, so that the first message to a topic does not fail for lack of a view. Later look-ups never
 *     wait.</li>
 * <li>Policies come from the same view: {@link #policy} and {@link #policyOverrides} know the overrides of the
 *     watched topics and of their members, and nothing else. {@link #node(String)}, without a topic, finds a node
 *     among the members of the watched topics.</li>
 * <li>While the service is unreachable the last view is served, and watches are retried with back-off (at most
 *     one heartbeat interval apart); {@link #cacheAge()} counts from the first failure. A service that lost what
 *     the node held (a restart, a Redis failover) answers with a full snapshot, which replaces it.</li>
 * <li>The full registration is sent once, then a heartbeat without body every third of the TTL, again in full
 *     when the service answers 404; traffic counts go on their own, when they changed.</li>
 * </ul>
 * Nothing starts in the constructor: watching starts with the first look-up, heartbeats with {@link #register}.
 */
public final class RestMatchmaker implements Matchmaker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RestMatchmaker.class);

    /** The first retry of a failed watch; they double from here up to a heartbeat interval. */
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);

    private final RestMatchmakerSettings settings;
    private final MatchmakerHttp http;
    private final TopicViews view = new TopicViews();
    private final Freshness freshness = new Freshness();
    private final ScheduledThreadPoolExecutor scheduler;
    private final WatchedTopics watched;
    private volatile Heartbeat heartbeat;
    private volatile boolean registered;

    public RestMatchmaker(RestMatchmakerSettings settings, JsonMapper mapper) {
        this.settings = settings;
        this.http = new MatchmakerHttp(settings.url(), settings.token(), mapper);
        // no thread until the first task: a pool's threads start with the work
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meshrpc-matchmaker-client");
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.watched = new WatchedTopics(view, settings.firstLookupTimeout(), () -> new TopicWatch(http, view,
                freshness, scheduler, MatchmakerProtocol.DEFAULT_WATCH_WAIT,
                new Backoff(FIRST_RETRY, settings.heartbeatInterval())));
    }

    /**
     * @param refreshInterval ignored: the view is watched, not refreshed ({@code docs/decisions.md})
     * @deprecated use {@link #RestMatchmaker(RestMatchmakerSettings, JsonMapper)}
     */
    @Deprecated
    public RestMatchmaker(String url, String token, Duration refreshInterval, Duration ttl, JsonMapper mapper) {
        this(RestMatchmakerSettings.of(url, token, ttl), mapper);
    }

    @Override
    public List<NodeRef> lookup(String topic) {
        watched.use(topic);
        return view.lookup(topic);
    }

    @Override
    public Optional<NodeRef> node(String topic, String nodeId) {
        watched.use(topic);
        return view.node(topic, nodeId);
    }

    /** A node among the members of the watched topics; use {@link #node(String, String)} when the topic is known. */
    @Override
    public Optional<NodeRef> node(String nodeId) {
        return view.node(nodeId);
    }

    /**
     * The delivery policy the matchmaker sets for {@code nodeId} on {@code topic}: the node's override, else the
     * topic's (the service's precedence). Known for watched topics only: a sender looks the topic up
     * before it resolves the policy, so the topic is watched by then.
     */
    @Override
    public Optional<DeliveryPolicy> policy(String nodeId, String topic) {
        return view.policy(nodeId, topic);
    }

    /** The overrides of the watched topics and of their members, not the whole fleet's. */
    @Override
    public PolicyOverrides policyOverrides() {
        return view.overrides();
    }

    @Override
    public Map<String, Long> viewRevisions() {
        return view.revisions();
    }

    /**
     * How long the view has not been known current: zero while the service answers (a watch waiting on it),
     * growing from the first failure while it does not; empty before it first answered. A node that watches no
     * topic yet goes by its heartbeats instead.
     */
    @Override
    public Optional<Duration> cacheAge() {
        return freshness.age();
    }

    @Override
    public void register(NodeRef node, Set<String> topics) {
        register(new Registration(node, topics, List.of("zmq"), Map::of));
    }

    @Override
    public void register(Registration registration) {
        if (registration.topics().isEmpty()) {
            log.info("Node {} serves no topic: not registered with the matchmaker (it only sends)",
                    registration.node().nodeId());
            registered = true;
            return;
        }
        Heartbeat beat = new Heartbeat(http, registration, settings, scheduler, new Heartbeat.Contact() {
            @Override
            public void answered() {
                if (watched.isEmpty()) {
                    freshness.answered();
                }
            }

            @Override
            public void failed() {
                if (watched.isEmpty()) {
                    freshness.failed();
                }
            }
        });
        Heartbeat previous = heartbeat;
        if (previous != null) { // registered again (new topics): one heartbeat per node
            previous.stop();
        }
        heartbeat = beat;
        beat.start();
    }

    @Override
    public void deregister(String nodeId) {
        Heartbeat beat = heartbeat;
        if (beat != null) {
            beat.stop();
        }
        registered = false;
        heartbeat = null;
        try {
            http.delete(MatchmakerProtocol.nodePath(nodeId));
        } catch (IOException ex) {
            log.warn("Matchmaker deregistration of {} failed ({}); it expires with its TTL", nodeId, ex.toString());
        }
    }

    /**
     * Whether the service holds this node's registration now: it accepted the registration or a heartbeat within
     * the last TTL. A node that serves no topic sends only and counts as registered.
     */
    @Override
    public boolean isRegistered() {
        Heartbeat beat = heartbeat;
        return registered || (beat != null && beat.registered());
    }

    @Override
    public void close() {
        watched.close();
        Heartbeat beat = heartbeat;
        if (beat != null) {
            beat.stop();
        }
        scheduler.shutdownNow();
    }
}
