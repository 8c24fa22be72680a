package io.meshrpc.matchmaker.service.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.meshrpc.matchmaker.service.MatchmakerProperties;
import io.meshrpc.matchmaker.service.registry.NodeRegistry;
import io.meshrpc.web.json.JsonInputErrors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

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

    /**
     * JSON tokens a legal ring can take: per entry a host, and per host at most an endpoint's name and value, plus a
     * name and two brackets per topic; beyond it the body is refused before it becomes a tree.
     */
    static final int MAX_TOKENS = 4 * RingParser.MAX_HOSTS + 16;

    private final NodeRegistry registry;
    private final JsonMapper json;
    private final int defaultPort;

    public RingController(NodeRegistry registry, JsonMapper json, MatchmakerProperties properties) {
        this.registry = registry;
        this.json = json;
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

    /**
     * Replaces the ring nodes with this ring; registered nodes are not touched. A ring may be far larger than any
     * other body ({@code meshrpc.http.max-body-size-by-path[/api/v1/ring]}), so its tokens are counted in one pass
     * that builds nothing before it is read as a tree: a body of many tiny values would else take many times its
     * size in heap before {@link RingParser#MAX_HOSTS} is checked.
     */
    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public RingImportView importRing(@RequestBody byte[] body) {
        RingParser.Ring ring = RingParser.parse(readTree(body), defaultPort);
        return RingImportView.of(registry.importRing(ring.topics(), ring.endpoints()));
    }

    /** The body as a tree, once its tokens are counted; a body that is no JSON is a 400 as for any other. */
    private JsonNode readTree(byte[] body) {
        try {
            checkTokenCount(body);
            return json.readTree(body);
        } catch (JacksonException ex) {
            JsonInputErrors error = JsonInputErrors.explain(ex);
            throw new InvalidInputException(error.field(), error.detail());
        }
    }

    private void checkTokenCount(byte[] body) {
        try (JsonParser parser = json.createParser(body)) {
            int tokens = 0;
            while (parser.nextToken() != null) {
                if (++tokens > MAX_TOKENS) {
                    throw new InvalidInputException("body", "a ring has at most " + RingParser.MAX_HOSTS
                            + " topic entries (" + MAX_TOKENS + " JSON tokens)");
                }
            }
        }
    }
}
