package io.meshrpc.wire;

import java.util.Arrays;

/**
 * An envelope ready for the wire: its header, its arguments or result already written as JSON once,
 * and both encodings of the whole. The binary one ({@code docs/wire-format.md} §4.7) is made when this
 * is, on the thread that builds the message; the JSON one only when a path needs it (the broker, a
 * ZeroMQ connection in format 1), then kept: a failover resends the same bytes with the same id.
 *
 * <p>Shared across threads: the JSON encoding may be made twice by two of them at once, byte for byte
 * the same, and either is kept.
 */
public final class EncodedEnvelope {

    private final Envelope header;
    /** The payload as JSON, or null: none, or the end of {@link #binary} from {@link #payloadOffset}. */
    private final byte[] payload;
    private final byte[] binary;
    private final int payloadOffset;
    private final EnvelopeCodec codec;
    private volatile byte[] json;

    EncodedEnvelope(Envelope header, byte[] payload, byte[] binary, EnvelopeCodec codec) {
        this(header, payload, binary, -1, codec);
    }

    /** An envelope whose payload is the end of its binary encoding, from {@code payloadOffset}. */
    EncodedEnvelope(Envelope header, byte[] binary, int payloadOffset, EnvelopeCodec codec) {
        this(header, null, binary, payloadOffset, codec);
    }

    private EncodedEnvelope(Envelope header, byte[] payload, byte[] binary, int payloadOffset, EnvelopeCodec codec) {
        this.header = header;
        this.payload = payload;
        this.binary = binary;
        this.payloadOffset = payloadOffset;
        this.codec = codec;
    }

    /** The envelope without its arguments or result (they are in the encodings). */
    public Envelope header() {
        return header;
    }

    /**
     * The binary encoding, for batch frames; {@code null} for a request that names a namespace or a
     * version, which the binary layout has no field for: it travels as JSON on every path.
     */
    public byte[] binary() {
        return binary;
    }

    /**
     * The JSON encoding (§2 of the wire format), made on first use. It fits the size limit: the codec
     * refuses to make an encoded envelope whose JSON would not.
     */
    public byte[] json() {
        byte[] encoded = json;
        if (encoded == null) {
            encoded = codec.json(header, payloadOffset < 0 ? payload
                    : Arrays.copyOfRange(binary, payloadOffset, binary.length));
            json = encoded;
        }
        return encoded;
    }
}
