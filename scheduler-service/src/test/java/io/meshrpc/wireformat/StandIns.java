package io.meshrpc.wireformat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.meshrpc.api.Notification;
import io.meshrpc.api.NotificationListener;
import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.compute.InstanceInfo;
import io.meshrpc.services.compute.InstanceNotFoundException;
import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.consoleauth.ConsoleToken;
import io.meshrpc.services.consoleauth.ConsoleauthApi;
import io.meshrpc.services.consoleauth.TokenCheck;
import io.meshrpc.services.gateway.GatewayApi;
import io.meshrpc.services.gateway.HostInventory;
import io.meshrpc.services.gateway.InstanceEvent;

/**
 * Stand-ins for the services this module cannot see (compute agent, consoleauth, gateway): they
 * implement the real contracts of services-api, so the page's messages go through the real codec,
 * dispatcher and argument binding, but answer with fixed values so that the page can show them.
 *
 * <p>This package is outside {@code io.meshrpc.scheduler} on purpose: {@code @RpcEndpoint} beans are
 * components, and the scheduler application's component scan must not pick these up (here or in
 * the module's other tests); they run on nodes of their own.
 */
final class StandIns {

    /** The token and expiry the console example shows; the real consoleauth draws a random token. */
    static final String TOKEN = "m0Xk3vQ9cT1bW7yZr2LpA5sD8fGhJ4nE";
    static final Instant TOKEN_EXPIRES_AT = Instant.parse("2030-01-01T00:10:00Z");

    private StandIns() {
    }

    @RpcEndpoint(topic = ComputeApi.TOPIC)
    static final class Compute implements ComputeApi {
        private final String host;
        final Map<String, InstanceSpec> built = new ConcurrentHashMap<>();

        Compute(String host) {
            this.host = host;
        }

        @Override
        public void buildInstance(InstanceSpec spec) {
            built.put(spec.id(), spec);
        }

        @Override
        public void deleteInstance(String instanceId) {
            built.remove(instanceId);
        }

        @Override
        public InstanceInfo describeInstance(String instanceId) {
            InstanceSpec spec = built.get(instanceId);
            if (spec == null) {
                throw new InstanceNotFoundException(instanceId, host);
            }
            return new InstanceInfo(spec.id(), spec.name(), spec.vcpus(), spec.ramMb(), host, InstanceStatus.BUILDING);
        }

        @Override
        public ConsoleEndpoint getConsole(String instanceId) {
            throw new IllegalStateException("Instance " + instanceId + " is not active yet");
        }
    }

    @RpcEndpoint(topic = ConsoleauthApi.TOPIC)
    static final class Consoleauth implements ConsoleauthApi {
        @Override
        public ConsoleToken authorizeConsole(ConsoleEndpoint console) {
            return new ConsoleToken(TOKEN, console.instanceId(), TOKEN_EXPIRES_AT);
        }

        @Override
        public TokenCheck checkToken(String token) {
            return TokenCheck.invalid();
        }
    }

    @RpcEndpoint(topic = GatewayApi.TOPIC)
    static final class Gateway implements GatewayApi {
        final List<InstanceEvent> events = new CopyOnWriteArrayList<>();

        final List<HostInventory> inventories = new CopyOnWriteArrayList<>();

        @Override
        public void instanceStateChanged(InstanceEvent event) {
            events.add(event);
        }

        @Override
        public void hostInventory(HostInventory inventory) {
            inventories.add(inventory);
        }
    }

    /** The gateway's member of the event feed's listener pool, as the real gateway has one. */
    @NotificationListener(pool = "gateway-feed")
    static final class EventFeed {
        final List<Notification> events = new CopyOnWriteArrayList<>();

        public void on(Notification n) {
            events.add(n);
        }
    }
}
