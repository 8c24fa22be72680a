package io.meshrpc.launcher.broker;

import io.meshrpc.qpid.EmbeddedQpidBroker;

/**
 * {@code qpid --port N [--bind ADDRESS]}: runs the embedded Qpid Broker-J in this process until it is
 * stopped, listening on {@code ADDRESS} (default {@code 127.0.0.1}). The
 * launcher starts it as a process of its own, like every other part of the cluster, so that
 * {@code down} and a crash of the launcher treat it alike.
 */
public final class QpidCommand {

    private QpidCommand() {
    }

    public static void run(String bindAddress, int port) throws InterruptedException {
        try {
            EmbeddedQpidBroker.main(new String[] {Integer.toString(port), bindAddress});
        } catch (RuntimeException ex) {
            ex.printStackTrace(); // the whole story goes to the broker's log
            throw ex;
        }
    }
}
