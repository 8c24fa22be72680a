package io.meshrpc.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.meshrpc.api.RpcClient;
import io.meshrpc.internal.notify.NotificationDelivery;
import io.meshrpc.matchmaker.Matchmaker;
import io.meshrpc.matchmaker.RestMatchmaker;
import io.meshrpc.matchmaker.RestMatchmakerSettings;
import io.meshrpc.matchmaker.RingFileMatchmaker;
import io.meshrpc.matchmaker.StaticMatchmaker;
import io.meshrpc.matchmaker.protocol.DeliveryPolicy;
import io.meshrpc.node.MeshNode;
import io.meshrpc.node.RoutingSettings;
import io.meshrpc.transport.zmq.CurveKeys;
import io.meshrpc.transport.zmq.CurveSettings;
import io.meshrpc.transport.zmq.IncomingLimits;
import io.meshrpc.transport.zmq.ZmqSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.meshrpc.observation.MeshrpcReceiverObservationConvention;
import io.meshrpc.observation.MeshrpcSenderObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a meshrpc node in a Spring Boot application: the {@link RpcClient} bean, the node's
 * receiver, and every {@link io.meshrpc.api.RpcEndpoint} bean exposed on its topic.
 *
 * <p>The node is built when the context is, but starts only once all beans exist (endpoints
 * commonly depend on the {@link RpcClient}), before the web server; it stops after the web server,
 * draining what it accepted. Define your own {@link Matchmaker} bean to replace the configured one.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "meshrpc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MeshrpcProperties.class)
public class MeshrpcAutoConfiguration {

    /**
     * Whether the node reports {@code meshrpc.send}/{@code meshrpc.handle} observations to the
     * application's {@link ObservationRegistry} (tracing, timers); {@code true} by default, set
     * {@code false} to take them off the message path (see {@code docs/tracing.md}).
     */
    public static final String OBSERVATION_ENABLED = "meshrpc.observation.enabled";

    @Bean
    @ConditionalOnMissingBean
    Matchmaker meshrpcMatchmaker(MeshrpcProperties properties) {
        MeshrpcProperties.Matchmaker mm = properties.matchmaker();
        int port = properties.zmq().port() == 0 ? 9501 : properties.zmq().port();
        return switch (mm.type()) {
            case STATIC -> new StaticMatchmaker(mm.topics(), mm.endpoints(), port);
            case RING -> {
                if (mm.ringFile() == null) {
                    throw new IllegalStateException("meshrpc.matchmaker.type=ring needs meshrpc.matchmaker.ring-file");
                }
                yield RingFileMatchmaker.read(Path.of(mm.ringFile()), JsonMapper.builder().build(), port);
            }
            case REST -> {
                if (mm.url() == null) {
                    throw new IllegalStateException("meshrpc.matchmaker.type=rest needs meshrpc.matchmaker.url");
                }
                yield new RestMatchmaker(new RestMatchmakerSettings(mm.url(), mm.token(), mm.ttl(),
                        mm.firstLookupTimeout(), mm.statsInterval()), JsonMapper.builder().build());
            }
        };
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    MeshNode meshNode(MeshrpcProperties properties, Matchmaker matchmaker,
                      ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<MeshrpcBrokerConnection> broker,
                      ObjectProvider<ObservationRegistry> observationRegistry,
                      ObjectProvider<MeshrpcSenderObservationConvention> senderConvention,
                      ObjectProvider<MeshrpcReceiverObservationConvention> receiverConvention,
                      ObjectProvider<MeshNodeBuilderCustomizer> customizers,
                      Environment environment) {
        MeshrpcProperties.Zmq zmq = properties.zmq();
        MeshrpcProperties.Server server = properties.server();
        ZmqSettings settings = ZmqSettings.builder().bindHost(zmq.bindHost()).port(zmq.port())
                .advertiseHost(advertiseHost(zmq)).ackTimeout(zmq.ackTimeout())
                .handshakeInterval(zmq.handshakeInterval()).heartbeatInterval(zmq.heartbeatInterval())
                .heartbeatTimeout(zmq.heartbeatTimeout()).maxPeers(zmq.maxPeers())
                .maxPendingPerPeer(zmq.maxPendingPerPeer()).idleTimeout(zmq.idleTimeout()).frameFormat(zmq.frameFormat())
                .incoming(IncomingLimits.of(zmq.maxConnections(), zmq.handshakeTimeout()))
                .curve(curve(zmq.curve())).build();
        MeshNode.Builder builder = MeshNode.builder();
        MeshrpcBrokerConnection connection = broker.getIfAvailable();
        if (properties.amqp().enabled()) {
            if (connection == null) {
                throw new IllegalStateException("meshrpc.amqp.enabled=true needs Spring Boot's AMQP support on the "
                        + "classpath: add org.springframework.boot:spring-boot-starter-amqp");
            }
            builder.amqp(connection.connectionFactory(), connection.settings());
        }
        MeshrpcProperties.Routing routing = properties.routing();
        DeliveryPolicy defaultPolicy = routing.defaultPolicy() != null ? routing.defaultPolicy()
                : properties.amqp().enabled() ? DeliveryPolicy.ZMQ_FIRST : DeliveryPolicy.ZMQ;
        builder
                .routing(new RoutingSettings(defaultPolicy, routing.topics(), routing.peerRetryInterval()))
                .nodeId(properties.nodeId() != null ? properties.nodeId() : hostName())
                .matchmaker(matchmaker)
                .zmq(settings)
                .meterRegistry(meterRegistry.getIfAvailable(SimpleMeterRegistry::new))
                .observationRegistry(environment.getProperty(OBSERVATION_ENABLED, Boolean.class, true)
                        ? observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP) : ObservationRegistry.NOOP)
                .observationConventions(senderConvention.getIfUnique(), receiverConvention.getIfUnique())
                .workers(server.workerThreads(), server.queueCapacity())
                .dedupWindow(server.dedupWindow())
                .defaultTimeout(properties.callTimeout())
                .drainTimeout(server.drainTimeout())
                .stallThreshold(server.stallThreshold())
                .maxInFlightCalls(properties.maxInFlightCalls())
                .callerSpin(properties.callerSpin())
                .versionCaps(properties.versionCaps())
                .publisherId(properties.publisherId())
                .notificationDelivery(new NotificationDelivery(properties.notifications().delivery()))
                .maxMessageBytes(properties.maxMessageBytes());
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    RpcClient rpcClient(MeshNode meshNode) {
        return meshNode.client();
    }

    @Bean
    @ConditionalOnMissingBean
    io.meshrpc.api.Notifier notifier(MeshNode meshNode) {
        return meshNode.notifier();
    }

    @Bean
    MeshNodeLifecycle meshNodeLifecycle(MeshNode meshNode, ApplicationContext context) {
        return new MeshNodeLifecycle(meshNode, context);
    }

    private static CurveSettings curve(MeshrpcProperties.Curve curve) {
        if (!curve.enabled()) {
            return null;
        }
        CurveKeys keys;
        if (curve.keyFile() != null) {
            keys = CurveKeys.read(Path.of(curve.keyFile()));
        } else if (curve.publicKey() != null && curve.secretKey() != null) {
            keys = new CurveKeys(curve.publicKey(), curve.secretKey());
        } else {
            throw new IllegalStateException("meshrpc.zmq.curve.enabled=true needs meshrpc.zmq.curve.key-file, or "
                    + "meshrpc.zmq.curve.public-key and secret-key (make a pair with bin/meshrpc keygen <file>)");
        }
        return new CurveSettings(keys, java.util.Set.copyOf(curve.allowedClients()), curve.allowAnyClient());
    }

    private static String advertiseHost(MeshrpcProperties.Zmq zmq) {
        if (zmq.advertiseHost() != null) {
            return zmq.advertiseHost();
        }
        boolean allInterfaces = "*".equals(zmq.bindHost()) || "0.0.0.0".equals(zmq.bindHost());
        return allInterfaces ? hostName() : zmq.bindHost();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException ex) {
            return "node-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
