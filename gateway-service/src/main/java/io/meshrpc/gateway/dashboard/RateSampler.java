package io.meshrpc.gateway.dashboard;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

/**
 * Live rates for the dashboard, computed on the gateway from successive samples of its own
 * Micrometer meters (this gateway's traffic only; fleet-wide shares come from the matchmaker's
 * fleet view): messages per second per transport, failovers per second, and call latency
 * percentiles over each interval.
 *
 * <p>Latency percentiles come from the histogram buckets of {@code meshrpc.call.duration}
 * ({@code management.metrics.distribution.percentiles-histogram.meshrpc.call.duration=true}),
 * summed over every tag set, differenced between samples, and interpolated inside the bucket:
 * an estimate within one bucket's width. Without buckets only the mean is known.
 */
@Component
public class RateSampler implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RateSampler.class);

    static final String SENT = "meshrpc.messages.sent";
    static final String RECEIVED = "meshrpc.messages.received";
    static final String FAILOVERS = "meshrpc.failovers";
    static final String CALL_DURATION = "meshrpc.call.duration";

    /** One point of the charts: rates over the interval that ends at {@code time} (epoch ms). */
    public record RatePoint(long time, double seconds, Map<String, Double> sentPerSecond,
                            Map<String, Double> receivedPerSecond, double failoversPerSecond,
                            Map<String, Double> failoversByReason, double callsPerSecond, Double p50Ms,
                            Double p95Ms, Double p99Ms, Double meanMs) {
    }

    /** Cumulative counts at one instant. */
    record Sample(long time, Map<String, Double> sent, Map<String, Double> received, Map<String, Double> failovers,
                  long calls, double callNanos, TreeMap<Double, Double> buckets) {
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final DashboardProperties properties;
    private final ArrayDeque<RatePoint> points = new ArrayDeque<>();
    private Sample last;
    private ScheduledExecutorService timer;

    public RateSampler(MeterRegistry registry, Clock clock, DashboardProperties properties) {
        this.registry = registry;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-sampler");
            t.setDaemon(true);
            return t;
        });
        long ms = properties.sampleInterval().toMillis();
        timer.scheduleAtFixedRate(() -> {
            try {
                sample();
            } catch (RuntimeException e) {
                log.warn("Dashboard sample failed", e);
            }
        }, 0, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Takes a sample now and adds the rate point since the previous one. */
    public synchronized void sample() {
        Sample now = read();
        if (last != null && now.time() > last.time()) {
            points.addLast(rates(last, now));
            while (points.size() > properties.history()) {
                points.removeFirst();
            }
        }
        last = now;
    }

    /** The rate points newer than {@code since} (epoch ms), oldest first. */
    public synchronized List<RatePoint> points(long since) {
        List<RatePoint> out = new ArrayList<>();
        for (RatePoint p : points) {
            if (p.time() > since) {
                out.add(p);
            }
        }
        return out;
    }

    private Sample read() {
        Map<String, Double> sent = new TreeMap<>();
        for (Counter c : registry.find(SENT).tag("outcome", "ok").counters()) {
            sent.merge(c.getId().getTag("transport"), c.count(), Double::sum);
        }
        Map<String, Double> received = new TreeMap<>();
        for (Counter c : registry.find(RECEIVED).tag("outcome", "handled").counters()) {
            received.merge(c.getId().getTag("transport"), c.count(), Double::sum);
        }
        Map<String, Double> failovers = new TreeMap<>();
        for (Counter c : registry.find(FAILOVERS).counters()) {
            failovers.merge(c.getId().getTag("reason"), c.count(), Double::sum);
        }
        long calls = 0;
        double nanos = 0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Timer t : registry.find(CALL_DURATION).timers()) {
            HistogramSnapshot snapshot = t.takeSnapshot();
            calls += snapshot.count();
            nanos += snapshot.total(TimeUnit.NANOSECONDS);
            for (CountAtBucket b : snapshot.histogramCounts()) {
                buckets.merge(b.bucket(TimeUnit.NANOSECONDS), b.count(), Double::sum);
            }
        }
        return new Sample(clock.millis(), sent, received, failovers, calls, nanos, buckets);
    }

    static RatePoint rates(Sample a, Sample b) {
        double seconds = (b.time() - a.time()) / 1000.0;
        Map<String, Double> failoversByReason = perSecond(a.failovers(), b.failovers(), seconds);
        double failovers = failoversByReason.values().stream().mapToDouble(Double::doubleValue).sum();
        long calls = b.calls() - a.calls();
        Double mean = calls > 0 ? (b.callNanos() - a.callNanos()) / calls / 1e6 : null;
        TreeMap<Double, Double> window = window(a.buckets(), b.buckets());
        return new RatePoint(b.time(), seconds, perSecond(a.sent(), b.sent(), seconds),
                perSecond(a.received(), b.received(), seconds), failovers, failoversByReason,
                Math.max(0, calls) / seconds, percentileMs(window, 0.50), percentileMs(window, 0.95),
                percentileMs(window, 0.99), mean);
    }

    private static Map<String, Double> perSecond(Map<String, Double> a, Map<String, Double> b, double seconds) {
        Map<String, Double> out = new TreeMap<>();
        b.forEach((k, v) -> out.put(k, Math.max(0, v - a.getOrDefault(k, 0.0)) / seconds));
        return out;
    }

    /**
     * Cumulative bucket counts of the observations between the two samples. Registries that keep
     * lifetime buckets (Prometheus) give them as differences; registries whose buckets rotate with a
     * time window (the simple registry) may go down at a rotation: then the newer window itself.
     */
    static TreeMap<Double, Double> window(TreeMap<Double, Double> a, TreeMap<Double, Double> b) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        for (Map.Entry<Double, Double> e : b.entrySet()) {
            double d = e.getValue() - a.getOrDefault(e.getKey(), 0.0);
            if (d < 0) {
                return b;
            }
            delta.put(e.getKey(), d);
        }
        return delta;
    }

    /** The {@code q} quantile in ms, interpolated inside its bucket; {@code null} without observations. */
    static Double percentileMs(TreeMap<Double, Double> cumulative, double q) {
        if (cumulative.isEmpty()) {
            return null;
        }
        double total = cumulative.lastEntry().getValue();
        if (total <= 0) {
            return null;
        }
        double target = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= target) {
                double width = e.getValue() - lowerCount;
                double fraction = width <= 0 ? 1 : (target - lowerCount) / width;
                return (lowerBound + (e.getKey() - lowerBound) * fraction) / 1e6;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound / 1e6;
    }
}
