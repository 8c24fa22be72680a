package io.meshrpc.web.path;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which paths, as sent, are in their one canonical form. */
class CanonicalPathFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/nodes/compute-1;x", "/api/v1/nodes/compute-1;", "/api/v1;v=2/nodes",
            "/api/v1/nodes/a%2Fb", "/api/v1/nodes/a%2fb", "/api/v1/nodes/a%5Cb", "/api/v1/nodes/a\\b",
            "/api/v1/nodes/a%00", "/api/v1/nodes/.", "/api/v1/nodes/..", "/api/v1/nodes/%2e%2E", "/api/v1/nodes/%2E",
            "/api/v1/nodes/x/../y", "/./api/v1/topics", "/api/v1/nodes/../"})
    void aPathWithParametersEncodedSeparatorsOrDotSegmentsIsRefused(String path) {
        assertThat(CanonicalPathFilter.problem(path)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v1/nodes/compute-1", "/api/v1/nodes/a.b", "/api/v1/nodes/...",
            "/api/v1/nodes/.hidden", "/api/v1/nodes/a..b", "/api/v1/topics/", "/api/v1/nodes/a%40b", ""})
    void aCanonicalPathPasses(String path) {
        assertThat(CanonicalPathFilter.problem(path)).isNull();
    }
}
