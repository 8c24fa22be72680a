package io.meshrpc.api;

import java.time.Instant;
import java.util.Map;

/**
 * One event as a listener receives it, without its payload (the listener's method takes that as a
 * second parameter of the type it wants).
 *
 * @param id          unique per event; a pool handles an id once
 * @param topic       the notification topic, such as {@code notifications}
 * @param priority    its priority
 * @param eventType   such as {@code compute.instance.create.end}
 * @param publisherId who published it, such as {@code compute.compute-3}
 * @param timestamp   when it was published
 * @param context     the publisher's context (request id and the like)
 */
public record Notification(String id, String topic, Priority priority, String eventType, String publisherId,
                           Instant timestamp, Map<String, String> context) {
}
