package io.meshrpc.it;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * A server node in a process of its own, for {@link CallMonitorTest} to kill or freeze while a call
 * runs. Arguments: node id, then either nothing (ZeroMQ only) or the broker's host, port and queue
 * prefix. It prints {@code @@ READY <endpoint>} once it serves, and {@code @@ WORKING} when a call of
 * {@code slowpoke.work} starts.
 */
public final class MonitoredServer {

    private MonitoredServer() {
    }

    /** Works for as long as it is asked, telling the parent when it starts. */
    @RpcEndpoint(topic = "slowpoke")
    public static final class Slowpoke {
        public String work(long millis) throws InterruptedException {
            System.out.println("@@ WORKING");
            System.out.flush();
            Thread.sleep(millis);
            return "done";
        }
    }

    public static void main(String[] args) throws Exception {
        MeshNode.Builder builder = MeshNode.builder().nodeId(args[0]).matchmaker(new InMemoryMatchmaker())
                .zmq(ZmqSettings.loopback(0)).endpoints(new Slowpoke()).defaultTimeout(Duration.ofSeconds(60));
        if (args.length > 1) {
            CachingConnectionFactory connections = new CachingConnectionFactory(args[1], Integer.parseInt(args[2]));
            connections.setUsername("guest");
            connections.setPassword("guest");
            builder.amqp(connections, AmqpSettings.builder().prefix(args[3]).build());
        }
        MeshNode node = builder.build().start();
        System.out.println("@@ READY " + node.endpoint());
        System.out.flush();
        new CountDownLatch(1).await(); // until the test kills this process
    }
}
