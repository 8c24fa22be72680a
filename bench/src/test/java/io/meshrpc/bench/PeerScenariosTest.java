package io.meshrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The reference peers {@code grpc-call} and {@code nats-call} open, complete round trips and close;
 * no timing is asserted. The NATS one needs the machine's NATS server and is skipped where none answers.
 */
class PeerScenariosTest {

    private static final Duration RUN = Duration.ofMillis(300);

    @Test
    void grpcCallCompletesRoundTrips() throws Exception {
        try (GrpcCallScenario scenario = new GrpcCallScenario()) {
            assertThat(scenario.name()).isEqualTo("grpc-call");
            assertRoundTrips(scenario);
        }
    }

    @Test
    void natsCallCompletesRoundTrips() throws Exception {
        assumeTrue(NatsCallScenario.serverAnswers(), "no NATS server answers on 127.0.0.1:4222");
        try (NatsCallScenario scenario = new NatsCallScenario()) {
            assertThat(scenario.name()).isEqualTo("nats-call");
            assertRoundTrips(scenario);
        }
    }

    private static void assertRoundTrips(Scenario scenario) throws Exception {
        scenario.open();
        LatencyRecorder latencies = new LatencyRecorder(1024);
        RunStats stats = scenario.run(RUN, latencies);
        assertThat(stats.completed()).isPositive();
        assertThat(stats.errors()).isZero();
        assertThat(latencies.count()).isEqualTo(stats.completed());
        assertThat(stats.elapsedNanos()).isPositive();
    }
}
