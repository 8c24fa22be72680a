package io.meshrpc.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcMethod;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.compute.InstanceInfo;
import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.consoleauth.ConsoleauthApi;
import io.meshrpc.services.consoleauth.TokenCheck;
import io.meshrpc.services.gateway.GatewayApi;
import io.meshrpc.services.gateway.InstanceEvent;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;
import io.meshrpc.services.scheduler.SchedulerApi;
import tools.jackson.databind.json.JsonMapper;

/** The contracts survive the wire: every record maps to JSON and back as the node's codec maps it. */
class ContractsTest {

    /** As a node's default mapper reads arguments: a field an older sender does not know reads as its default. */
    private final JsonMapper mapper = JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    private <T> T roundTrip(T value) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) value.getClass();
        return mapper.readValue(mapper.writeValueAsString(value), type);
    }

    @Test
    void everyRecordRoundTripsThroughJson() {
        ConsoleEndpoint console = new ConsoleEndpoint("i-1", "compute-1", "vnc", 5901);
        List<Object> values = List.of(
                new BuildRequest("i-1", 2, 512, List.of("compute-2")),
                new Destination("compute-1", 6, 1024),
                new CapacityReport("compute-1", 8, 2048, 6, 1536, List.of("i-1")),
                new InstanceSpec("i-1", "vm1", 2, 512),
                new InstanceInfo("i-1", "vm1", 2, 512, "compute-1", InstanceStatus.ACTIVE),
                console,
                new InstanceEvent("i-1", "compute-1", InstanceStatus.ERROR, "no room", true),
                new ConsoleToken("t0k", "i-1", Instant.parse("2026-11-24T13:53:06.660Z")),
                new TokenCheck(true, console, Instant.parse("2026-11-24T13:53:06.660Z")),
                TokenCheck.invalid());
        for (Object value : values) {
            assertThat(roundTrip(value)).as(value.getClass().getSimpleName()).isEqualTo(value);
        }
    }

    @Test
    void missingListsReadAsEmptyRatherThanNull() {
        BuildRequest request = mapper.readValue("{\"instanceId\":\"i-1\",\"vcpus\":1,\"ramMb\":64}", BuildRequest.class);
        CapacityReport report = mapper.readValue("{\"host\":\"c1\",\"totalVcpus\":1,\"totalRamMb\":64,\"freeVcpus\":1,\"freeRamMb\":64}", CapacityReport.class);

        assertThat(request.excludedHosts()).isEmpty();
        assertThat(report.instanceIds()).isEmpty();
        assertThat(report.incarnation()).as("an agent of the previous release: unnumbered").isZero();
    }

    @Test
    void everyInterfaceMethodHasAnOpenStackStyleWireName() {
        for (Class<?> api : List.of(SchedulerApi.class, ComputeApi.class, ConsoleauthApi.class, GatewayApi.class)) {
            assertThat(api.getAnnotation(RpcInterface.class)).as(api.getSimpleName()).isNotNull();
            for (Method method : api.getDeclaredMethods()) {
                assertThat(method.getAnnotation(RpcMethod.class)).as(method.toString()).isNotNull();
                assertThat(RpcMethod.Names.of(method)).matches("[a-z]+(_[a-z]+)+");
            }
        }
        assertThat(Arrays.stream(SchedulerApi.class.getDeclaredMethods()).map(RpcMethod.Names::of))
                .containsExactlyInAnyOrder("select_destination", "update_capacity");
    }
}
