package io.meshrpc.compute.rpc;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.compute.hypervisor.BuildOutcome;
import io.meshrpc.compute.hypervisor.Hypervisor;
import io.meshrpc.compute.hypervisor.HypervisorProperties;
import io.meshrpc.compute.hypervisor.Instance;
import io.meshrpc.compute.notify.CapacityReporter;
import io.meshrpc.compute.notify.StateNotifier;
import io.meshrpc.services.compute.ComputeApi;
import io.meshrpc.services.compute.ConsoleEndpoint;
import io.meshrpc.services.compute.InstanceInfo;
import io.meshrpc.services.compute.InstanceNotFoundException;
import io.meshrpc.services.compute.InstanceSpec;
import io.meshrpc.services.compute.InstanceStatus;
import io.meshrpc.services.gateway.InstanceEvent;

/**
 * The agent's RPC face (topic {@code compute}, server = this host). A build takes the room at
 * once (or is refused), then completes after the simulated build time on the agent's timer, never
 * on the RPC worker thread; each change is announced to the gateways and the schedulers.
 */
@RpcEndpoint(topic = ComputeApi.TOPIC)
public class ComputeEndpoint implements ComputeApi {

    private static final Logger log = LoggerFactory.getLogger(ComputeEndpoint.class);

    private final Hypervisor hypervisor;
    private final HypervisorProperties properties;
    private final StateNotifier notifier;
    private final CapacityReporter reporter;
    private final ScheduledExecutorService timer;

    public ComputeEndpoint(Hypervisor hypervisor, HypervisorProperties properties, StateNotifier notifier,
                           CapacityReporter reporter, ScheduledExecutorService agentTimer) {
        this.hypervisor = hypervisor;
        this.properties = properties;
        this.notifier = notifier;
        this.reporter = reporter;
        this.timer = agentTimer;
    }

    @Override
    public void buildInstance(InstanceSpec spec) {
        switch (properties.buildFault()) {
            case DROP -> {
                log.debug("Build of {} dropped (compute.build-fault=DROP)", spec == null ? null : spec.id());
                return;
            }
            case REFUSE -> {
                refuse(spec, "Host " + hypervisor.host() + " is overloaded and refuses builds", true);
                return;
            }
            case NONE -> { }
        }
        BuildOutcome outcome = hypervisor.claim(spec);
        if (outcome instanceof BuildOutcome.Accepted accepted) {
            notifier.buildStarted(InstanceEvent.of(accepted.instance().id(), hypervisor.host(), InstanceStatus.BUILDING));
            reporter.reportSoon();
            timer.schedule(() -> finishBuild(accepted.instance().id()), properties.buildTime().toMillis(),
                    TimeUnit.MILLISECONDS);
        } else if (outcome instanceof BuildOutcome.NoRoom noRoom) {
            refuse(spec, noRoom.reason(), true);
        } else if (outcome instanceof BuildOutcome.Invalid invalid) {
            refuse(spec, invalid.reason(), false);
        } else if (outcome instanceof BuildOutcome.AlreadyHere here) {
            log.debug("Build of {} received again; it is {}", spec.id(), here.instance().status());
        }
    }

    @Override
    public void deleteInstance(String instanceId) {
        hypervisor.delete(instanceId).ifPresent(deleted -> {
            notifier.stateChanged(InstanceEvent.of(instanceId, hypervisor.host(), InstanceStatus.DELETED));
            reporter.reportSoon();
        });
    }

    @Override
    public InstanceInfo describeInstance(String instanceId) {
        return held(instanceId).info(hypervisor.host());
    }

    @Override
    public ConsoleEndpoint getConsole(String instanceId) {
        Instance instance = held(instanceId);
        if (instance.status() != InstanceStatus.ACTIVE) {
            throw new IllegalStateException("Instance " + instanceId + " is " + instance.status()
                    + "; its console opens once it is ACTIVE");
        }
        return new ConsoleEndpoint(instanceId, hypervisor.host(), "vnc", instance.consolePort());
    }

    private void finishBuild(String instanceId) {
        hypervisor.activate(instanceId).ifPresent(active ->
                notifier.stateChanged(InstanceEvent.of(instanceId, hypervisor.host(), InstanceStatus.ACTIVE)));
    }

    private void refuse(InstanceSpec spec, String reason, boolean retryable) {
        log.info("Build refused: {}", reason);
        String id = spec == null || spec.id() == null ? "?" : spec.id();
        notifier.stateChanged(new InstanceEvent(id, hypervisor.host(), InstanceStatus.ERROR, reason, retryable));
    }

    private Instance held(String instanceId) {
        return hypervisor.find(instanceId)
                .orElseThrow(() -> new InstanceNotFoundException(instanceId, hypervisor.host()));
    }
}
