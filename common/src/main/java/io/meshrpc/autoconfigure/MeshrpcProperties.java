package io.meshrpc.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.meshrpc.matchmaker.RestMatchmakerSettings;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.amqp.AmqpSettings;
import io.meshrpc.transport.zmq.IncomingLimits;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.meshrpc.wire.EnvelopeCodec;

/**
 * Configuration of a meshrpc node, under {@code meshrpc.*}. The mapping from the talk's nova.conf
 * options is in {@code docs/configuration.md}.
 *
 * @param enabled         whether to start a node in this application at all
 * @param nodeId          this node's id, unique in the fleet; defaults to the host name
 * @param maxMessageBytes largest encoded envelope sent or accepted (default 1048576)
 * @param callTimeout     deadline of a call that does not set its own (default 30s)
 * @param maxInFlightCalls most calls of this node waiting for replies at once; more fail at once (default 10000)
 * @param callerSpin      how long a caller blocked on a call's result spins before it parks, one caller of
 *                        the node at a time (default 200us; 0 parks at once)
 * @param zmq             the ZeroMQ transport
 * @param matchmaker      where nodes are looked up
 * @param server          dispatch of received messages
 * @param amqp            the broker transport
 * @param routing         which transport carries what
 * @param versionCaps     per topic, the highest interface version this node sends ({@code major.minor});
 *                        none by default
 * @param publisherId     the publisher id of this node's notifications; the node id by default
 * @param notifications   how this node's notifications travel
 */
@ConfigurationProperties("meshrpc")
public record MeshrpcProperties(@DefaultValue("true") boolean enabled, String nodeId,
                                Integer maxMessageBytes, Duration callTimeout, Integer maxInFlightCalls,
                                Duration callerSpin,
                                @DefaultValue Zmq zmq, @DefaultValue Matchmaker matchmaker,
                                @DefaultValue Server server, @DefaultValue Amqp amqp,
                                @DefaultValue Routing routing, Map<String, String> versionCaps, String publisherId,
                                @DefaultValue Notifications notifications) {

    // Defaults not given here come from the constants the node's builder uses (ZmqSettings.DEFAULT_*,
    // MeshNode.DEFAULT_*, ...), so that a Spring application and a program that builds its node by hand
    // start from the same values, declared once.
    public MeshrpcProperties {
        maxMessageBytes = or(maxMessageBytes, EnvelopeCodec.DEFAULT_MAX_MESSAGE_BYTES);
        callTimeout = or(callTimeout, MeshNode.DEFAULT_CALL_TIMEOUT);
        maxInFlightCalls = or(maxInFlightCalls, MeshNode.DEFAULT_MAX_IN_FLIGHT_CALLS);
        callerSpin = or(callerSpin, MeshNode.DEFAULT_CALLER_SPIN);
        versionCaps = versionCaps == null ? Map.of() : Map.copyOf(versionCaps);
    }

    /**
     * How notifications travel.
     *
     * @param delivery per priority ({@code audit}, {@code debug}, ...), {@code amqp} (the broker's durable pool
     *                 queues) or {@code zmq} (straight to one live member of each pool); by default {@code debug}
     *                 and {@code sample} go over ZeroMQ and the others through the broker
     */
    public record Notifications(Map<io.meshrpc.api.Priority, io.meshrpc.matchmaker.protocol.DeliveryPolicy> delivery) {

        public Notifications {
            delivery = delivery == null ? Map.of() : Map.copyOf(delivery);
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /**
     * The ZeroMQ transport.
     *
     * @param port              port of this node's ROUTER (the talk's {@code rpc_zmq_port}); 0 for any (default 9501)
     * @param bindHost          interface to bind; {@code *} for all
     * @param advertiseHost     host other nodes reach this one at; defaults to the bind host, or the
     *                          host name when binding all interfaces
     * @param ackTimeout        how long a sender waits for a receiver's ACK before the attempt fails (default 1s)
     * @param handshakeInterval limit on a connection's ZMTP handshake; a stalled one is retried (default 250ms)
     * @param heartbeatInterval ZMTP heartbeat period (default 1s)
     * @param heartbeatTimeout  silence after which ZMTP drops a connection (default 3s)
     * @param maxPeers          most outgoing connections held at once, idle ones close first (default 1024)
     * @param maxPendingPerPeer most un-ACKed messages per peer; more fail at once (default 16384)
     * @param idleTimeout       an unused outgoing connection closes after this (default 5m)
     * @param maxConnections    most incoming connections open at once; one more is closed as soon as
     *                          it is accepted (default {@code IncomingLimits.DEFAULT_MAX_CONNECTIONS},
     *                          32,768, or half the open-files limit when that is lower)
     * @param handshakeTimeout  an incoming connection whose ZMTP handshake is not complete after this
     *                          is closed (default {@code IncomingLimits.DEFAULT_HANDSHAKE_TIMEOUT}, 5s)
     * @param curve             CURVE authentication and encryption
     * @param frameFormat       the highest frame format this node negotiates per connection: 2 (batch
     *                          frames where the peer reads them too) or 1 (one JSON envelope per message,
     *                          as the release before); default {@code ZmqSettings.DEFAULT_FRAME_FORMAT}
     */
    public record Zmq(Integer port, @DefaultValue("*") String bindHost, String advertiseHost,
                      Duration ackTimeout, Duration handshakeInterval, Duration heartbeatInterval,
                      Duration heartbeatTimeout, Integer maxPeers, Integer maxPendingPerPeer, Duration idleTimeout,
                      Integer maxConnections, Duration handshakeTimeout, @DefaultValue Curve curve,
                      Integer frameFormat) {

        public Zmq {
            port = or(port, ZmqSettings.DEFAULT_PORT);
            ackTimeout = or(ackTimeout, ZmqSettings.DEFAULT_ACK_TIMEOUT);
            handshakeInterval = or(handshakeInterval, ZmqSettings.DEFAULT_HANDSHAKE_INTERVAL);
            heartbeatInterval = or(heartbeatInterval, ZmqSettings.DEFAULT_HEARTBEAT_INTERVAL);
            heartbeatTimeout = or(heartbeatTimeout, ZmqSettings.DEFAULT_HEARTBEAT_TIMEOUT);
            maxPeers = or(maxPeers, ZmqSettings.DEFAULT_MAX_PEERS);
            maxPendingPerPeer = or(maxPendingPerPeer, ZmqSettings.DEFAULT_MAX_PENDING_PER_PEER);
            idleTimeout = or(idleTimeout, ZmqSettings.DEFAULT_IDLE_TIMEOUT);
            handshakeTimeout = or(handshakeTimeout, IncomingLimits.DEFAULT_HANDSHAKE_TIMEOUT);
            frameFormat = or(frameFormat, ZmqSettings.DEFAULT_FRAME_FORMAT);
            // maxConnections stays null unless set: its default depends on the open-files limit (IncomingLimits)
        }
    }

    /**
     * ZeroMQ CURVE: receivers are CURVE servers, senders CURVE clients; receivers' public keys travel
     * through the matchmaker registration. Keys are Z85 text (40 characters); make a pair with
     * {@code bin/meshrpc keygen <file>}.
     *
     * @param enabled        turn CURVE on (every node of the fleet must agree)
     * @param keyFile        file holding {@code public-key=} and {@code secret-key=} lines
     * @param publicKey      this node's public key, when not in a key file
     * @param secretKey      this node's secret key, when not in a key file (prefer the file, or an
     *                       environment variable, to a properties file)
     * @param allowedClients public keys of the clients this node's receiver accepts
     * @param allowAnyClient accept any CURVE client (encrypted, not authenticated)
     */
    public record Curve(@DefaultValue("false") boolean enabled, String keyFile, String publicKey, String secretKey,
                        List<String> allowedClients, @DefaultValue("false") boolean allowAnyClient) {

        public Curve {
            allowedClients = allowedClients == null ? List.of() : allowedClients;
        }
    }

    /**
     * The directory of nodes.
     *
     * @param type            {@code static} (the {@code topics}/{@code endpoints} below), {@code ring}
     *                        (the talk's JSON ring file) or {@code rest} (matchmaker-service)
     * @param ringFile        path of the ring file, for {@code type=ring}
     * @param topics          for {@code type=static}: topic to the node ids serving it
     * @param endpoints       node id to {@code tcp://host:port}; nodes not listed use
     *                        {@code tcp://<node id>:<meshrpc.zmq.port>}
     * @param url             matchmaker-service base URL, for {@code type=rest}
     * @param token           bearer token for the service's write API
     * @param ttl             this node's registration TTL; heartbeats go three times per TTL
     * @param firstLookupTimeout for {@code type=rest}: how long the first look-up of a topic this node never used
     *                        waits for that topic's view; later look-ups never wait (default
     *                        {@code RestMatchmakerSettings.DEFAULT_FIRST_LOOKUP_TIMEOUT}, 2s)
     * @param statsInterval   for {@code type=rest}: how often this node's traffic counts go to the service, when
     *                        they changed (default {@code RestMatchmakerSettings.DEFAULT_STATS_INTERVAL}, 10s)
     */
    public record Matchmaker(@DefaultValue("static") MatchmakerType type, String ringFile,
                             Map<String, List<String>> topics, Map<String, String> endpoints, String url,
                             String token, Duration ttl, Duration firstLookupTimeout, Duration statsInterval) {

        public Matchmaker {
            ttl = or(ttl, RestMatchmakerSettings.DEFAULT_TTL);
            firstLookupTimeout = or(firstLookupTimeout, RestMatchmakerSettings.DEFAULT_FIRST_LOOKUP_TIMEOUT);
            statsInterval = or(statsInterval, RestMatchmakerSettings.DEFAULT_STATS_INTERVAL);
            topics = topics == null ? Map.of() : topics;
            endpoints = endpoints == null ? Map.of() : endpoints;
        }
    }

    /** The kinds of directory. */
    public enum MatchmakerType {
        /** Topics and endpoints from properties. */
        STATIC,
        /** The talk's JSON ring file, read at start. */
        RING,
        /** matchmaker-service, through a cached client. */
        REST
    }

    /**
     * Dispatch of received messages.
     *
     * @param workerThreads threads running endpoint methods (default 16)
     * @param queueCapacity accepted messages waiting for a worker; beyond it messages are refused (default 10000)
     * @param dedupWindow   how many recent message ids are remembered to drop duplicates (default 100000)
     * @param drainTimeout  how long shutdown waits for accepted messages to finish (default 10s)
     * @param stallThreshold health turns DOWN while the oldest queued message is older than this (default 30s)
     */
    public record Server(Integer workerThreads, Integer queueCapacity, Integer dedupWindow, Duration drainTimeout,
                         Duration stallThreshold) {

        public Server {
            workerThreads = or(workerThreads, MeshNode.DEFAULT_WORKER_THREADS);
            queueCapacity = or(queueCapacity, MeshNode.DEFAULT_QUEUE_CAPACITY);
            dedupWindow = or(dedupWindow, MeshNode.DEFAULT_DEDUP_WINDOW);
            drainTimeout = or(drainTimeout, MeshNode.DEFAULT_DRAIN_TIMEOUT);
            stallThreshold = or(stallThreshold, MeshNode.DEFAULT_STALL_THRESHOLD);
        }
    }

    /**
     * The broker transport. The connection (addresses, credentials, virtual host, TLS) is
     * {@code spring.rabbitmq.*}; the application needs {@code spring-boot-starter-amqp}.
     *
     * @param enabled        consume from and publish to the broker as well as ZeroMQ
     * @param prefix         prepended to every exchange and queue name (several fleets on one broker)
     * @param exchange       the topic exchange of topic and node queues (default meshrpc)
     * @param prefetch       unacknowledged deliveries per consumer (default 250)
     * @param consumers      concurrent consumers of the node's queues (default 1)
     * @param confirmTimeout how long a publish waits for the broker's confirm before it fails (default 5s)
     * @param maxPending     publishes waiting for a confirm at once; more fail at once (default 10000)
     * @param heartbeat      the AMQP heartbeat of the node's own broker connection; a connection silent for two is
     *                       closed by either end (default 10s; 0 turns it off)
     * @param recoveryInterval how long a failed broker consumer waits before it is started again (default 1s)
     * @param connectionTimeout how long one attempt to connect to the broker may take (default 5s)
     */
    public record Amqp(@DefaultValue("false") boolean enabled, @DefaultValue("") String prefix, String exchange,
                       Integer prefetch, Integer consumers, Duration confirmTimeout, Integer maxPending,
                       Duration heartbeat, Duration recoveryInterval, Duration connectionTimeout) {

        public Amqp {
            exchange = or(exchange, AmqpSettings.DEFAULT_EXCHANGE);
            prefetch = or(prefetch, AmqpSettings.DEFAULT_PREFETCH);
            consumers = or(consumers, AmqpSettings.DEFAULT_CONSUMERS);
            confirmTimeout = or(confirmTimeout, AmqpSettings.DEFAULT_CONFIRM_TIMEOUT);
            maxPending = or(maxPending, AmqpSettings.DEFAULT_MAX_PENDING);
            heartbeat = or(heartbeat, AmqpSettings.DEFAULT_HEARTBEAT);
            recoveryInterval = or(recoveryInterval, AmqpSettings.DEFAULT_RECOVERY_INTERVAL);
            connectionTimeout = or(connectionTimeout, AmqpSettings.DEFAULT_CONNECTION_TIMEOUT);
        }
    }

    /**
     * Which transport carries what (docs/routing.md). Overrides set at runtime (actuator endpoint
     * {@code meshrpc}, or the matchmaker) win over these.
     *
     * @param defaultPolicy     {@code zmq}, {@code amqp} or {@code zmq-first}; by default
     *                          {@code zmq-first} when the broker transport is enabled, else {@code zmq}
     * @param topics            policy per topic
     * @param peerRetryInterval how often a peer that missed an ACK is tried again with one real message (default 5s)
     */
    public record Routing(io.meshrpc.matchmaker.protocol.DeliveryPolicy defaultPolicy,
                          Map<String, io.meshrpc.matchmaker.protocol.DeliveryPolicy> topics,
                          Duration peerRetryInterval) {

        public Routing {
            topics = topics == null ? Map.of() : topics;
            peerRetryInterval = or(peerRetryInterval, RoutingSettings.DEFAULT_PEER_RETRY_INTERVAL);
        }
    }
}
