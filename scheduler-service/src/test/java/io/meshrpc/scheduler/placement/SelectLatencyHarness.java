package io.meshrpc.scheduler.placement;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.meshrpc.scheduler.SchedulerProperties;
import io.meshrpc.services.scheduler.BuildRequest;
import io.meshrpc.services.scheduler.CapacityReport;
import io.meshrpc.services.scheduler.Destination;

/**
 * Not a test (no assertions on time): a measurement of {@code select_destination} with many hosts,
 * as 150,000 fake {@code update_capacity} reports would leave. Each placement is followed by the
 * chosen host's report listing it, as a real agent's, so claims settle as they do in a fleet.
 * Run it from {@code scheduler-service} after {@code test-compile}:
 * <pre>java -cp target/classes:target/test-classes:../services-api/target/classes \
 *   io.meshrpc.scheduler.placement.SelectLatencyHarness 150000 2000</pre>
 */
public final class SelectLatencyHarness {

    private SelectLatencyHarness() {
    }

    public static void main(String[] args) {
        int hosts = Integer.parseInt(args[0]);
        int selects = Integer.parseInt(args[1]);
        HostStateCache cache = new HostStateCache(Clock.systemUTC(), new SchedulerProperties(Duration.ofMinutes(10),
                hosts, Duration.ofSeconds(30), Duration.ofSeconds(2), 32, Duration.ZERO));
        Random random = new Random(42);
        for (int i = 0; i < hosts; i++) {
            cache.update(new CapacityReport("fake-" + i, 16, 32768, 1 + random.nextInt(16), 1 + random.nextInt(32768),
                    List.of()));
        }
        long[] nanos = new long[selects];
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            for (int i = 0; i < selects; i++) {
                String id = "i-" + round + "-" + i;
                long start = System.nanoTime();
                Destination d = cache.select(BuildRequest.of(id, 1, 512));
                nanos[i] = System.nanoTime() - start;
                cache.update(new CapacityReport(d.host(), 16, 32768, d.freeVcpusAfter(), d.freeRamMbAfter(), List.of(id)));
            }
        }
        Arrays.sort(nanos);
        System.out.printf("hosts=%d selects=%d median=%.3f ms p99=%.3f ms max=%.3f ms%n", hosts, selects,
                nanos[selects / 2] / 1e6, nanos[selects * 99 / 100] / 1e6, nanos[selects - 1] / 1e6);
    }
}
