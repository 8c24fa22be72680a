package io.meshrpc.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the services refused before their handlers ran: {@code meshrpc.http.refused} counts refusals by
 * {@code reason}, and {@code meshrpc.http.refused.body.read} is how many bytes of each refused body were read
 * (0 when its {@code Content-Length} was refused; at most the limit plus one otherwise).
 */
public final class RefusalMetrics {

    /** The counter of refusals, tagged {@code reason}. */
    public static final String REFUSED = "meshrpc.http.refused";
    /** The bytes read of each body refused for its size. */
    public static final String BODY_READ = "meshrpc.http.refused.body.read";

    private final Counter bodyTooLarge;
    private final Counter nonCanonicalPath;
    private final Counter container;
    private final DistributionSummary bodyRead;

    public RefusalMetrics(MeterRegistry registry) {
        bodyTooLarge = counter(registry, "body-too-large", "a request body over meshrpc.http.max-body-size");
        nonCanonicalPath = counter(registry, "non-canonical-path",
                "a path with parameters (;), encoded separators or dot segments");
        container = counter(registry, "container",
                "a request Tomcat refused itself: a malformed or oversized request line or header");
        bodyRead = DistributionSummary.builder(BODY_READ).baseUnit("bytes")
                .description("Bytes read of a request body refused for its size").register(registry);
    }

    private static Counter counter(MeterRegistry registry, String reason, String description) {
        return Counter.builder(REFUSED).tag("reason", reason).description("Requests refused: " + description)
                .register(registry);
    }

    /** A body refused for its size, after {@code bytesRead} bytes of it were read. */
    public void bodyTooLarge(long bytesRead) {
        bodyTooLarge.increment();
        bodyRead.record(bytesRead);
    }

    public void nonCanonicalPath() {
        nonCanonicalPath.increment();
    }

    public void refusedByContainer() {
        container.increment();
    }
}
