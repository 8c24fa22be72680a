package io.meshrpc.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import io.meshrpc.matchmaker.InMemoryMatchmaker;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.amqp.AmqpTopology;
import io.meshrpc.transport.zmq.ZmqSettings;

/**
 * Real nodes that speak both ZeroMQ and AMQP to one real broker, sharing one in-process directory.
 * Every name on the broker carries a prefix unique to this cluster, and what was declared is
 * deleted at close, so runs that share the machine's RabbitMQ never meet.
 */
final class BrokerCluster implements RpcCluster {

    static final Duration ACK_TIMEOUT = Duration.ofMillis(500);

    final InMemoryMatchmaker matchmaker = new InMemoryMatchmaker();
    final AmqpSettings amqpSettings;
    private final String host;
    private final int port;
    private final List<MeshNode> nodes = new ArrayList<>();
    private final List<String[]> pools = new ArrayList<>();
    private final List<CachingConnectionFactory> factories = new ArrayList<>();
    private final java.util.Map<String, Set<String>> topicsByNode = new java.util.LinkedHashMap<>();
    private final Set<String> topics = new LinkedHashSet<>();

    private RoutingSettings defaultRouting = RoutingSettings.of(io.meshrpc.matchmaker.protocol.DeliveryPolicy.ZMQ_FIRST);

    BrokerCluster(String host, int port, String prefix) {
        this.host = host;
        this.port = port;
        this.amqpSettings = AmqpSettings.builder().prefix(prefix).prefetch(100).build();
    }

    CachingConnectionFactory connections() {
        CachingConnectionFactory factory = new CachingConnectionFactory(host, port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factories.add(factory);
        return factory;
    }

    /** Routing of the nodes started without their own, e.g. {@code amqp} for the broker path. */
    BrokerCluster routing(RoutingSettings routing) {
        this.defaultRouting = routing;
        return this;
    }

    @Override
    public InMemoryMatchmaker matchmaker() {
        return matchmaker;
    }

    @Override
    public MeshNode start(String nodeId, Object... endpoints) {
        return start(nodeId, defaultRouting, endpoints);
    }

    @Override
    public MeshNode startCapped(String nodeId, java.util.Map<String, String> versionCaps) {
        return start(builder(nodeId, defaultRouting).versionCaps(versionCaps));
    }

    MeshNode start(String nodeId, RoutingSettings routing, Object... endpoints) {
        return start(builder(nodeId, routing, endpoints));
    }

    MeshNode.Builder builder(String nodeId, RoutingSettings routing, Object... endpoints) {
        return MeshNode.builder().nodeId(nodeId).endpoints(endpoints).routing(routing)
                .zmq(ZmqSettings.loopback(0).withAckTimeout(ACK_TIMEOUT))
                .amqp(connections(), amqpSettings);
    }

    MeshNode start(MeshNode.Builder builder) {
        MeshNode node = builder.matchmaker(matchmaker).defaultTimeout(Duration.ofSeconds(10)).build().start();
        nodes.add(node);
        Set<String> served = node.report().policies().servedTopics().keySet();
        topicsByNode.computeIfAbsent(node.nodeId(), id -> new LinkedHashSet<>()).addAll(served);
        topics.addAll(served);
        return node;
    }

    /** Topics used only by senders (their fanout exchanges are declared too). */
    void usesTopic(String topic) {
        topics.add(topic);
    }

    /** The nodes started, in order. */
    List<MeshNode> nodes() {
        return List.copyOf(nodes);
    }

    /** A listener pool a test's nodes use: its queue is deleted with the rest. */
    void usesPool(String topic, String pool) {
        pools.add(new String[] {topic, pool});
    }

    @Override
    public void close() {
        nodes.forEach(MeshNode::stop);
        deleteDeclared();
        factories.forEach(CachingConnectionFactory::destroy);
    }

    private void deleteDeclared() {
        CachingConnectionFactory factory = connections();
        RabbitAdmin admin = new RabbitAdmin(factory);
        AmqpTopology names = new AmqpTopology(amqpSettings);
        List<Runnable> deletes = new ArrayList<>();
        topicsByNode.forEach((node, nodeTopics) -> {
            deletes.add(() -> admin.deleteQueue(names.replyQueue(node)));
            names.consumedQueues(node, nodeTopics).forEach(queue -> deletes.add(() -> admin.deleteQueue(queue)));
        });
        for (String topic : topics) {
            deletes.add(() -> admin.deleteExchange(names.fanoutExchange(topic)));
        }
        deletes.add(() -> admin.deleteExchange(names.exchange()));
        for (String[] pool : pools) {
            deletes.add(() -> admin.deleteQueue(names.poolQueue(pool[0], pool[1])));
        }
        deletes.add(() -> admin.deleteExchange(names.notifyExchange()));
        for (Runnable delete : deletes) {
            try {
                delete.run();
            } catch (RuntimeException ex) {
                // already gone (auto-deleted, or the broker was stopped by an outage test)
            }
        }
    }
}
