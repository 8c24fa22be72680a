package io.meshrpc.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code docs/grafana/meshrpc.json} without a Grafana: it has what Grafana's import needs, every panel asks the
 * data source chosen in the dashboard's variable, and every PromQL query refers only to series that
 * {@code docs/metrics.md} documents (by Micrometer's Prometheus naming), filtered only by labels those series
 * carry (a matcher on a label the series lacks selects nothing: the panel stays empty).
 */
class GrafanaDashboardTest {

    static final String FILE = "docs/grafana/meshrpc.json";
    private static final String DATASOURCE_VARIABLE = "datasource";
    private static final Set<String> DATASOURCE_REFS = Set.of("${datasource}", "$datasource");
    private static final Pattern INPUT_REF = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    /** Meters the dashboard may use that {@code docs/metrics.md} does not list; each needs a reason here. */
    private static final List<DocumentedMeters.Meter> DOCUMENTED_ELSEWHERE = List.of();

    private static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(Repo.read(FILE));
        } catch (Exception ex) {
            throw new AssertionError(FILE + " is not JSON: " + ex.getMessage(), ex);
        }
    }

    /** Every panel, rows' nested panels included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            out.add(p);
            p.path("panels").forEach(out::add);
        });
        return out;
    }

    private static String where(JsonNode panel) {
        return "panel " + panel.path("id").asText() + " \"" + panel.path("title").asText() + "\"";
    }

    /** Documented Prometheus series, each with its labels (null: not known). */
    private static Map<String, Set<String>> documentedSeries() {
        Map<String, Set<String>> series = new TreeMap<>();
        List<DocumentedMeters.Meter> meters = new ArrayList<>(DocumentedMeters.read());
        meters.addAll(DOCUMENTED_ELSEWHERE);
        meters.forEach(m -> series.putAll(m.series()));
        return series;
    }

    /** Every PromQL query of the dashboard (panel targets and query variables), by where it is. */
    private static Map<String, String> queries(JsonNode dashboard) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                out.put(where(panel) + " target " + target.path("refId").asText(), target.path("expr").asText(""));
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if ("query".equals(v.path("type").asText())) {
                JsonNode q = v.path("query");
                out.put("variable " + v.path("name").asText(), q.isObject() ? q.path("query").asText("") : q.asText(""));
            }
        }
        return out;
    }

    @Test
    void hasTheFieldsGrafanasImportNeeds() {
        JsonNode d = dashboard();
        assertThat(d.path("title").asText()).as("title").isNotBlank();
        assertThat(d.path("uid").asText()).as("uid (Grafana: at most 40 characters of [a-zA-Z0-9_-])")
                .matches("[A-Za-z0-9_-]{1,40}");
        assertThat(d.path("schemaVersion").isInt()).as("schemaVersion is a number").isTrue();
        assertThat(d.path("schemaVersion").asInt()).as("schemaVersion").isPositive();
        assertThat(d.path("panels").isArray()).as("panels").isTrue();
        assertThat(d.path("panels")).as("panels").isNotEmpty();
        assertThat(d.has("id") && !d.get("id").isNull()).as("no instance id (an import would overwrite that dashboard)")
                .isFalse();
        for (JsonNode panel : panels(d)) {
            assertThat(panel.path("type").asText()).as(where(panel) + " type").isNotBlank();
            assertThat(panel.path("title").asText()).as(where(panel) + " title").isNotBlank();
            JsonNode grid = panel.path("gridPos");
            for (String k : List.of("x", "y", "w", "h")) {
                assertThat(grid.path(k).isInt()).as(where(panel) + " gridPos." + k).isTrue();
            }
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(where(panel) + " fits the 24 columns")
                    .isLessThanOrEqualTo(24);
        }
    }

    @Test
    void panelIdsAreUniqueAndEveryTargetHasItsOwnRefId() {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels(dashboard())) {
            assertThat(panel.path("id").isInt()).as(where(panel) + " has a numeric id").isTrue();
            assertThat(ids.add(panel.path("id").asInt())).as("panel id " + panel.path("id") + " used twice").isTrue();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertThat(refIds.add(target.path("refId").asText())).as(where(panel) + " refId "
                        + target.path("refId") + " used twice").isTrue();
            }
        }
    }

    @Test
    void everyQueryAsksThePrometheusDataSourceOfTheDashboardsVariable() {
        JsonNode d = dashboard();
        JsonNode variable = null;
        for (JsonNode v : d.path("templating").path("list")) {
            if (DATASOURCE_VARIABLE.equals(v.path("name").asText())) {
                variable = v;
            }
        }
        assertThat(variable).as("a template variable \"" + DATASOURCE_VARIABLE + "\"").isNotNull();
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).as("its data source type").isEqualTo("prometheus");

        for (JsonNode panel : panels(d)) {
            if ("row".equals(panel.path("type").asText())) {
                assertThat(panel.path("targets")).as(where(panel) + ": a row queries nothing").isEmpty();
                continue;
            }
            assertThat(panel.path("targets")).as(where(panel) + " targets").isNotEmpty();
            assertDataSource(where(panel), panel.path("datasource"));
            for (JsonNode target : panel.path("targets")) {
                assertDataSource(where(panel) + " target " + target.path("refId").asText(), target.path("datasource"));
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            if ("query".equals(v.path("type").asText())) {
                assertDataSource("variable " + v.path("name").asText(), v.path("datasource"));
            }
        }
    }

    private static void assertDataSource(String where, JsonNode ds) {
        assertThat(ds.path("type").asText()).as(where + " datasource.type").isEqualTo("prometheus");
        assertThat(ds.path("uid").asText()).as(where + " datasource.uid (the variable, never a fixed data source)")
                .isIn(DATASOURCE_REFS);
    }

    @Test
    void everyImportInputIsUsedSoWhatTheImporterPicksTakesEffect() {
        JsonNode d = dashboard();
        String text = Repo.read(FILE);
        Set<String> used = new HashSet<>();
        Matcher m = INPUT_REF.matcher(text);
        while (m.find()) {
            used.add(m.group(1));
        }
        for (JsonNode input : d.path("__inputs")) {
            assertThat(used).as("__inputs " + input.path("name").asText() + " is referenced as ${"
                    + input.path("name").asText() + "}: else the data source picked at import is ignored")
                    .contains(input.path("name").asText());
        }
    }

    @Test
    void everyQueryRefersOnlyToDocumentedSeriesAndTheirLabels() {
        Map<String, Set<String>> documented = documentedSeries();
        assertThat(documented).as("series from " + DocumentedMeters.FILE).containsKeys(
                "meshrpc_messages_sent_total", "meshrpc_call_duration_seconds_bucket", "meshrpc_dispatch_queue_depth",
                "meshrpc_dispatch_oldest_age_seconds", "meshrpc_handle_seconds_count");
        List<String> problems = new ArrayList<>();
        Map<String, String> queries = queries(dashboard());
        assertThat(queries).isNotEmpty();
        for (Map.Entry<String, String> q : queries.entrySet()) {
            PromQl.Refs refs = PromQl.refs(q.getValue());
            if (refs.series().isEmpty()) {
                problems.add(q.getKey() + ": no series in " + q.getValue());
            }
            Set<String> available = new HashSet<>();
            for (Map.Entry<String, Set<String>> s : refs.series().entrySet()) {
                if (!documented.containsKey(s.getKey())) {
                    problems.add(q.getKey() + ": " + s.getKey() + " is not a series of " + DocumentedMeters.FILE);
                    continue;
                }
                Set<String> labels = documented.get(s.getKey());
                if (labels == null) {
                    continue;
                }
                available.addAll(labels);
                for (String label : s.getValue()) {
                    if (!labels.contains(label)) {
                        problems.add(q.getKey() + ": " + s.getKey() + " has no label " + label + " (it has " + labels + ")");
                    }
                }
            }
            for (String label : refs.groupingLabels()) {
                if (!available.isEmpty() && !available.contains(label)) {
                    problems.add(q.getKey() + ": groups by " + label + ", a label none of its series has");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theQueryCheckFindsSeriesInsideFunctionsAndAggregationsAndSkipsLabelsAndVariables() {
        PromQl.Refs refs = PromQl.refs("histogram_quantile(0.99, sum by (le, topic) (rate(a_seconds_bucket{job=~\"$job\", "
                + "topic=~\"x{1}\"}[$__rate_interval]))) / on(instance) group_left b_total offset 5m + 1e3");
        assertThat(refs.series()).containsOnlyKeys("a_seconds_bucket", "b_total");
        assertThat(refs.series().get("a_seconds_bucket")).containsExactly("job", "topic");
        assertThat(refs.groupingLabels()).containsExactlyInAnyOrder("le", "topic", "instance");
        assertThat(PromQl.refs("label_values(c_total{job=~\"$job\"}, instance)").series()).containsOnlyKeys("c_total");
        assertThat(PromQl.refs("sum without (outcome) (d)").series()).containsOnlyKeys("d");
        assertThatThrownBy(() -> PromQl.refs("{__name__=~\"meshrpc_.*\"}")).isInstanceOf(IllegalArgumentException.class);

        List<DocumentedMeters.Meter> meters = DocumentedMeters.parse("""
                | meter | type | tags | moves when |
                | --- | --- | --- | --- |
                | `x.sent` | counter | `transport` (`zmq`, `amqp`), `topic` | ... |
                | `x.duration` | timer | `topic` | ... |
                | `x.depth` | gauge | — | ... |
                | `x.age` | time gauge | — | ... |
                timed, as `x.send` and `x.handle` timers (plus `.active` long task timers)
                """.replace("`x.", "`meshrpc."));
        Map<String, Set<String>> series = new TreeMap<>();
        meters.forEach(m -> series.putAll(m.series()));
        assertThat(series).containsOnlyKeys("meshrpc_sent_total", "meshrpc_duration_seconds_bucket",
                "meshrpc_duration_seconds_count", "meshrpc_duration_seconds_sum", "meshrpc_duration_seconds_max",
                "meshrpc_depth", "meshrpc_age_seconds", "meshrpc_send_seconds_bucket", "meshrpc_send_seconds_count",
                "meshrpc_send_seconds_sum", "meshrpc_send_seconds_max", "meshrpc_handle_seconds_bucket",
                "meshrpc_handle_seconds_count", "meshrpc_handle_seconds_sum", "meshrpc_handle_seconds_max");
        assertThat(series.get("meshrpc_sent_total")).containsExactlyInAnyOrder("transport", "topic", "job", "instance");
        assertThat(series.get("meshrpc_duration_seconds_bucket")).contains("le", "topic");
    }
}
