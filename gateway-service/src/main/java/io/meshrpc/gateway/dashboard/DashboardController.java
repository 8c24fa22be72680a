package io.meshrpc.gateway.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.meshrpc.api.Notifier;
import io.meshrpc.gateway.errors.InvalidRequestException;
import io.meshrpc.gateway.errors.Violation;
import io.meshrpc.gateway.events.EventFeed;
import io.meshrpc.gateway.events.EventFeedListener;
import io.meshrpc.gateway.events.FeedEvent;
import tools.jackson.databind.JsonNode;

/**
 * The JSON behind the migration dashboard ({@code /dashboard}): the matchmaker's fleet summary and
 * one page of nodes at a time (never the whole fleet), this gateway's live rates and the latest
 * events (notifications) it received, and policy changes forwarded to the matchmaker with the
 * gateway's token.
 */
@RestController
@RequestMapping("/api/v1/dashboard")
public class DashboardController {

    static final Set<String> SCOPES = Set.of("topics", "nodes");
    static final Set<String> POLICIES = Set.of("zmq", "amqp", "zmq-first");
    private static final Pattern TOPIC = Pattern.compile("[a-z0-9_.-]{1,64}");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");
    /** Events answered by default, and at most. */
    static final int EVENTS_DEFAULT = 50;
    static final int EVENTS_MAX = EventFeed.CAPACITY;
    static final String FEED_OFF = "The event feed is off: notifications reach the gateway through the broker, "
            + "and this gateway runs without one (meshrpc.amqp.enabled is not true)";

    private final MatchmakerAdmin matchmaker;
    private final RateSampler rates;
    private final DashboardProperties properties;
    private final String nodeId;
    private final EventFeed feed;
    private final boolean feedEnabled;

    public DashboardController(MatchmakerAdmin matchmaker, RateSampler rates, DashboardProperties properties,
                               @Value("${meshrpc.node-id:}") String nodeId, EventFeed feed,
                               ObjectProvider<EventFeedListener> feedListener) {
        this.matchmaker = matchmaker;
        this.rates = rates;
        this.properties = properties;
        this.nodeId = nodeId;
        this.feed = feed;
        this.feedEnabled = feedListener.getIfAvailable() != null;
    }

    /**
     * The latest events, newest first.
     *
     * @param enabled  whether this gateway listens (it has a broker)
     * @param topic    the notification topic listened to
     * @param pool     the gateway's listener pool
     * @param capacity events the gateway keeps
     * @param received events received since the gateway started
     * @param detail   why the feed is off; {@code null} when it is on
     * @param events   at most {@code limit}, most recently received first
     */
    public record Events(boolean enabled, String topic, String pool, int capacity, long received, String detail,
                         List<FeedEvent> events) {
    }

    /** The policy change body: {@code {"policy":"zmq-first"}}. */
    public record PolicyRequest(String policy) {
    }

    /** Rates of this gateway: {@code source} says whose, {@code points} oldest first. */
    public record Rates(String source, String nodeId, double sampleIntervalSeconds,
                       List<RateSampler.RatePoint> points) {
    }

    /** The fleet in numbers: per topic, per policy in force, traffic per transport (the matchmaker's summary). */
    @GetMapping("/summary")
    public FleetSummary summary() {
        return FleetSummary.of(matchmaker.summary());
    }

    /**
     * One page of the node table: {@code limit} nodes (1..500, default 50) from {@code offset}, by id, those whose
     * id contains {@code q} (ignoring case) and that serve {@code topic}. The matchmaker pages and searches.
     */
    @GetMapping("/nodes")
    public NodePage nodes(@RequestParam(required = false) String offset, @RequestParam(required = false) String limit,
                          @RequestParam(required = false) String q, @RequestParam(required = false) String topic) {
        return NodePage.of(matchmaker.nodes(offset, limit, q, topic));
    }

    @GetMapping("/rates")
    public Rates rates(@RequestParam(defaultValue = "0") long since) {
        return new Rates("this gateway's own meters (Micrometer); the fleet's shares come from the matchmaker",
                nodeId.isEmpty() ? null : nodeId, properties.sampleInterval().toMillis() / 1000.0, rates.points(since));
    }

    /** The latest {@code limit} events (1..200, default 50), newest first; an empty list when the feed is off. */
    @GetMapping("/events")
    public Events events(@RequestParam(required = false) String limit) {
        int n = eventsLimit(limit);
        if (!feedEnabled) {
            return new Events(false, Notifier.DEFAULT_TOPIC, EventFeedListener.POOL, EventFeed.CAPACITY,
                    0, FEED_OFF, List.of());
        }
        return new Events(true, Notifier.DEFAULT_TOPIC, EventFeedListener.POOL, EventFeed.CAPACITY,
                feed.received(), null, feed.latest(n));
    }

    private static int eventsLimit(String limit) {
        if (limit == null) {
            return EVENTS_DEFAULT;
        }
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException ex) {
            n = 0;
        }
        if (n < 1 || n > EVENTS_MAX) {
            String shown = limit.length() > 32 ? limit.substring(0, 31) + "…" : limit;
            throw new InvalidRequestException(List.of(new Violation("limit",
                    "limit must be an integer from 1 to " + EVENTS_MAX + ", was '" + shown + "'")));
        }
        return n;
    }

    @GetMapping("/config")
    public Map<String, Object> config() {
        return Map.of("matchmakerUrl", matchmaker.baseUrl(), "allowPolicyChanges", properties.allowPolicyChanges(),
                "scopes", List.of("topics", "nodes"), "policies", List.of("zmq-first", "zmq", "amqp"));
    }

    @PutMapping(path = "/policies/{scope}/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public JsonNode setPolicy(@PathVariable String scope, @PathVariable String name,
                              @RequestBody PolicyRequest request) {
        String policy = request == null ? null : request.policy();
        List<Violation> violations = check(scope, name);
        if (policy == null || !POLICIES.contains(policy)) {
            violations.add(new Violation("policy", "policy must be one of zmq-first, zmq, amqp, was "
                    + (policy == null ? "missing" : "'" + policy + "'")));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        allowed();
        return matchmaker.setPolicy(scope, name, policy);
    }

    @DeleteMapping("/policies/{scope}/{name}")
    public ResponseEntity<Void> clearPolicy(@PathVariable String scope, @PathVariable String name) {
        List<Violation> violations = check(scope, name);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        allowed();
        matchmaker.clearPolicy(scope, name);
        return ResponseEntity.noContent().build();
    }

    private void allowed() {
        if (!properties.allowPolicyChanges()) {
            throw new PolicyChangesDisabledException();
        }
    }

    private static List<Violation> check(String scope, String name) {
        List<Violation> violations = new ArrayList<>();
        if (!SCOPES.contains(scope)) {
            violations.add(new Violation("scope", "scope must be 'topics' or 'nodes', was '" + scope + "'"));
        } else if ("topics".equals(scope) && !TOPIC.matcher(name).matches()) {
            violations.add(new Violation("name", "topic '" + name + "' must match " + TOPIC.pattern()));
        } else if ("nodes".equals(scope) && !NODE_ID.matcher(name).matches()) {
            violations.add(new Violation("name", "node id '" + name + "' must match " + NODE_ID.pattern()));
        }
        return violations;
    }
}
