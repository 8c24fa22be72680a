package io.meshrpc.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;

/**
 * {@code raw-rabbitmq-call} (and {@code raw-qpid-call}): the floor for meshrpc's broker call, written
 * with the plain RabbitMQ client: the request persistent to a durable queue on a channel in confirm
 * mode (confirms not awaited, as a call waits for its reply, not for the confirm), a server consumer
 * with manual acks that publishes the reply to a fixed reply queue of the caller, whose consumer
 * hands it back. 100 bytes each way, strictly one call at a time; latency is the round trip.
 */
final class RawAmqpCallScenario implements Scenario {

    private static final Duration REPLY_WAIT = Duration.ofSeconds(5);

    private final BrokerUnderTest.Kind kind;
    private final byte[] payload = "x".repeat(RawEchoScenario.PAYLOAD_BYTES).getBytes();
    private final SynchronousQueue<byte[]> replies = new SynchronousQueue<>();
    private BrokerUnderTest broker;
    private Connection serverConnection;
    private Connection clientConnection;
    private Channel client;
    private String requests;
    private String replyQueue;
    private AMQP.BasicProperties requestProperties;

    RawAmqpCallScenario(BrokerUnderTest.Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return "raw-" + kind.label + "-call";
    }

    @Override
    public void open() throws Exception {
        broker = BrokerUnderTest.start(kind);
        requests = broker.name("raw-call");
        replyQueue = broker.name("raw-call-replies");
        serverConnection = broker.rawConnections().newConnection("meshrpc-bench-raw-server");
        Channel server = serverConnection.createChannel();
        server.queueDeclare(requests, true, false, false, null);
        server.basicQos(250);
        server.basicConsume(requests, false, (tag, delivery) -> {
            AMQP.BasicProperties props = delivery.getProperties();
            server.basicPublish("", props.getReplyTo(), new AMQP.BasicProperties.Builder()
                    .correlationId(props.getCorrelationId()).build(), delivery.getBody());
            server.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        }, tag -> { });
        clientConnection = broker.rawConnections().newConnection("meshrpc-bench-raw-client");
        client = clientConnection.createChannel();
        client.confirmSelect();
        // replies on a channel of their own: amqp-client channels are not shared between threads
        Channel replyChannel = clientConnection.createChannel();
        replyChannel.queueDeclare(replyQueue, false, false, true, null);
        replyChannel.basicConsume(replyQueue, false, (tag, delivery) -> {
            replyChannel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            try {
                replies.put(delivery.getBody());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, tag -> { });
        requestProperties = MessageProperties.PERSISTENT_BASIC.builder().replyTo(replyQueue).build();
        call(); // the first round trip: queues and consumers are in place
    }

    private void call() throws Exception {
        client.basicPublish("", requests, requestProperties, payload);
        byte[] reply = replies.poll(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null || !Arrays.equals(reply, payload)) {
            throw new IllegalStateException("No echo of " + payload.length + " bytes within " + REPLY_WAIT.toSeconds() + " s");
        }
    }

    @Override
    public RunStats run(Duration duration, LatencyRecorder latencies) throws Exception {
        return RoundTrips.sequential(duration, latencies, this::call);
    }

    @Override
    public OptionalLong brokerProcess() {
        return broker == null ? OptionalLong.empty() : broker.process();
    }

    @Override
    public void close() {
        RawAmqp.deleteQuietly(client, requests);
        RawAmqp.closeQuietly(clientConnection);
        RawAmqp.closeQuietly(serverConnection);
        if (broker != null) {
            broker.close();
        }
    }
}
