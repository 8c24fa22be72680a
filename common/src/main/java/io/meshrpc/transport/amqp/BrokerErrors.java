package io.meshrpc.transport.amqp;

/** How broker failures are told in messages and logs. */
final class BrokerErrors {

    private BrokerErrors() {
    }

    /** The innermost cause's message (the client wraps the broker's answer several times), or its type. */
    static String rootMessage(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
