package io.meshrpc.launcher.cluster;

/**
 * What the demo cluster is made of, with the module each runs from and its preferred HTTP port
 * (docs/architecture.md#ports; the launcher takes the next free one when a port is taken).
 */
public enum ServiceKind {

    BROKER(null, 5672, false),
    MATCHMAKER("matchmaker-service", 8500, false),
    SCHEDULER("scheduler-service", 8081, true),
    CONSOLEAUTH("consoleauth-service", 8082, true),
    GATEWAY("gateway-service", 8080, true),
    COMPUTE("compute-agent", 8090, true);

    /** First ZeroMQ port tried for mesh nodes (the talk's {@code rpc_zmq_port}). */
    public static final int FIRST_ZMQ_PORT = 9501;

    private final String module;
    private final int preferredPort;
    private final boolean meshNode;

    ServiceKind(String module, int preferredPort, boolean meshNode) {
        this.module = module;
        this.preferredPort = preferredPort;
        this.meshNode = meshNode;
    }

    /** The Maven module whose {@code target/*-exec.jar} runs it; {@code null} for the broker (the launcher jar). */
    public String module() {
        return module;
    }

    public int preferredPort() {
        return preferredPort;
    }

    /** Whether it is a meshrpc node (sends and receives RPC, counts messages). */
    public boolean meshNode() {
        return meshNode;
    }
}
