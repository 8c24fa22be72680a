package io.meshrpc.api;

/**
 * A call or cast asked for a version above the cap this node sends to the topic
 * ({@code meshrpc.version-caps.<topic>}); it was not sent. The oslo.messaging counterpart is
 * {@code RPCVersionCapError}: during a rolling upgrade the cap stays at what the oldest server of the
 * topic serves, and callers ask {@link RpcClient#canSendVersion} before they use a newer version.
 */
public class VersionCapException extends RpcException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Version asked;
    private final Version cap;

    public VersionCapException(String topic, Version asked, Version cap) {
        super("Version " + asked + " of topic '" + topic + "' is above the cap " + cap
                + " (meshrpc.version-caps." + topic + "); not sent");
        this.topic = topic;
        this.asked = asked;
        this.cap = cap;
    }

    public String topic() {
        return topic;
    }

    /** The version the message asked for. */
    public Version asked() {
        return asked;
    }

    /** The highest version this node sends to the topic. */
    public Version cap() {
        return cap;
    }
}
