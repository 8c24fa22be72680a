package io.meshrpc.launcher.ops;

import java.io.IOException;
import java.time.Duration;

import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.ServiceProcess;
import io.meshrpc.launcher.http.Http;

/**
 * Reads how many messages each transport carried, from every live node's actuator
 * ({@code /actuator/metrics/meshrpc.messages.sent?tag=transport:zmq&tag=outcome:ok}). A meter that
 * does not exist yet (nothing sent that way) reads as 0.
 */
public final class TransportMeter {

    public static final String METER = "meshrpc.messages.sent";

    private final Http http = new Http(Duration.ofSeconds(3));

    public TransportCounts read(ClusterState state) {
        long zmq = 0;
        long amqp = 0;
        for (ServiceProcess node : state.meshNodes()) {
            if (node.alive()) {
                zmq += sent(node, "zmq");
                amqp += sent(node, "amqp");
            }
        }
        return new TransportCounts(zmq, amqp);
    }

    /** Messages {@code node} sent over {@code transport} successfully. */
    public long sent(ServiceProcess node, String transport) {
        try {
            Http.Reply reply = http.get(node.baseUrl() + "/actuator/metrics/" + METER + "?tag=transport:" + transport
                    + "&tag=outcome:ok");
            if (!reply.ok() || reply.body() == null) {
                return 0;
            }
            return Math.round(reply.body().path("measurements").path(0).path("value").asDouble(0));
        } catch (IOException ex) {
            return 0;
        }
    }
}
