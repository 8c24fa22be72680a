package io.meshrpc.internal.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.meshrpc.api.Notification;
import io.meshrpc.api.Priority;
import io.meshrpc.wire.Envelope;
import io.meshrpc.wire.Kind;
import io.meshrpc.wire.WireFormatException;
import tools.jackson.databind.JsonNode;

/**
 * A notification on the wire: a CAST envelope whose {@code topic} is the notification topic,
 * {@code method} the event type, {@code ctx} the context, and whose one argument is an object with
 * {@code priority}, {@code publisherId}, {@code timestamp} (ISO-8601) and {@code payload}, the fields
 * of oslo.messaging's notification message.
 */
final class NotificationMessage {

    private NotificationMessage() {
    }

    /** The argument of the envelope; the payload is written from the object by the codec. */
    static Object[] args(Priority priority, String publisherId, Instant timestamp, Object payload) {
        Map<String, Object> message = new LinkedHashMap<>(4);
        message.put("priority", priority.wireName());
        message.put("publisherId", publisherId);
        message.put("timestamp", timestamp.toString());
        message.put("payload", payload);
        return new Object[] {message};
    }

    static Envelope header(String id, String topic, String eventType, Map<String, String> context, String from) {
        return event(id, topic, eventType, context, from, null);
    }

    /** The envelope with its arguments already a JSON tree, as it goes to each pool over ZeroMQ. */
    static Envelope event(String id, String topic, String eventType, Map<String, String> context, String from,
                          JsonNode args) {
        return Envelope.request(id, Kind.CAST, topic, null, false, eventType, args, context, null, 0, from);
    }

    /**
     * The same event for one listener pool over ZeroMQ: a NOTIFY whose {@code namespace} names the
     * pool, with the event's id (a pool's dedup window knows it whichever path carried it).
     */
    static Envelope forPool(Envelope event, String pool) {
        return new Envelope(event.v(), event.id(), Kind.NOTIFY, event.topic(), null, false, event.method(),
                event.args(), event.ctx(), null, null, 0, event.from(), null, null, pool, null, 0);
    }

    /** The event an envelope carries, or a refusal naming what is wrong. */
    static Notification read(Envelope e) {
        JsonNode message = e.args() != null && e.args().size() == 1 ? e.args().get(0) : null;
        if (message == null || !message.isObject()) {
            throw invalid(e, "its one argument must be the notification object");
        }
        Priority priority;
        Instant timestamp;
        try {
            priority = Priority.fromWire(message.path("priority").asString(""));
            timestamp = Instant.parse(message.path("timestamp").asString(""));
        } catch (RuntimeException ex) {
            throw invalid(e, "bad priority or timestamp (" + ex.getMessage() + ")");
        }
        String publisher = message.path("publisherId").isString() ? message.path("publisherId").asString() : null;
        return new Notification(e.id(), e.topic(), priority, e.method(), publisher, timestamp, e.ctx());
    }

    static JsonNode payload(Envelope e) {
        return e.args().get(0).get("payload");
    }

    private static WireFormatException invalid(Envelope e, String why) {
        return new WireFormatException(WireFormatException.Reason.INVALID_FIELD,
                "Invalid notification " + e.id() + ": " + why);
    }
}
