package io.meshrpc.wire;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

import io.meshrpc.api.MessageTooLargeException;
import io.meshrpc.api.Target;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@link Envelope}s as JSON, and enforces the size limit on both sides.
 *
 * <p>Hand-written over Jackson's streaming API rather than data binding, for two reasons: every
 * check a hostile frame must pass (size, version, required fields, value ranges) happens in one
 * place with a precise error, and the hot path allocates little beyond the envelope itself.
 * Unknown fields are skipped, so newer senders may add fields without bumping {@code v}.
 */
public final class EnvelopeCodec {

    private static final int MAX_ID_LENGTH = 128;
    private static final int MAX_METHOD_LENGTH = 128;
    private static final int MAX_CTX_ENTRIES = 32;

    /** The envelope size limit, 1 MiB ({@code meshrpc.max-message-bytes}): the same for every transport. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    private final JsonMapper mapper;
    private final int maxMessageBytes;
    private final ObjectReader treeReader;

    public EnvelopeCodec(JsonMapper mapper, int maxMessageBytes) {
        if (maxMessageBytes < 256) {
            throw new IllegalArgumentException("meshrpc.max-message-bytes must be at least 256, was "
                    + maxMessageBytes);
        }
        this.mapper = mapper;
        this.maxMessageBytes = maxMessageBytes;
        // args and result are read in the middle of the envelope: the rest of it is not "trailing".
        this.treeReader = mapper.readerFor(JsonNode.class)
                .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public JsonMapper mapper() {
        return mapper;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * Encodes an envelope.
     *
     * @throws MessageTooLargeException if the result is over the limit
     */
    public byte[] encode(Envelope e) {
        return encode(e, null);
    }

    /**
     * Encodes an envelope whose arguments (CAST, CALL) or result (REPLY) are still Java values:
     * they are written straight from the objects, without first building a JSON tree.
     *
     * @param payload the arguments as an {@code Object[]}, or the result; {@code null} to write the
     *                envelope's own {@code args} / {@code result}
     * @throws MessageTooLargeException if the result is over the limit
     */
    public byte[] encode(Envelope e, Object payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberProperty("v", e.v());
            g.writeStringProperty("id", e.id());
            g.writeStringProperty("kind", e.kind().name());
            writeOptional(g, "topic", e.topic());
            writeOptional(g, "server", e.server());
            if (e.fanout()) {
                g.writeBooleanProperty("fanout", true);
            }
            writeOptional(g, "method", e.method());
            if (payload instanceof Object[] args && e.kind() != Kind.REPLY) {
                g.writeName("args");
                g.writeStartArray();
                for (Object arg : args) {
                    g.writePOJO(arg);
                }
                g.writeEndArray();
            } else if (e.args() != null) {
                g.writeName("args");
                g.writeTree(e.args());
            }
            if (!e.ctx().isEmpty()) {
                g.writeName("ctx");
                g.writeStartObject();
                for (Map.Entry<String, String> entry : e.ctx().entrySet()) {
                    g.writeStringProperty(entry.getKey(), entry.getValue());
                }
                g.writeEndObject();
            }
            writeOptional(g, "replyTo", e.replyTo());
            writeOptional(g, "correlationId", e.correlationId());
            if (e.deadline() > 0) {
                g.writeNumberProperty("deadline", e.deadline());
            }
            writeOptional(g, "from", e.from());
            if (e.kind() == Kind.REPLY && e.error() == null) {
                g.writeName("result");
                if (payload != null) {
                    g.writePOJO(payload);
                } else if (e.result() == null) {
                    g.writeNull();
                } else {
                    g.writeTree(e.result());
                }
            }
            if (e.error() != null) {
                g.writeName("error");
                g.writeStartObject();
                g.writeStringProperty("type", e.error().type());
                writeOptional(g, "message", e.error().message());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        if (out.size() > maxMessageBytes) {
            throw new MessageTooLargeException(out.size(), maxMessageBytes);
        }
        return out.toByteArray();
    }

    private static void writeOptional(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.writeStringProperty(name, value);
        }
    }

    /** Decodes a whole frame. */
    public Envelope decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /**
     * Decodes an envelope from {@code length} bytes of {@code frame} starting at {@code offset}.
     *
     * @throws WireFormatException with the reason the frame was refused
     */
    public Envelope decode(byte[] frame, int offset, int length) {
        if (length > maxMessageBytes) {
            throw new WireFormatException(WireFormatException.Reason.TOO_LARGE,
                    "Frame of " + length + " bytes exceeds meshrpc.max-message-bytes=" + maxMessageBytes);
        }
        Fields f = new Fields();
        try {
            parse(frame, offset, length, f);
            return f.validate();
        } catch (WireFormatException ex) {
            throw f.id == null ? ex : ex.withEnvelopeId(f.id);
        }
    }

    private void parse(byte[] frame, int offset, int length, Fields f) {
        try (JsonParser p = mapper.createParser(frame, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("envelope is not a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                readField(p, name, value, f);
            }
            if (p.nextToken() != null) {
                throw malformed("trailing data after the envelope");
            }
        } catch (JacksonException ex) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED,
                    "Malformed envelope: " + ex.getOriginalMessage(), ex);
        }
    }

    private void readField(JsonParser p, String name, JsonToken value, Fields f) {
        switch (name) {
            case "v" -> f.v = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
            case "id" -> f.id = text(p, value, name);
            case "kind" -> f.kind = text(p, value, name);
            case "topic" -> f.topic = text(p, value, name);
            case "server" -> f.server = text(p, value, name);
            case "fanout" -> f.fanout = value == JsonToken.VALUE_TRUE;
            case "method" -> f.method = text(p, value, name);
            case "args" -> f.args = value == JsonToken.VALUE_NULL ? null : treeReader.readValue(p);
            case "ctx" -> f.ctx = readCtx(p, value);
            case "replyTo" -> f.replyTo = text(p, value, name);
            case "correlationId" -> f.correlationId = text(p, value, name);
            case "deadline" -> f.deadline = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
            case "from" -> f.from = text(p, value, name);
            case "result" -> {
                f.result = treeReader.readValue(p);
                f.hasResult = true;
            }
            case "error" -> f.error = readError(p, value);
            default -> p.skipChildren();
        }
    }

    private static String text(JsonParser p, JsonToken value, String name) {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw invalid("field '" + name + "' must be a string");
        }
        return p.getString();
    }

    private static Map<String, String> readCtx(JsonParser p, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (value != JsonToken.START_OBJECT) {
            throw invalid("field 'ctx' must be an object of strings");
        }
        Map<String, String> ctx = new HashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_STRING) {
                throw invalid("ctx." + key + " must be a string");
            }
            if (ctx.size() == MAX_CTX_ENTRIES) {
                throw invalid("ctx has more than " + MAX_CTX_ENTRIES + " entries");
            }
            ctx.put(key, p.getString());
        }
        return ctx;
    }

    private static ErrorInfo readError(JsonParser p, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw invalid("field 'error' must be an object");
        }
        String type = null;
        String message = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            switch (key) {
                case "type" -> type = text(p, t, "error.type");
                case "message" -> message = text(p, t, "error.message");
                default -> p.skipChildren();
            }
        }
        if (type == null) {
            throw invalid("error.type is required");
        }
        return new ErrorInfo(type, message);
    }

    private static WireFormatException malformed(String message) {
        return new WireFormatException(WireFormatException.Reason.MALFORMED, "Malformed envelope: " + message);
    }

    private static WireFormatException invalid(String message) {
        return new WireFormatException(WireFormatException.Reason.INVALID_FIELD, "Invalid envelope: " + message);
    }

    /** Mutable holder while parsing; {@link #validate()} turns it into an envelope or refuses it. */
    private static final class Fields {
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
            } else {
                checkRequest(k);
            }
            return new Envelope(v, id, k, topic, server, fanout, method, args, ctx, replyTo,
                    correlationId, deadline, from, result, error);
        }

        private Kind kind() {
            if (kind == null) {
                throw invalid("field 'kind' is required");
            }
            return switch (kind) {
                case "CAST" -> Kind.CAST;
                case "CALL" -> Kind.CALL;
                case "REPLY" -> Kind.REPLY;
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
            if (k == Kind.CALL && replyTo == null) {
                throw invalid("a CALL needs 'replyTo'");
            }
        }
    }
}
