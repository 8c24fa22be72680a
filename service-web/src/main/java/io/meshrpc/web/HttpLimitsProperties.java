package io.meshrpc.web;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What an HTTP service of meshrpc takes from a client before it parses anything ({@code meshrpc.http.*}). The URL
 * and the headers are bounded by Tomcat's own {@code server.max-http-request-header-size}.
 *
 * @param maxBodySize the largest request body, counted as it is read: a larger {@code Content-Length} is refused
 *        before a byte of the body is read, a chunked body when it reaches one byte more; also Tomcat's limit of
 *        form posts
 * @param maxBodySizeByPath a larger (or smaller) limit for the requests whose path starts with a key, the longest
 *        key winning, e.g. {@code meshrpc.http.max-body-size-by-path[/api/v1/ring]=16MB}
 * @param json limits of the JSON parser, for every JSON body
 */
@ConfigurationProperties("meshrpc.http")
public record HttpLimitsProperties(@DefaultValue(HttpLimitsProperties.DEFAULT_MAX_BODY_SIZE) DataSize maxBodySize,
                                   Map<String, DataSize> maxBodySizeByPath,
                                   @DefaultValue Json json) {

    /**
     * 1 MiB: about thirty times the largest registration the matchmaker accepts (256 topics of 64 characters, a
     * 16 KiB stats object, an endpoint and a key: 34 KB), so that unknown fields of newer clients still fit, and
     * small enough that a thread parsing it into objects holds a few MiB at most.
     */
    public static final String DEFAULT_MAX_BODY_SIZE = "1MB";

    public HttpLimitsProperties {
        maxBodySizeByPath = maxBodySizeByPath == null ? Map.of() : Map.copyOf(maxBodySizeByPath);
        if (maxBodySize.toBytes() < 0) {
            throw new IllegalArgumentException("meshrpc.http.max-body-size must not be negative, was " + maxBodySize);
        }
        maxBodySizeByPath.forEach((path, size) -> {
            if (!path.startsWith("/") || size.toBytes() < 0) {
                throw new IllegalArgumentException("meshrpc.http.max-body-size-by-path: a key is a path starting "
                        + "with '/', a size is not negative; was [" + path + "]=" + size);
            }
        });
    }

    /**
     * Limits of the JSON parser ({@code meshrpc.http.json.*}), Jackson's {@code StreamReadConstraints}. A body
     * beyond one of them is answered 400 while it is parsed, before it becomes objects.
     *
     * @param maxNestingDepth arrays and objects inside one another; the API's deepest legal body (a node's stats)
     *        needs a few levels
     * @param maxStringLength characters of one string value
     * @param maxNumberLength characters of one number; a {@code long} takes 20, a {@code double} 24
     * @param maxNameLength characters of one property name
     */
    public record Json(@DefaultValue(DEFAULT_MAX_NESTING_DEPTH) int maxNestingDepth,
                       @DefaultValue(DEFAULT_MAX_STRING_LENGTH) int maxStringLength,
                       @DefaultValue(DEFAULT_MAX_NUMBER_LENGTH) int maxNumberLength,
                       @DefaultValue(DEFAULT_MAX_NAME_LENGTH) int maxNameLength) {

        public static final String DEFAULT_MAX_NESTING_DEPTH = "32";
        public static final String DEFAULT_MAX_STRING_LENGTH = "65536";
        public static final String DEFAULT_MAX_NUMBER_LENGTH = "64";
        public static final String DEFAULT_MAX_NAME_LENGTH = "1024";

        public Json {
            if (maxNestingDepth < 1 || maxStringLength < 1 || maxNumberLength < 1 || maxNameLength < 1) {
                throw new IllegalArgumentException("meshrpc.http.json.*: every limit must be positive, were depth="
                        + maxNestingDepth + ", string=" + maxStringLength + ", number=" + maxNumberLength + ", name="
                        + maxNameLength);
            }
        }
    }
}
