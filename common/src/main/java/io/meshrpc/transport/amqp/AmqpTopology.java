package io.meshrpc.transport.amqp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;

/**
 * The names and declarations of docs/wire-format.md, in one place so that sender and receiver agree.
 *
 * <ul>
 * <li>a durable topic exchange ({@code meshrpc} by default);
 * <li>per topic a shared durable queue {@code <topic>} (competing consumers: any node of the topic);
 * <li>per node a durable queue {@code <topic>.<node>} (messages for that node only; survives the node's
 *     restart, so a cast failed over to a restarting node waits for it);
 * <li>per topic a fanout exchange {@code <topic>_fanout} and per node a queue
 *     {@code <topic>_fanout.<node>}, deleted with its last consumer (fanouts are for live nodes);
 * <li>per node a reply queue {@code meshrpc.reply.<node>}: Qpid Broker-J has no direct reply-to.
 * </ul>
 * No {@code x-*} arguments anywhere: Qpid Broker-J closes the connection on RabbitMQ-only ones.
 */
public final class AmqpTopology {

    private final String prefix;
    private final String exchange;

    public AmqpTopology(AmqpSettings settings) {
        this.prefix = settings.prefix();
        this.exchange = settings.prefix() + settings.exchange();
    }

    public String exchange() {
        return exchange;
    }

    /** Routing key (and queue name) of a topic's shared queue. */
    public String topicKey(String topic) {
        return topic;
    }

    /** Routing key of a node's own queue on a topic. */
    public String nodeKey(String topic, String nodeId) {
        return topic + "." + nodeId;
    }

    public String topicQueue(String topic) {
        return prefix + topicKey(topic);
    }

    public String nodeQueue(String topic, String nodeId) {
        return prefix + nodeKey(topic, nodeId);
    }

    public String fanoutExchange(String topic) {
        return prefix + topic + "_fanout";
    }

    public String fanoutQueue(String topic, String nodeId) {
        return prefix + topic + "_fanout." + nodeId;
    }

    public String replyQueue(String nodeId) {
        return prefix + "meshrpc.reply." + nodeId;
    }

    /** Declares {@code declarables} (exchanges, queues and bindings, as this class lists them) in their order. */
    public static void declare(AmqpAdmin admin, List<Declarable> declarables) {
        for (Declarable d : declarables) {
            if (d instanceof Exchange e) {
                admin.declareExchange(e);
            } else if (d instanceof Queue q) {
                admin.declareQueue(q);
            } else if (d instanceof Binding b) {
                admin.declareBinding(b);
            }
        }
    }

    /** Every exchange, queue and binding a node serving {@code topics} consumes from. */
    public List<Declarable> declarations(String nodeId, Collection<String> topics) {
        List<Declarable> all = new ArrayList<>();
        TopicExchange main = new TopicExchange(exchange, true, false);
        all.add(main);
        all.add(new Queue(replyQueue(nodeId), false, false, false));
        for (String topic : topics) {
            Queue shared = new Queue(topicQueue(topic), true, false, false);
            Queue own = new Queue(nodeQueue(topic, nodeId), true, false, false);
            FanoutExchange fanout = new FanoutExchange(fanoutExchange(topic), true, false);
            Queue fanoutQueue = new Queue(fanoutQueue(topic, nodeId), false, false, true);
            all.add(shared);
            all.add(own);
            all.add(fanout);
            all.add(fanoutQueue);
            all.add(bind(shared, main, topicKey(topic)));
            all.add(bind(own, main, nodeKey(topic, nodeId)));
            all.add(BindingBuilder.bind(fanoutQueue).to(fanout));
        }
        return all;
    }

    /** The queues a node serving {@code topics} consumes: its topics' and its own. */
    public List<String> consumedQueues(String nodeId, Collection<String> topics) {
        List<String> queues = new ArrayList<>();
        for (String topic : topics) {
            queues.add(topicQueue(topic));
            queues.add(nodeQueue(topic, nodeId));
            queues.add(fanoutQueue(topic, nodeId));
        }
        return queues;
    }

    /** The durable topic exchange notifications are published to, with the key {@code <topic>.<priority>}. */
    public String notifyExchange() {
        return prefix + "meshrpc.notify";
    }

    public String notifyKey(String topic, io.meshrpc.api.Priority priority) {
        return topic + "." + priority.wireName();
    }

    /** A listener pool's durable queue: its members compete for its events, which wait while all are down. */
    public String poolQueue(String topic, String pool) {
        return prefix + "notify." + topic + "." + pool;
    }

    /** What a notifier needs to exist before it publishes: the notify exchange (queues are the pools'). */
    public List<Declarable> notifyDeclarations() {
        return List.of(new TopicExchange(notifyExchange(), true, false));
    }

    /** The notify exchange, and for each pool its queue, bound to the priorities it receives. */
    public List<Declarable> poolDeclarations(List<io.meshrpc.transport.NotificationBus.Pool> pools) {
        List<Declarable> all = new ArrayList<>();
        TopicExchange notify = new TopicExchange(notifyExchange(), true, false);
        all.add(notify);
        for (io.meshrpc.transport.NotificationBus.Pool pool : pools) {
            Queue queue = new Queue(poolQueue(pool.topic(), pool.pool()), true, false, false);
            all.add(queue);
            for (io.meshrpc.api.Priority priority : pool.priorities()) {
                all.add(bind(queue, notify, notifyKey(pool.topic(), priority)));
            }
        }
        return all;
    }

    /** What a sender needs to exist before it publishes: the exchanges (queues are the receivers'). */
    public List<Declarable> senderDeclarations(String topic) {
        return List.of(new TopicExchange(exchange, true, false), new FanoutExchange(fanoutExchange(topic), true, false));
    }

    private static Binding bind(Queue queue, TopicExchange exchange, String key) {
        return BindingBuilder.bind(queue).to(exchange).with(key);
    }
}
