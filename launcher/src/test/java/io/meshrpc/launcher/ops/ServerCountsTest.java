package io.meshrpc.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/** How {@code bin/demo status} counts the gateway's servers, from the list as the gateway answers it. */
class ServerCountsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void serversAreCountedByStatusAndTheErrorsByFaultCode() {
        ServerCounts counts = ServerCounts.of(JSON.readTree("""
                [{"status":"ACTIVE","faultCode":null},{"status":"ACTIVE","faultCode":null},
                 {"status":"ERROR","faultCode":"HOST_LOST"},{"status":"ERROR","faultCode":"HOST_LOST"},
                 {"status":"ERROR","faultCode":"HOST_RESTARTED"},{"status":"BUILDING","faultCode":null}]"""));

        assertThat(counts.describe()).isEqualTo("2 ACTIVE, 1 BUILDING, 3 ERROR (HOST_LOST 2, HOST_RESTARTED 1)");
    }

    @Test
    void noServersIsNone() {
        assertThat(ServerCounts.of(JSON.readTree("[]")).describe()).isEqualTo("none");
    }
}
