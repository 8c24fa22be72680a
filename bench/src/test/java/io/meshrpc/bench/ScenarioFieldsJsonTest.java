package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ScenarioFieldsJsonTest {

    @Test
    void aScenariosOwnFiguresAreWrittenAsJsonFieldsInTheirOrderBeforeTheNotes() {
        Map<String, Number> figures = new LinkedHashMap<>();
        figures.put("receivers", 2_000);
        figures.put("reached", 2_000);
        figures.put("all_reached_ms", 85.25);
        figures.put("sockets_hwm", 256);
        ScenarioResult result = new ScenarioResult("fanout-wide", 20_000, 3, 0, LatencySummary.EMPTY, 1.0,
                List.of("a note"), false).withFields(figures);

        String json = JsonWriter.toJson(List.of(result));

        assertThat(json).contains("\"receivers\": 2000, \"reached\": 2000, \"all_reached_ms\": 85.250, "
                + "\"sockets_hwm\": 256, \"notes\": [\"a note\"]");
    }

    @Test
    void aResultWithoutFiguresOfItsOwnHasNoExtraFields() {
        ScenarioResult result = ScenarioResult.failed("zmq-cast", "failed: boom");

        assertThat(result.fields()).isEmpty();
        assertThat(JsonWriter.toJson(List.of(result))).contains("\"failed\": true, \"notes\": [");
    }
}
