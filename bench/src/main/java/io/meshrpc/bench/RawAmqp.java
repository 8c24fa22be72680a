package io.meshrpc.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

/** Clean-up shared by the raw broker baselines: never throws, the run's result is already taken. */
final class RawAmqp {

    private RawAmqp() {
    }

    static void deleteQuietly(Channel channel, String queue) {
        if (channel == null || queue == null) {
            return;
        }
        try {
            channel.queueDelete(queue);
        } catch (Exception ex) {
            Progress.say("could not delete queue %s: %s", queue, ex.getMessage());
        }
    }

    static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (Exception ex) {
            Progress.say("could not close a broker connection: %s", ex.getMessage());
        }
    }
}
