package io.meshrpc.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.meshrpc.api.RpcClient;
import io.meshrpc.api.Target;
import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.zmq.CurveKeys;
import io.meshrpc.transport.zmq.CurveSettings;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Two meshrpc nodes in this JVM, a client and a server with a {@link BenchEndpoint}, found through
 * an in-memory matchmaker.
 *
 * <p>Each node is built as a service builds it: its own ZeroMQ context and I/O thread, a meter
 * registry (so the metrics' cost is included), default worker and callback pools, loopback
 * settings. Only the process boundary is missing, which spares the benchmark a second JVM and
 * keeps it to what meshrpc adds over JeroMQ, since the raw scenarios share the JVM too.
 */
final class MeshPair implements AutoCloseable {

    static final Target TARGET = Target.topic(BenchEndpoint.TOPIC);
    private static final int CONNECT_ATTEMPTS = 10;

    private final MeshNode server;
    private final MeshNode client;
    private final BenchEndpoint endpoint;
    private final InMemoryMatchmaker matchmaker;
    private final BrokerUnderTest broker;

    private MeshPair(MeshNode server, MeshNode client, BenchEndpoint endpoint, InMemoryMatchmaker matchmaker,
                     BrokerUnderTest broker) {
        this.server = server;
        this.client = client;
        this.endpoint = endpoint;
        this.matchmaker = matchmaker;
        this.broker = broker;
    }

    /** Starts both nodes with the default settings and returns once a first call made the round trip. */
    static MeshPair start() {
        return start(MeshNode.DEFAULT_CALLER_SPIN);
    }

    /**
     * Two nodes over ZeroMQ whose client parks a caller blocked on a result at once, without the
     * default spin ({@code meshrpc.caller-spin=0}).
     */
    static MeshPair startWithParkingCallers() {
        return start(Duration.ZERO);
    }

    private static MeshPair start(Duration callerSpin) {
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        BenchEndpoint endpoint = new BenchEndpoint();
        MeshNode server = node("bench-server", matchmaker).endpoints(endpoint).build().start();
        MeshNode client = node("bench-client", matchmaker).callerSpin(callerSpin).build().start();
        MeshPair pair = new MeshPair(server, client, endpoint, matchmaker, null);
        pair.awaitFirstCall();
        return pair;
    }

    /**
     * Two nodes that also speak AMQP to {@code broker}, both routing by {@code policy}: the pair of
     * the broker scenarios ({@code amqp}) and of the outage scenario ({@code zmq-first}).
     */
    static MeshPair startWithBroker(BrokerUnderTest broker, DeliveryPolicy policy) {
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        BenchEndpoint endpoint = new BenchEndpoint();
        RoutingSettings routing = new RoutingSettings(policy, Map.of(), Duration.ofMinutes(10));
        MeshNode server = node("bench-server", matchmaker).endpoints(endpoint).routing(routing)
                .amqp(broker.connections(), broker.settings()).build().start();
        MeshNode client = node("bench-client", matchmaker).routing(routing)
                .amqp(broker.connections(), broker.settings()).build().start();
        MeshPair pair = new MeshPair(server, client, endpoint, matchmaker, broker);
        pair.awaitFirstCall();
        return pair;
    }

    /** Two nodes over ZeroMQ with CURVE on: each accepts only the other's client key. */
    static MeshPair startWithCurve() {
        InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
        BenchEndpoint endpoint = new BenchEndpoint();
        CurveKeys serverKeys = CurveKeys.generate();
        CurveKeys clientKeys = CurveKeys.generate();
        MeshNode server = node("bench-server", matchmaker).endpoints(endpoint)
                .zmq(ZmqSettings.loopback(0).withCurve(new CurveSettings(serverKeys, Set.of(clientKeys.publicKey()), false)))
                .build().start();
        MeshNode client = node("bench-client", matchmaker)
                .zmq(ZmqSettings.loopback(0).withCurve(new CurveSettings(clientKeys, Set.of(serverKeys.publicKey()), false)))
                .build().start();
        MeshPair pair = new MeshPair(server, client, endpoint, matchmaker, null);
        pair.awaitFirstCall();
        return pair;
    }

    MeshNode server() {
        return server;
    }

    MeshNode client() {
        return client;
    }

    InMemoryMatchmaker matchmaker() {
        return matchmaker;
    }

    private static MeshNode.Builder node(String id, InMemoryMatchmaker matchmaker) {
        return MeshNode.builder().nodeId(id).matchmaker(matchmaker).zmq(ZmqSettings.loopback(0))
                .meterRegistry(new SimpleMeterRegistry());
    }

    /** A first connect between separate contexts can stall; meshrpc retries it, we wait for that. */
    private void awaitFirstCall() {
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            try {
                client.client().call(TARGET, "echo", "ping", String.class, Duration.ofSeconds(2))
                        .get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception ex) {
                Progress.say("meshrpc: first call failed (attempt %d): %s", attempt, rootCause(ex));
            }
        }
        throw new IllegalStateException("The meshrpc client node cannot reach the server node");
    }

    RpcClient rpc() {
        return client.client();
    }

    BenchEndpoint endpoint() {
        return endpoint;
    }

    /** The broker's process on this machine, if the pair goes through one ({@link BrokerUnderTest#process()}). */
    OptionalLong brokerProcess() {
        return broker == null ? OptionalLong.empty() : broker.process();
    }

    static String rootCause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    @Override
    public void close() {
        client.stop();
        server.stop();
        if (broker != null) {
            deleteQueues();
            broker.close();
        }
    }

    /** What the nodes declared on the broker, so a shared RabbitMQ keeps nothing of the run. */
    private void deleteQueues() {
        var factory = broker.connections();
        try {
            var admin = new org.springframework.amqp.rabbit.core.RabbitAdmin(factory);
            var names = new io.meshrpc.transport.amqp.AmqpTopology(broker.settings());
            String topic = BenchEndpoint.TOPIC;
            admin.deleteQueue(names.replyQueue(client.nodeId()));
            admin.deleteQueue(names.replyQueue(server.nodeId()));
            // the fanout queue went with its consumer (auto-delete)
            names.consumedQueues(server.nodeId(), List.of(topic)).stream()
                    .filter(queue -> !queue.equals(names.fanoutQueue(topic, server.nodeId())))
                    .forEach(admin::deleteQueue);
            admin.deleteExchange(names.fanoutExchange(topic));
            admin.deleteExchange(names.exchange());
        } catch (RuntimeException ex) {
            Progress.say("cleaning the broker failed: %s", ex.getMessage());
        } finally {
            factory.destroy();
        }
    }
}
