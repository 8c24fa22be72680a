package io.meshrpc.launcher.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.meshrpc.launcher.Out;
import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.ServiceKind;
import io.meshrpc.launcher.cluster.ServiceProcess;

/**
 * The talk's rollout, on the running demo: every node on the broker ({@code amqp}), then the
 * controllers (scheduler, consoleauth, gateway topics) on {@code zmq-first}, then the compute
 * agents one by one, each step through the matchmaker's policy API while instances boot and are
 * deleted, printing which share of the messages each transport carried during the step.
 *
 * <p>A step's traffic starts only once its policy is in force at every sender that matters: the
 * matchmaker answers each write with the revision of its change, and every node that watches a
 * changed topic must report that revision ({@link PolicyInForce}). So step 0 carries nothing over
 * ZeroMQ, and a step's share is its policy's, not a mix with the previous one's.
 */
public final class Migration {

    /** The controllers' topics, switched together. */
    public static final List<String> CONTROLLER_TOPICS = List.of("scheduler", "consoleauth", "gateway");

    /** Every topic of the demo. */
    private static final List<String> TOPICS = List.of("scheduler", "consoleauth", "gateway", "compute");

    /** Nodes see a change within a watch round trip; this only bounds a node that stopped answering. */
    private static final Duration IN_FORCE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * One step and the traffic during it.
     *
     * @param inForce how long its policy took to be in force, and at how many senders
     */
    public record Step(String description, InForce inForce, TransportCounts counts) {
    }

    private final TransportMeter meter = new TransportMeter();
    private final LoadRunner load = new LoadRunner();
    private final PolicyInForce inForce = new PolicyInForce(IN_FORCE_TIMEOUT);
    private final Out out;

    public Migration(Out out) {
        this.out = out;
    }

    public List<Step> run(ClusterState state, int instancesPerStep) {
        PolicyWrites policies = new PolicyWrites(state.matchmaker().baseUrl());
        List<ServiceProcess> agents = state.of(ServiceKind.COMPUTE).stream().filter(ServiceProcess::alive)
                .sorted(Comparator.comparing(ServiceProcess::name, Comparator.comparingInt(Migration::index))).toList();
        List<Step> steps = new ArrayList<>();
        List<PolicyWrites.Write> everyNodeOnAmqp = new ArrayList<>();
        TOPICS.forEach(topic -> everyNodeOnAmqp.add(PolicyWrites.Write.topic(topic, "amqp")));
        state.meshNodes().forEach(node -> everyNodeOnAmqp.add(policies.node(node.name(), null)));
        steps.add(step(state, policies, "every node on amqp (the broker)", everyNodeOnAmqp, instancesPerStep,
                steps.size()));
        steps.add(step(state, policies, "controllers on zmq-first (" + String.join(", ", CONTROLLER_TOPICS) + ")",
                CONTROLLER_TOPICS.stream().map(topic -> PolicyWrites.Write.topic(topic, "zmq-first")).toList(),
                instancesPerStep, steps.size()));
        for (ServiceProcess agent : agents) {
            steps.add(step(state, policies, agent.name() + " on zmq-first",
                    List.of(policies.node(agent.name(), "zmq-first")), instancesPerStep, steps.size()));
        }
        out.line("");
        out.line("%-4s %-60s %-16s %s", "step", "policy", "in force after", "messages sent during the step");
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            out.line("%-4d %-60s %-16s %s", i, step.description(), step.inForce().took().toMillis() + " ms",
                    step.counts().shares());
        }
        return steps;
    }

    private Step step(ClusterState state, PolicyWrites policies, String description, List<PolicyWrites.Write> writes,
                      int instances, int number) {
        out.step("step %d: %s", number, description);
        long writtenAt = System.nanoTime();
        PolicyWrites.Applied applied = policies.apply(writes);
        InForce inForceAt = inForce.await(state, applied.revisions(), writtenAt);
        out.step("step %d: policy in force at %d sender%s after %d ms", number, inForceAt.senders(),
                inForceAt.senders() == 1 ? "" : "s", inForceAt.took().toMillis());
        TransportCounts before = meter.read(state);
        LoadRunner.Result booted = load.boot(state, "migrate-" + number, instances, new LoadRunner.Flavor(1, 512), 4,
                Duration.ofSeconds(60));
        load.delete(state, booted.accepted());
        TransportCounts during = meter.read(state).minus(before);
        out.step("step %d: %d instances booted and deleted; %s", number, booted.accepted().size(), during.shares());
        return new Step(description, inForceAt, during);
    }

    private static int index(String name) {
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        } catch (NumberFormatException ex) {
            return 0;
        }
    }
}
