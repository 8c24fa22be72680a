package io.meshrpc.launcher.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.meshrpc.launcher.http.Http;

/**
 * What a running demo cluster is, kept in {@code <state dir>/cluster.json} so that later commands
 * ({@code status}, {@code scale}, {@code load}, {@code down}) find the processes and ports.
 *
 * @param broker       the broker the nodes use
 * @param policy       the nodes' configured default delivery policy
 * @param agentVcpus   capacity of each compute agent
 * @param agentRamMb   capacity of each compute agent, MiB
 * @param processes    every process started, in start order
 * @param network      where the cluster listens and the address its nodes give out (a state file
 *                     written before the option existed reads as loopback)
 */
public record ClusterState(BrokerChoice broker, String policy, int agentVcpus, int agentRamMb,
                           List<ServiceProcess> processes, Network network) {

    public static final String FILE = "cluster.json";

    public ClusterState {
        processes = List.copyOf(processes);
        network = network == null ? Network.loopback() : network;
    }

    public static Optional<ClusterState> read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Http.JSON.readValue(Files.readString(file), ClusterState.class));
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + file, ex);
        }
    }

    public void write(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            Path tmp = stateDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
            Files.move(tmp, stateDir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the state under " + stateDir, ex);
        }
    }

    public ClusterState with(ServiceProcess added) {
        List<ServiceProcess> all = new ArrayList<>(processes);
        all.add(added);
        return new ClusterState(broker, policy, agentVcpus, agentRamMb, all, network);
    }

    public ClusterState without(String name) {
        return new ClusterState(broker, policy, agentVcpus, agentRamMb,
                processes.stream().filter(p -> !p.name().equals(name)).toList(), network);
    }

    public List<ServiceProcess> of(ServiceKind kind) {
        return processes.stream().filter(p -> p.kind() == kind).toList();
    }

    public Optional<ServiceProcess> process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public ServiceProcess gateway() {
        return of(ServiceKind.GATEWAY).get(0);
    }

    public ServiceProcess matchmaker() {
        return of(ServiceKind.MATCHMAKER).get(0);
    }

    /** Whether the recorded processes still run: all, some, or none. */
    public Liveness liveness() {
        long alive = alive().size();
        return alive == 0 ? Liveness.DEAD : alive == processes.size() ? Liveness.RUNNING : Liveness.DEGRADED;
    }

    /** The recorded processes that still run (the pid is still the process started then). */
    public List<ServiceProcess> alive() {
        return processes.stream().filter(ServiceProcess::alive).toList();
    }

    public List<ServiceProcess> meshNodes() {
        return processes.stream().filter(p -> p.kind().meshNode()).toList();
    }
}
