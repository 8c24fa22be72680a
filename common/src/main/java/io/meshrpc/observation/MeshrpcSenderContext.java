package io.meshrpc.observation;

import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

/**
 * The context of a {@link MeshrpcObservation#SEND} observation. The carrier is the mutable map that
 * becomes the envelope's {@code ctx}: propagating handlers write {@code traceparent} (and
 * {@code tracestate}, baggage) into it before the envelope is encoded.
 */
public class MeshrpcSenderContext extends SenderContext<Map<String, String>> {

    private final String messageId;
    private final String topic;
    private final String method;
    private final String kind;
    private final String server;
    private volatile String transport = "none";

    public MeshrpcSenderContext(Map<String, String> ctx, String messageId, String topic, String method, String kind,
                                String server) {
        super((carrier, key, value) -> {
            if (carrier != null && key != null && value != null) {
                carrier.put(key, value);
            }
        }, "call".equals(kind) ? Kind.CLIENT : Kind.PRODUCER);
        setCarrier(ctx);
        this.messageId = messageId;
        this.topic = topic;
        this.method = method;
        this.kind = kind;
        this.server = server;
        setRemoteServiceName(topic);
    }

    public String messageId() {
        return messageId;
    }

    public String topic() {
        return topic;
    }

    public String method() {
        return method;
    }

    /** {@code cast}, {@code fanout} or {@code call}. */
    public String kind() {
        return kind;
    }

    /** The addressed node, or {@code null} for any node of the topic. */
    public String server() {
        return server;
    }

    /** The transport that delivered the message, once known. */
    public String transport() {
        return transport;
    }

    public void transport(String name) {
        this.transport = name == null ? "none" : name;
    }
}
