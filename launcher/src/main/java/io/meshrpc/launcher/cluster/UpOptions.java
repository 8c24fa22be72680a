package io.meshrpc.launcher.cluster;

import java.time.Duration;

/**
 * How to start the cluster.
 *
 * @param computeAgents how many compute agents
 * @param broker        {@code qpid} to start the embedded broker (its port is chosen at start), or
 *                      a RabbitMQ to use
 * @param policy        the nodes' default delivery policy ({@code meshrpc.routing.default-policy})
 * @param agentVcpus    capacity of each agent
 * @param agentRamMb    capacity of each agent, MiB
 * @param startTimeout  how long to wait for every process to be healthy
 * @param network       where the receivers and the embedded broker listen, and the address nodes give out
 */
public record UpOptions(int computeAgents, BrokerChoice broker, String policy, int agentVcpus, int agentRamMb,
                        Duration startTimeout, Network network) {

    public static final String DEFAULT_POLICY = "zmq-first";

    /** Five agents of 32 vCPUs / 64 GiB, embedded Qpid, zmq-first: what {@code bin/demo up} starts. */
    public static UpOptions defaults() {
        return new UpOptions(5, new BrokerChoice(BrokerChoice.QPID, "127.0.0.1", 0, "guest", "guest"),
                DEFAULT_POLICY, 32, 65536, Duration.ofSeconds(240), Network.loopback());
    }

    public UpOptions withComputeAgents(int n) {
        return new UpOptions(n, broker, policy, agentVcpus, agentRamMb, startTimeout, network);
    }

    public UpOptions withBroker(BrokerChoice b) {
        return new UpOptions(computeAgents, b, policy, agentVcpus, agentRamMb, startTimeout, network);
    }

    public UpOptions withPolicy(String p) {
        return new UpOptions(computeAgents, broker, p, agentVcpus, agentRamMb, startTimeout, network);
    }

    public UpOptions withAgentCapacity(int vcpus, int ramMb) {
        return new UpOptions(computeAgents, broker, policy, vcpus, ramMb, startTimeout, network);
    }

    public UpOptions withNetwork(Network n) {
        return new UpOptions(computeAgents, broker, policy, agentVcpus, agentRamMb, startTimeout, n);
    }
}
