package io.meshrpc.web.body;

import java.util.Comparator;
import java.util.List;

import io.meshrpc.web.HttpLimitsProperties;

/** The body limit of a request path: the one of the longest {@code max-body-size-by-path} prefix, else the default. */
public final class BodyLimits {

    private record PathLimit(String prefix, long bytes) {
    }

    private final long defaultLimit;
    private final List<PathLimit> byPath;

    public BodyLimits(HttpLimitsProperties properties) {
        this.defaultLimit = properties.maxBodySize().toBytes();
        this.byPath = properties.maxBodySizeByPath().entrySet().stream()
                .map(e -> new PathLimit(e.getKey(), e.getValue().toBytes()))
                .sorted(Comparator.comparingInt((PathLimit p) -> p.prefix().length()).reversed())
                .toList();
    }

    /** The limit, in bytes, of a request to {@code path} (the path within the application). */
    public long forPath(String path) {
        for (PathLimit limit : byPath) {
            if (path.startsWith(limit.prefix())) {
                return limit.bytes();
            }
        }
        return defaultLimit;
    }

    /** The largest limit of any path: what the container must let through for form posts. */
    public long largest() {
        return byPath.stream().mapToLong(PathLimit::bytes).reduce(defaultLimit, Math::max);
    }

    /** The limits, for logs. */
    @Override
    public String toString() {
        return "BodyLimits[default=" + defaultLimit + ", byPath=" + byPath + "]";
    }
}
