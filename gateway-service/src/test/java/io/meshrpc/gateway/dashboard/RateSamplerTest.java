package io.meshrpc.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class RateSamplerTest {

    private static TreeMap<Double, Double> buckets(double... boundAndCount) {
        TreeMap<Double, Double> m = new TreeMap<>();
        for (int i = 0; i < boundAndCount.length; i += 2) {
            m.put(boundAndCount[i] * 1e6, boundAndCount[i + 1]);
        }
        return m;
    }

    @Test
    void percentilesAreInterpolatedInsideTheirBucket() {
        // 100 observations: 50 in (0,10] ms, 40 in (10,20], 10 in (20,100]
        TreeMap<Double, Double> cumulative = buckets(10, 50, 20, 90, 100, 100);
        assertThat(RateSampler.percentileMs(cumulative, 0.5)).isCloseTo(10.0, within(1e-9));
        assertThat(RateSampler.percentileMs(cumulative, 0.7)).isCloseTo(15.0, within(1e-9));
        assertThat(RateSampler.percentileMs(cumulative, 0.95)).isCloseTo(60.0, within(1e-9));
        assertThat(RateSampler.percentileMs(buckets(10, 0, 20, 0), 0.5)).isNull();
        assertThat(RateSampler.percentileMs(new TreeMap<>(), 0.5)).isNull();
    }

    @Test
    void theWindowIsTheDifferenceOfLifetimeBucketsOrTheNewWindowAfterARotation() {
        assertThat(RateSampler.window(buckets(10, 5, 20, 8), buckets(10, 7, 20, 12)))
                .isEqualTo(buckets(10, 2, 20, 4));
        TreeMap<Double, Double> rotated = buckets(10, 1, 20, 1);
        assertThat(RateSampler.window(buckets(10, 5, 20, 8), rotated)).isSameAs(rotated);
    }

    @Test
    void ratesArePerSecondOverTheInterval() {
        var a = new RateSampler.Sample(1_000, Map.of("zmq", 10.0), Map.of(), Map.of("no-ack", 1.0), 4, 4e6,
                new TreeMap<>());
        var b = new RateSampler.Sample(3_000, Map.of("zmq", 30.0, "amqp", 4.0), Map.of("zmq", 2.0),
                Map.of("no-ack", 5.0, "refused", 2.0), 8, 12e6, new TreeMap<>());
        RateSampler.RatePoint p = RateSampler.rates(a, b);
        assertThat(p.seconds()).isEqualTo(2.0);
        assertThat(p.sentPerSecond()).containsEntry("zmq", 10.0).containsEntry("amqp", 2.0);
        assertThat(p.receivedPerSecond()).containsEntry("zmq", 1.0);
        assertThat(p.failoversPerSecond()).isEqualTo(3.0);
        assertThat(p.callsPerSecond()).isEqualTo(2.0);
        assertThat(p.meanMs()).isEqualTo(2.0);
        assertThat(p.p50Ms()).isNull();
    }
}
