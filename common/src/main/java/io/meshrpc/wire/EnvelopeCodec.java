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

    private static final int MAX_CTX_ENTRIES = EnvelopeFields.MAX_CTX_ENTRIES;

    /** The envelope size limit, 1 MiB ({@code meshrpc.max-message-bytes}): the same for every transport. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    /** More than the field names, quotes, separators and a 19-digit deadline of the JSON encoding take. */
    private static final int JSON_FIELD_NAMES_BYTES = 256;

    private final JsonMapper mapper;
    private final int maxMessageBytes;
    private final ObjectReader treeReader;
    /** A binary envelope's payload is the rest of it: nothing may follow the JSON value. */
    private final ObjectReader payloadReader;
    /** Whether plain strings and nulls may be written without the mapper ({@link PlainJson}). */
    private final boolean plainJson;
    /** Topics, methods, node ids and context keys of binary envelopes, decoded and encoded once. */
    private final RecurringStrings names = new RecurringStrings();

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
        this.payloadReader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.plainJson = PlainJson.agreesWith(mapper);
    }

    /**
     * Encodes a CAST or CALL whose arguments are still Java values: they are written as JSON once,
     * and the binary encoding is made now; the JSON one when a path needs it.
     *
     * @throws MessageTooLargeException if the binary encoding is over the limit
     */
    public EncodedEnvelope encodeRequest(Envelope header, Object[] args) {
        Object[] values = args == null ? new Object[0] : args;
        byte[][] texts = plainJson ? PlainJson.argTexts(values) : null;
        if (texts == null) {
            return encoded(header, mapper.writeValueAsBytes(values));
        }
        if (header.needsJson()) {
            return encoded(header, PlainJson.args(texts));
        }
        // the arguments' JSON written straight into the binary envelope, not into an array of its own
        int argsSize = PlainJson.argsSize(texts);
        byte[] binary = BinaryEnvelopes.encodeWithPlainArgs(header, texts, argsSize, names);
        return checked(new EncodedEnvelope(header, binary, binary.length - argsSize, this), argsSize);
    }

    /**
     * Encodes a REPLY whose result is still a Java value (ignored when the reply carries an error).
     *
     * @throws MessageTooLargeException if the binary encoding is over the limit
     */
    public EncodedEnvelope encodeReply(Envelope reply, Object result) {
        if (reply.error() != null) {
            return encoded(reply, null);
        }
        byte[] plain = plainJson ? PlainJson.value(result) : null;
        return encoded(reply, plain != null ? plain : mapper.writeValueAsBytes(result));
    }

    /** Encodes an envelope that holds its arguments or result as JSON trees (as decoded). */
    public EncodedEnvelope encodeEnvelope(Envelope e) {
        byte[] payload;
        if (e.kind() == Kind.HEARTBEAT) {
            payload = null;
        } else if (e.kind() == Kind.REPLY) {
            payload = e.error() != null ? null : mapper.writeValueAsBytes(e.result());
        } else {
            payload = e.args() == null ? null : mapper.writeValueAsBytes(e.args());
        }
        return encoded(e, payload);
    }

    /**
     * Both encodings must fit the limit, or a message could pass on one path and fail on another. The
     * binary one is checked as it is made; the JSON one only when its largest possible size (every
     * header byte escaped in six characters, the payload as it is, the field names) could be over the
     * limit, which is when a message is close to it: then it is made now, and kept.
     */
    private EncodedEnvelope encoded(Envelope header, byte[] payload) {
        if (header.needsJson()) {
            EncodedEnvelope jsonOnly = new EncodedEnvelope(header, payload, null, this);
            jsonOnly.json(); // made now, off the I/O thread, and checked against the limit
            return jsonOnly;
        }
        byte[] binary = BinaryEnvelopes.encode(header, payload, names);
        return checked(new EncodedEnvelope(header, payload, binary, this), payload == null ? 0 : payload.length);
    }

    /** {@code encoded}, once both its encodings are known to fit. */
    private EncodedEnvelope checked(EncodedEnvelope encoded, int payloadBytes) {
        Envelope header = encoded.header();
        byte[] binary = encoded.binary();
        if (binary.length > maxMessageBytes) {
            throw new MessageTooLargeException(binary.length, maxMessageBytes);
        }
        long largestJson = 6L * (binary.length - payloadBytes) + payloadBytes + JSON_FIELD_NAMES_BYTES
                + 8L * header.ctx().size();
        if (largestJson > maxMessageBytes) {
            encoded.json(); // throws MessageTooLargeException if it is over
        }
        return encoded;
    }

    /** The JSON encoding of a header and its payload, already JSON; for {@link EncodedEnvelope#json()}. */
    byte[] json(Envelope header, byte[] payload) {
        return encode(header, payload == null ? null : new RawJson(payload));
    }

    /** JSON text written as it is, where the arguments or the result go. */
    private record RawJson(byte[] bytes) {
        String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
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
            writeOptional(g, "namespace", e.namespace());
            writeOptional(g, "version", e.version());
            if (e.monitor() > 0) {
                g.writeNumberProperty("monitor", e.monitor());
            }
            if (payload instanceof RawJson raw && !e.kind().answersACall()) {
                g.writeName("args");
                g.writeRawValue(raw.text());
            } else if (payload instanceof Object[] args && !e.kind().answersACall()) {
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
                if (payload instanceof RawJson raw) {
                    g.writeRawValue(raw.text());
                } else if (payload != null) {
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
        checkSize("Frame", length);
        EnvelopeFields f = new EnvelopeFields();
        try {
            parse(frame, offset, length, f);
            return f.validate();
        } catch (WireFormatException ex) {
            throw f.id == null ? ex : ex.withEnvelopeId(f.id);
        }
    }

    /**
     * Decodes a binary envelope (§4.7 of the wire format) from {@code length} bytes of {@code frame}
     * starting at {@code offset}, with the same rules and reasons as the JSON encoding.
     *
     * @throws WireFormatException with the reason it was refused
     */
    public Envelope decodeBinary(byte[] frame, int offset, int length) {
        checkSize("Envelope", length);
        EnvelopeFields f = new EnvelopeFields();
        try {
            int payload = BinaryEnvelopes.decodeHeader(frame, offset, length, f, names);
            readPayload(frame, payload, offset + length - payload, f);
            return f.validate();
        } catch (WireFormatException ex) {
            throw f.id == null ? ex : ex.withEnvelopeId(f.id);
        }
    }

    /** Refuses what is over the limit before a byte of it is parsed. */
    private void checkSize(String what, int length) {
        if (length > maxMessageBytes) {
            throw new WireFormatException(WireFormatException.Reason.TOO_LARGE,
                    what + " of " + length + " bytes exceeds meshrpc.max-message-bytes=" + maxMessageBytes);
        }
    }

    private void readPayload(byte[] frame, int offset, int length, EnvelopeFields f) {
        boolean reply = "REPLY".equals(f.kind);
        if (length == 0 || (reply && f.error != null)) {
            return;
        }
        JsonNode value = plainJson ? PlainJson.read(frame, offset, length, mapper.getNodeFactory()) : null;
        try {
            if (value == null) {
                value = payloadReader.readValue(frame, offset, length);
            }
        } catch (JacksonException ex) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED,
                    "Malformed envelope: payload: " + ex.getOriginalMessage(), ex);
        }
        if (reply) {
            f.result = value;
            f.hasResult = true;
        } else {
            f.args = value.isNull() ? null : value;
        }
    }

    private void parse(byte[] frame, int offset, int length, EnvelopeFields f) {
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

    private void readField(JsonParser p, String name, JsonToken value, EnvelopeFields f) {
        switch (name) {
            case "v" -> f.v = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
            case "id" -> f.id = text(p, value, name);
            case "kind" -> f.kind = text(p, value, name);
            case "topic" -> f.topic = text(p, value, name);
            case "server" -> f.server = text(p, value, name);
            case "fanout" -> f.fanout = value == JsonToken.VALUE_TRUE;
            case "method" -> f.method = text(p, value, name);
            case "namespace" -> f.namespace = text(p, value, name);
            case "version" -> f.version = text(p, value, name);
            case "monitor" -> f.monitor = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
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
        return EnvelopeFields.malformed(message);
    }

    private static WireFormatException invalid(String message) {
        return EnvelopeFields.invalid(message);
    }
}
