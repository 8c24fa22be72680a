package io.meshrpc.launcher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.meshrpc.launcher.Out;
import io.meshrpc.launcher.cluster.ClusterState;
import io.meshrpc.launcher.cluster.ServiceKind;
import io.meshrpc.launcher.cluster.ServiceProcess;
import io.meshrpc.launcher.http.Http;

/**
 * The talk's rollout, on the running demo: every node on the broker ({@code amqp}), then the
 * controllers (scheduler, consoleauth, gateway topics) on {@code zmq-first}, then the compute
 * agents one by one, each step through the matchmaker's policy API while instances boot and are
 * deleted, printing which share of the messages each transport carried during the step.
 *
 * <p>Nodes pick a policy change up at their next matchmaker refresh (one second in the demo), so
 * the first moments of a step may still follow the previous step's policy.
 */
public final class Migration {

    /** The controllers' topics, switched together. */
    public static final List<String> CONTROLLER_TOPICS = List.of("scheduler", "consoleauth", "gateway");

    /** One step and the traffic during it. */
    public record Step(String description, TransportCounts counts) {
    }

    private final Http http = new Http(Duration.ofSeconds(5));
    private final TransportMeter meter = new TransportMeter();
    private final LoadRunner load = new LoadRunner();
    private final Out out;

    public Migration(Out out) {
        this.out = out;
    }

    public List<Step> run(ClusterState state, int instancesPerStep) {
        String policies = state.matchmaker().baseUrl() + "/api/v1/policies";
        List<ServiceProcess> agents = state.of(ServiceKind.COMPUTE).stream().filter(ServiceProcess::alive)
                .sorted(Comparator.comparing(ServiceProcess::name, Comparator.comparingInt(Migration::index))).toList();
        List<Step> steps = new ArrayList<>();
        for (String topic : List.of("scheduler", "consoleauth", "gateway", "compute")) {
            put(policies + "/topics/" + topic, "amqp");
        }
        for (ServiceProcess node : state.meshNodes()) {
            delete(policies + "/nodes/" + node.name());
        }
        steps.add(step(state, "every node on amqp (the broker)", instancesPerStep, steps.size()));
        for (String topic : CONTROLLER_TOPICS) {
            put(policies + "/topics/" + topic, "zmq-first");
        }
        steps.add(step(state, "controllers on zmq-first (" + String.join(", ", CONTROLLER_TOPICS) + ")",
                instancesPerStep, steps.size()));
        for (ServiceProcess agent : agents) {
            put(policies + "/nodes/" + agent.name(), "zmq-first");
            steps.add(step(state, agent.name() + " on zmq-first", instancesPerStep, steps.size()));
        }
        out.line("");
        out.line("%-4s %-60s %s", "step", "policy", "messages sent during the step");
        for (int i = 0; i < steps.size(); i++) {
            out.line("%-4d %-60s %s", i, steps.get(i).description(), steps.get(i).counts().shares());
        }
        return steps;
    }

    private Step step(ClusterState state, String description, int instances, int number) {
        out.step("step %d: %s", number, description);
        TransportCounts before = meter.read(state);
        LoadRunner.Result result = load.boot(state, "migrate-" + number, instances, new LoadRunner.Flavor(1, 512), 4,
                Duration.ofSeconds(60));
        load.delete(state, result.accepted());
        TransportCounts during = meter.read(state).minus(before);
        out.step("step %d: %d instances booted and deleted; %s", number, result.accepted().size(), during.shares());
        return new Step(description, during);
    }

    private void put(String url, String policy) {
        try {
            Http.Reply reply = http.put(url, Map.of("policy", policy));
            if (!reply.ok()) {
                throw new IllegalStateException("PUT " + url + " answered " + reply.status() + ": " + reply.body());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("The matchmaker does not answer at " + url, ex);
        }
    }

    private void delete(String url) {
        try {
            http.delete(url); // 404 when there is no override: fine
        } catch (IOException ex) {
            throw new UncheckedIOException("The matchmaker does not answer at " + url, ex);
        }
    }

    private static int index(String name) {
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        } catch (NumberFormatException ex) {
            return 0;
        }
    }
}
