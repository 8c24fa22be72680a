package io.meshrpc.compute.hypervisor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent's hypervisor, named after the node: the host name the scheduler returns is the server
 * the gateway casts to, so they must be one and the same.
 */
@Configuration(proxyBeanMethods = false)
class AgentConfiguration {

    @Bean
    Hypervisor hypervisor(@Value("${meshrpc.node-id:}") String nodeId, HypervisorProperties properties) {
        return new Hypervisor(nodeId.isBlank() ? hostName() : nodeId, properties);
    }

    /** Runs build completions and capacity reports; one thread is plenty for a simulated host. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService agentTimer() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "compute-agent-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** The same default as meshrpc's node id, so both name this host alike. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException ex) {
            throw new IllegalStateException("No host name to use as the agent's name: set meshrpc.node-id", ex);
        }
    }
}
