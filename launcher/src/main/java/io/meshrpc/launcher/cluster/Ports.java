package io.meshrpc.launcher.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out ports: the preferred one when it is free, else the next free one above it. Ports
 * handed out are remembered, so two services started together never get the same one.
 */
public final class Ports {

    private static final int SEARCH = 500;

    private final Set<Integer> taken = new HashSet<>();

    public Ports(Set<Integer> alreadyInUse) {
        taken.addAll(alreadyInUse);
    }

    public synchronized int take(int preferred) {
        for (int port = preferred; port < preferred + SEARCH && port <= 65535; port++) {
            if (!taken.contains(port) && isFree(port)) {
                taken.add(port);
                return port;
            }
        }
        throw new IllegalStateException("No free port in " + preferred + ".." + (preferred + SEARCH - 1));
    }

    /** Free on every interface: services bind all of them. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException ex) {
            return false;
        }
    }
}
