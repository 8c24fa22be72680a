package io.meshrpc.wire;

import java.util.Map;

import io.meshrpc.api.Target;
import io.meshrpc.api.Version;
import tools.jackson.databind.JsonNode;

/**
 * The fields of one envelope as a decoder read them, in either encoding (JSON or binary);
 * {@link #validate()} turns them into an {@link Envelope} or refuses them, with the same rules and
 * the same reasons whichever encoding carried them.
 */
final class EnvelopeFields {
    int v = -1;
    String id;
    String kind;
    String topic;
    String server;
    boolean fanout;
    String method;
    JsonNode args;
    Map<String, String> ctx;
    String replyTo;
    String correlationId;
    long deadline;
    String from;
    JsonNode result;
    boolean hasResult;
    ErrorInfo error;
    String namespace;
    String version;
    long monitor;

    Envelope validate() {
        if (v == -1) {
            throw invalid("field 'v' (format version) is required and must be an integer");
        }
        if (v != Envelope.VERSION) {
            throw new WireFormatException(WireFormatException.Reason.UNSUPPORTED_VERSION,
                    "Unsupported envelope version v=" + v + "; this node reads v=" + Envelope.VERSION);
        }
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw invalid("field 'id' is required (1-" + MAX_ID_LENGTH + " characters)");
        }
        Kind k = kind();
        if (k == Kind.REPLY) {
            if (correlationId == null) {
                throw invalid("a REPLY needs 'correlationId'");
            }
            if (error == null && !hasResult) {
                throw invalid("a REPLY needs 'result' or 'error'");
            }
        } else if (k == Kind.HEARTBEAT) {
            if (correlationId == null) {
                throw invalid("a HEARTBEAT needs 'correlationId'");
            }
        } else {
            checkRequest(k);
        }
        return new Envelope(v, id, k, topic, server, fanout, method, args, ctx, replyTo,
                correlationId, deadline, from, result, error, namespace, version, monitor);
    }

    private Kind kind() {
        if (kind == null) {
            throw invalid("field 'kind' is required");
        }
        return switch (kind) {
            case "CAST" -> Kind.CAST;
            case "CALL" -> Kind.CALL;
            case "REPLY" -> Kind.REPLY;
            case "HEARTBEAT" -> Kind.HEARTBEAT;
            case "NOTIFY" -> Kind.NOTIFY;
            default -> throw invalid("unknown kind '" + kind + "'");
        };
    }

    private void checkRequest(Kind k) {
        if (!Target.isValidTopic(topic)) {
            throw invalid("field 'topic' is required and must match [a-z0-9_.-]{1,64}");
        }
        if (server != null && !Target.isValidServer(server)) {
            throw invalid("field 'server' must match [A-Za-z0-9_.@-]{1,128}");
        }
        if (method == null || method.isEmpty() || method.length() > MAX_METHOD_LENGTH) {
            throw invalid("field 'method' is required (1-" + MAX_METHOD_LENGTH + " characters)");
        }
        if (args != null && !args.isArray()) {
            throw invalid("field 'args' must be a JSON array");
        }
        if (namespace != null && !Target.isValidTopic(namespace)) {
            throw invalid("field 'namespace' must match [a-z0-9_.-]{1,64}");
        }
        if (version != null && !Version.isValid(version)) {
            throw invalid("field 'version' must be major.minor, each 1-4 digits");
        }
        if (monitor < 0 || monitor > MAX_MONITOR_MILLIS || (monitor > 0 && k != Kind.CALL)) {
            throw invalid("field 'monitor' must be 1-" + MAX_MONITOR_MILLIS + " (ms), on a CALL only");
        }
        if (k == Kind.CALL && replyTo == null) {
            throw invalid("a CALL needs 'replyTo'");
        }
        if (k == Kind.NOTIFY && namespace == null) {
            throw invalid("a NOTIFY needs 'namespace' (the listener pool it is for)");
        }
    }

    static final int MAX_ID_LENGTH = 128;
    static final int MAX_METHOD_LENGTH = 128;
    static final int MAX_CTX_ENTRIES = 32;
    /** The longest heartbeat interval a caller may ask for: an hour. */
    static final long MAX_MONITOR_MILLIS = 3_600_000;

    static WireFormatException malformed(String message) {
        return new WireFormatException(WireFormatException.Reason.MALFORMED, "Malformed envelope: " + message);
    }

    static WireFormatException invalid(String message) {
        return new WireFormatException(WireFormatException.Reason.INVALID_FIELD, "Invalid envelope: " + message);
    }
}
