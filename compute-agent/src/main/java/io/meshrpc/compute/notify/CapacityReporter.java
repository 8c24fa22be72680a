package io.meshrpc.compute.notify;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.meshrpc.api.Failures;
import io.meshrpc.api.RpcClient;
import io.meshrpc.compute.hypervisor.Hypervisor;
import io.meshrpc.compute.hypervisor.HypervisorProperties;
import io.meshrpc.services.scheduler.SchedulerApi;

/**
 * Sends this host's free capacity to every scheduler replica (fanout to topic {@code scheduler}):
 * periodically, so a scheduler that starts later learns about the host and one that hears nothing
 * can tell the host is gone, and right after each change, so placements see fresh numbers.
 *
 * <p>Reports after changes are coalesced: a burst of builds causes one report, not one per build.
 * It starts after the mesh node (a later lifecycle phase) and stops before it.
 */
@Component
public class CapacityReporter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CapacityReporter.class);

    private final RpcClient rpc;
    private final Hypervisor hypervisor;
    private final HypervisorProperties properties;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean reportPending = new AtomicBoolean();
    private volatile ScheduledFuture<?> periodic;

    public CapacityReporter(RpcClient rpc, Hypervisor hypervisor, HypervisorProperties properties,
                            ScheduledExecutorService agentTimer) {
        this.rpc = rpc;
        this.hypervisor = hypervisor;
        this.properties = properties;
        this.timer = agentTimer;
    }

    /** Reports soon; calls made while a report is pending share it. */
    public void reportSoon() {
        if (reportPending.compareAndSet(false, true)) {
            timer.execute(this::report);
        }
    }

    void report() {
        reportPending.set(false);
        rpc.fanout(SchedulerApi.TOPIC, SchedulerApi.UPDATE_CAPACITY, hypervisor.report()).whenComplete((ok, error) -> {
            if (error != null) {
                log.debug("Capacity report of {} did not reach every scheduler: {}", hypervisor.host(),
                        Failures.unwrap(error).getMessage());
            }
        });
    }

    @Override
    public void start() {
        long every = properties.reportInterval().toMillis();
        periodic = timer.scheduleWithFixedDelay(this::report, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledFuture<?> p = periodic;
        if (p != null) {
            p.cancel(false);
        }
        periodic = null;
    }

    @Override
    public boolean isRunning() {
        return periodic != null;
    }

    /** After the mesh node (which starts in phase DEFAULT_PHASE - 4096) and before the web server. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
