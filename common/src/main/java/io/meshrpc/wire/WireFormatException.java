package io.meshrpc.wire;

/** A frame could not be read as an envelope; {@link #reason()} says why, for the rejected metric. */
public class WireFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a frame was rejected. */
    public enum Reason {
        /** Not JSON, truncated, or not an object. */
        MALFORMED,
        /** A {@code v} newer (or older) than this node can read. */
        UNSUPPORTED_VERSION,
        /** A required field is missing or has a bad value. */
        INVALID_FIELD,
        /** Larger than {@code meshrpc.max-message-bytes}. */
        TOO_LARGE
    }

    private final Reason reason;
    private final String envelopeId;

    public WireFormatException(Reason reason, String message) {
        this(reason, message, null, null);
    }

    public WireFormatException(Reason reason, String message, Throwable cause) {
        this(reason, message, null, cause);
    }

    private WireFormatException(Reason reason, String message, String envelopeId, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.envelopeId = envelopeId;
    }

    /** The same error, tagged with the id of the envelope it was found in. */
    public WireFormatException withEnvelopeId(String id) {
        return new WireFormatException(reason, getMessage(), id, getCause());
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The envelope's id if it could be read before the error, so that the receiver can refuse the
     * message by id (the sender then learns the reason at once instead of waiting for a timeout).
     */
    public String envelopeId() {
        return envelopeId;
    }
}
