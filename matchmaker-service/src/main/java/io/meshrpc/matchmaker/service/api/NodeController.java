package io.meshrpc.matchmaker.service.api;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.meshrpc.matchmaker.protocol.MatchmakerProtocol;
import io.meshrpc.matchmaker.protocol.NodeRegistrationRequest;
import io.meshrpc.matchmaker.service.policy.PolicyService;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;
import io.meshrpc.matchmaker.service.registry.RegisterResult;
import io.meshrpc.matchmaker.service.registry.Registration;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registration, heartbeat, stats, deregistration, and the fleet view. Writes that change membership answer the
 * revision of their change in {@value MatchmakerProtocol#REVISION_HEADER}.
 */
@RestController
@RequestMapping("/api/v1/nodes")
public class NodeController {

    private final NodeRegistry registry;
    private final PolicyService policies;
    private final RegistrationValidator validator;
    private final Clock clock;

    public NodeController(NodeRegistry registry, PolicyService policies, RegistrationValidator validator, Clock clock) {
        this.registry = registry;
        this.policies = policies;
        this.validator = validator;
        this.clock = clock;
    }

    /** Registers (201) or renews (200): the body replaces the node's registration and renews its TTL. */
    @PutMapping("/{nodeId}")
    public ResponseEntity<NodeView> register(@PathVariable String nodeId, @RequestBody NodeRegistrationRequest body) {
        Registration registration = validator.validate(nodeId, body);
        RegisterResult result = registry.register(nodeId, registration);
        NodeView view = NodeView.of(result.node(), policies);
        ResponseEntity.BodyBuilder response = result.created()
                ? ResponseEntity.created(URI.create("/api/v1/nodes/" + nodeId)) : ResponseEntity.ok();
        return response.header(MatchmakerProtocol.REVISION_HEADER, Long.toString(result.revision())).body(view);
    }

    /** The small heartbeat: renews a live registration's TTL (204), or 404 so that the node registers again. */
    @PutMapping("/{nodeId}/heartbeat")
    public ResponseEntity<Void> heartbeat(@PathVariable String nodeId) {
        checkNodeId(nodeId);
        if (!registry.heartbeat(nodeId)) {
            throw unknownNode(nodeId);
        }
        return ResponseEntity.noContent().build();
    }

    /** A live node's traffic counts, apart from its membership: never moves the revision. */
    @PutMapping("/{nodeId}/stats")
    public ResponseEntity<Void> stats(@PathVariable String nodeId, @RequestBody Map<String, Object> body) {
        checkNodeId(nodeId);
        validator.checkStats(body);
        if (!registry.reportStats(nodeId, body)) {
            throw unknownNode(nodeId);
        }
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{nodeId}")
    public ResponseEntity<Void> deregister(@PathVariable String nodeId) {
        checkNodeId(nodeId);
        OptionalLong revision = registry.deregister(nodeId);
        if (revision.isEmpty()) {
            throw unknownNode(nodeId);
        }
        return ResponseEntity.noContent()
                .header(MatchmakerProtocol.REVISION_HEADER, Long.toString(revision.getAsLong())).build();
    }

    @GetMapping
    public FleetView fleet() {
        List<NodeView> nodes = registry.live().stream().map(n -> NodeView.of(n, policies)).toList();
        return new FleetView(clock.instant(), nodes.size(), nodes);
    }

    @GetMapping("/{nodeId}")
    public NodeView node(@PathVariable String nodeId) {
        checkNodeId(nodeId);
        return registry.find(nodeId).map(n -> NodeView.of(n, policies)).orElseThrow(() -> unknownNode(nodeId));
    }

    static void checkNodeId(String nodeId) {
        List<Violation> violations = new ArrayList<>(1);
        Checks.nodeId("nodeId", nodeId, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }

    private static NotFoundException unknownNode(String nodeId) {
        return new NotFoundException("nodeId", "no live node '" + nodeId + "'");
    }
}
