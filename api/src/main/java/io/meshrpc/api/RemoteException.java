package io.meshrpc.api;

/**
 * The remote side received the message and answered with an error: the handler threw, the method
 * does not exist, or the arguments did not fit.
 *
 * <p>The remote exception's class is not re-created locally (the caller may not have it, and
 * deserialising foreign types is a security hole); its type name and message travel instead.
 * Framework errors use stable type names starting with {@code meshrpc.}, listed in
 * {@code docs/wire-format.md}.
 */
public class RemoteException extends RpcException {

    private static final long serialVersionUID = 1L;

    /** The remote method does not exist on the topic. */
    public static final String UNKNOWN_METHOD = "meshrpc.UnknownMethod";
    /** The arguments could not be mapped to the remote method's parameters. */
    public static final String BAD_ARGUMENTS = "meshrpc.BadArguments";
    /**
     * No endpoint of the topic serves the namespace and version the call asked for: another
     * namespace, another major, or a newer minor than served. The message names what was asked and
     * what the node serves.
     */
    public static final String UNSUPPORTED_VERSION = "meshrpc.UnsupportedVersion";
    /** The reply could not be encoded, or was larger than the size limit. */
    public static final String BAD_REPLY = "meshrpc.BadReply";

    private final String remoteType;
    private final String remoteMessage;
    private final String method;

    public RemoteException(String remoteType, String remoteMessage, String method) {
        super(method + " failed remotely: " + remoteType + ": " + remoteMessage);
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
        this.method = method;
    }

    /** The remote exception's class name, or a {@code meshrpc.*} error name. */
    public String remoteType() {
        return remoteType;
    }

    /** The remote exception's message, possibly {@code null}. */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** The method that was called. */
    public String method() {
        return method;
    }
}
