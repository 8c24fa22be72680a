package io.meshrpc.wire;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * One message on the wire, identical on every transport (see {@code docs/wire-format.md}).
 *
 * @param v             format version, {@link #VERSION}
 * @param id            unique message id; receivers de-duplicate on it
 * @param kind          CAST, CALL or REPLY
 * @param topic         target topic (CAST, CALL)
 * @param server        target node, or {@code null} for any node of the topic
 * @param fanout        whether the message goes to every node of the topic
 * @param method        remote method name (CAST, CALL)
 * @param args          JSON array of positional arguments (CAST, CALL)
 * @param ctx           request context: {@code requestId}, {@code traceparent}, {@code caller}
 * @param replyTo       node id of the caller, where replies go (CALL)
 * @param correlationId id of the CALL this REPLY answers
 * @param deadline      epoch milliseconds after which nobody waits for the result; 0 for none
 * @param from          node id of the sender
 * @param result        the call's result (REPLY without error)
 * @param error         the call's error (REPLY)
 * @param namespace     the endpoint namespace the request is for, or {@code null} for the default one
 * @param version       the interface version the request needs ({@code major.minor}), or {@code null} for 1.0
 * @param monitor       on a CALL, the interval in ms at which the caller wants heartbeats while it runs; 0 for none
 */
public record Envelope(int v, String id, Kind kind, String topic, String server, boolean fanout,
                       String method, JsonNode args, Map<String, String> ctx, String replyTo,
                       String correlationId, long deadline, String from, JsonNode result,
                       ErrorInfo error, String namespace, String version, long monitor) {

    /** The wire format version this code writes and reads. */
    public static final int VERSION = 1;

    public Envelope {
        ctx = ctx == null ? Map.of() : ctx;
    }

    /** A CAST or CALL envelope. */
    public static Envelope request(String id, Kind kind, String topic, String server, boolean fanout,
                                   String method, JsonNode args, Map<String, String> ctx,
                                   String replyTo, long deadline, String from) {
        return new Envelope(VERSION, id, kind, topic, server, fanout, method, args, ctx, replyTo,
                null, deadline, from, null, null, null, null, 0);
    }

    /** A REPLY to {@code call} carrying a result or an error. */
    public static Envelope reply(String id, Envelope call, JsonNode result, ErrorInfo error, String from) {
        return new Envelope(VERSION, id, Kind.REPLY, call.topic(), null, false, call.method(), null,
                call.ctx(), null, call.id(), call.deadline(), from, result, error, null, null, 0);
    }

    /** A HEARTBEAT for a monitored {@code call}: its server still works on it. */
    public static Envelope heartbeat(String id, Envelope call, String from) {
        return new Envelope(VERSION, id, Kind.HEARTBEAT, call.topic(), null, false, call.method(), null,
                Map.of(), null, call.id(), call.deadline(), from, null, null, null, null, 0);
    }

    /** The same envelope addressed to one server (used when a fanout is split per node). */
    public Envelope withServer(String newServer) {
        return new Envelope(v, id, kind, topic, newServer, fanout, method, args, ctx, replyTo,
                correlationId, deadline, from, result, error, namespace, version, monitor);
    }

    /** The same CALL, asking its server for a heartbeat every {@code intervalMillis} while it runs. */
    public Envelope withMonitor(long intervalMillis) {
        return new Envelope(v, id, kind, topic, server, fanout, method, args, ctx, replyTo,
                correlationId, deadline, from, result, error, namespace, version, intervalMillis);
    }

    /** The same request for the endpoints of {@code newNamespace} that serve {@code newVersion}. */
    public Envelope withInterface(String newNamespace, String newVersion) {
        return new Envelope(v, id, kind, topic, server, fanout, method, args, ctx, replyTo,
                correlationId, deadline, from, result, error, newNamespace, newVersion, monitor);
    }

    /**
     * Whether the request names a namespace, a version or a monitor interval, which the binary
     * encoding has no room for: it travels as JSON on every path.
     */
    public boolean needsJson() {
        return namespace != null || version != null || monitor > 0;
    }
}
