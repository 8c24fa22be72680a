package io.meshrpc.transport.amqp;

/**
 * What a publish carries, and so how it is published: persistent or not, mandatory or not, and
 * whether the sending thread may publish it itself.
 *
 * <p>Only a call and a reply may go out on their sender's thread: someone waits for each, one at a
 * time, and the hand-off to the publisher thread is a fifth of a broker call's time. Casts and
 * notifications come in floods, where the publisher thread's batches are cheaper than threads
 * contending for the channel.
 */
enum PublishKind {
    CAST(true, true, false),
    CALL(true, true, true),
    /** Not mandatory: an event nobody listens to is confirmed and dropped, as oslo.messaging drops it. */
    NOTIFICATION(true, false, false),
    /** Not persistent: nobody waits for a reply after a broker restart. */
    REPLY(false, true, true);

    private final boolean persistent;
    private final boolean mandatory;
    private final boolean direct;

    PublishKind(boolean persistent, boolean mandatory, boolean direct) {
        this.persistent = persistent;
        this.mandatory = mandatory;
        this.direct = direct;
    }

    boolean persistent() {
        return persistent;
    }

    boolean mandatory() {
        return mandatory;
    }

    boolean direct() {
        return direct;
    }
}
