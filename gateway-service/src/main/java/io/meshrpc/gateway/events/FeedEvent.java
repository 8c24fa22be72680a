package io.meshrpc.gateway.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.meshrpc.api.Notification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event of the feed, as the dashboard shows it: what the notification says about itself and a
 * small, bounded copy of its payload (whatever a publisher sends, an entry stays small).
 *
 * @param id          the notification id (unique per event)
 * @param eventType   such as {@code compute.instance.create.end}
 * @param publisherId such as {@code compute-1} (a service's node id by default)
 * @param priority    its priority as on the wire: {@code info}, {@code error}, ...
 * @param timestamp   when the publisher published it
 * @param summary     the payload in a line: {@code instanceId=…, host=compute-1, status=ACTIVE}
 * @param payload     the payload's top-level scalar fields (see {@link #of})
 */
public record FeedEvent(String id, String eventType, String publisherId, String priority, Instant timestamp,
                        String summary, ObjectNode payload) {

    /** Longest kept string (id, event type, publisher id, a payload value); longer ones are cut, with {@code …}. */
    static final int MAX_TEXT = 256;
    /** Most payload fields kept. */
    static final int MAX_FIELDS = 12;
    /** Longest payload field name kept; a longer name is left out. */
    static final int MAX_NAME = 64;
    /** Longest summary. */
    static final int MAX_SUMMARY = 200;
    /** The payload fields the summary names first, and alone when the payload has any of them. */
    static final List<String> SUMMARY_FIELDS = List.of("instanceId", "instanceName", "host", "status", "reason");

    /**
     * The entry of a notification. The payload is kept as an object of its top-level string, number
     * and boolean fields (nulls, objects and arrays left out), at most {@value #MAX_FIELDS}, strings cut
     * at {@value #MAX_TEXT} characters; a payload that is a single value is kept as {@code {"value": …}},
     * none or an array as {@code {}}.
     */
    public static FeedEvent of(Notification n, JsonNode payload) {
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        if (payload != null && payload.isObject()) {
            for (Map.Entry<String, JsonNode> field : payload.properties()) {
                if (kept.size() == MAX_FIELDS) {
                    break;
                }
                if (field.getKey().length() <= MAX_NAME) {
                    keep(kept, field.getKey(), field.getValue());
                }
            }
        } else if (payload != null && payload.isValueNode()) {
            keep(kept, "value", payload);
        }
        return new FeedEvent(cut(n.id()), cut(n.eventType()), cut(n.publisherId()),
                n.priority() == null ? null : n.priority().wireName(), n.timestamp(), summary(kept), kept);
    }

    private static void keep(ObjectNode kept, String name, JsonNode value) {
        if (value.isString()) {
            kept.put(name, cut(value.asString()));
        } else if (value.isNumber() || value.isBoolean()) {
            kept.set(name, value);
        }
    }

    /**
     * {@code name=value} pairs: the {@link #SUMMARY_FIELDS} the payload has, in that order; when it has
     * none of them, every kept field. Cut at {@value #MAX_SUMMARY} characters.
     */
    static String summary(ObjectNode payload) {
        List<String> parts = new ArrayList<>();
        for (String name : SUMMARY_FIELDS) {
            if (payload.has(name)) {
                parts.add(name + "=" + payload.get(name).asString());
            }
        }
        if (parts.isEmpty()) {
            payload.properties().forEach(f -> parts.add(f.getKey() + "=" + f.getValue().asString()));
        }
        return cut(String.join(", ", parts), MAX_SUMMARY);
    }

    private static String cut(String text) {
        return cut(text, MAX_TEXT);
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
