package io.meshrpc.matchmaker.service.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.service.policy.PolicyService;
import io.meshrpc.matchmaker.service.registry.NodeRecord;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fleet views sized for dashboards at tens of thousands of nodes: one page of nodes at a time, searchable, and a
 * summary in numbers. {@code GET /api/v1/nodes} (every node) stays for older clients. Both answer the revision
 * they reflect in {@value MatchmakerProtocol#REVISION_HEADER} and in their body.
 */
@RestController
@RequestMapping("/api/v1/fleet")
public class FleetController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** Longer than any node id: such a search could match nothing. */
    static final int MAX_QUERY = 128;

    private final NodeRegistry registry;
    private final PolicyService policies;
    private final FleetSummaryCache summaries;
    private final Clock clock;

    FleetController(NodeRegistry registry, PolicyService policies, FleetSummaryCache summaries, Clock clock) {
        this.registry = registry;
        this.policies = policies;
        this.summaries = summaries;
        this.clock = clock;
    }

    /**
     * Live nodes by id, {@code limit} from {@code offset}, optionally only those whose id contains {@code q}
     * (ignoring case) and that serve {@code topic}. An empty {@code q} or {@code topic} is no filter.
     */
    @GetMapping("/nodes")
    public ResponseEntity<FleetNodesPage> nodes(@RequestParam(required = false) String offset,
                                                @RequestParam(required = false) String limit,
                                                @RequestParam(required = false) String q,
                                                @RequestParam(required = false) String topic) {
        List<Violation> violations = new ArrayList<>();
        int from = whole("offset", offset, 0, 0, Integer.MAX_VALUE, violations);
        int size = whole("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, violations);
        String search = blankToNull(q);
        if (search != null && search.length() > MAX_QUERY) {
            violations.add(new Violation("q", "q must be at most " + MAX_QUERY + " characters, was "
                    + search.length()));
        }
        String served = blankToNull(topic);
        if (served != null) {
            Checks.topic("topic", served, violations);
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        long revision = registry.revision(); // read first: the page reflects at least this one
        // a topic's members come from its index, without stats: the page's few nodes are read again with theirs
        List<NodeRecord> matching = served == null ? registry.live() : registry.live(served);
        if (search != null) {
            String needle = search.toLowerCase(Locale.ROOT);
            matching = matching.stream().filter(n -> n.nodeId().toLowerCase(Locale.ROOT).contains(needle)).toList();
        }
        List<NodeRecord> page = matching.subList(Math.min(from, matching.size()),
                (int) Math.min((long) from + size, matching.size()));
        List<NodeView> nodes = page.stream()
                .map(n -> served == null ? n : registry.find(n.nodeId()).orElse(n))
                .map(n -> NodeView.of(n, policies)).toList();
        return withRevision(revision,
                new FleetNodesPage(revision, clock.instant(), matching.size(), from, size, nodes));
    }

    /** The fleet in numbers; computed at most about once a second and shared by every caller meanwhile. */
    @GetMapping("/summary")
    public ResponseEntity<FleetSummaryView> summary() {
        FleetSummaryView summary = summaries.get();
        return withRevision(summary.revision(), summary);
    }

    private static <T> ResponseEntity<T> withRevision(long revision, T body) {
        return ResponseEntity.ok().header(MatchmakerProtocol.REVISION_HEADER, Long.toString(revision)).body(body);
    }

    /** A whole number in {@code [min, max]}, {@code fallback} when absent or empty. */
    private static int whole(String field, String text, int fallback, int min, int max, List<Violation> out) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= min && value <= max) {
                return (int) value;
            }
        } catch (NumberFormatException ex) {
            // reported below
        }
        out.add(new Violation(field, field + " must be a whole number in " + min + ".." + max + ", was '"
                + Checks.abbreviate(text) + "'"));
        return fallback;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
