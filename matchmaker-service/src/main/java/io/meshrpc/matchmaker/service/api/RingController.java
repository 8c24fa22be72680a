package io.meshrpc.matchmaker.service.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.meshrpc.matchmaker.service.MatchmakerProperties;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;
import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Import and export of the talk's ring-file JSON. */
@RestController
@RequestMapping("/api/v1/ring")
public class RingController {

    private final NodeRegistry registry;
    private final int defaultPort;

    public RingController(NodeRegistry registry, MatchmakerProperties properties) {
        this.registry = registry;
        this.defaultPort = properties.ringDefaultPort();
    }

    /**
     * The live registry as a ring file: {@code {"scheduler": ["sched1", "sched2"]}}; with {@code endpoints=true} the
     * extended shape {@code {"topics": {...}, "endpoints": {...}}}.
     */
    @GetMapping
    public Map<String, ?> export(@RequestParam(defaultValue = "false") boolean endpoints) {
        if (!endpoints) {
            return registry.exportRing();
        }
        Map<String, Object> extended = new LinkedHashMap<>();
        extended.put("topics", registry.exportRing());
        extended.put("endpoints", registry.exportEndpoints());
        return extended;
    }

    /** Replaces the ring nodes with this ring; registered nodes are not touched. */
    @PutMapping
    public RingImportView importRing(@RequestBody JsonNode body) {
        RingParser.Ring ring = RingParser.parse(body, defaultPort);
        return RingImportView.of(registry.importRing(ring.topics(), ring.endpoints()));
    }
}
