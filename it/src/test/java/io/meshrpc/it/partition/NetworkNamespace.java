package io.meshrpc.it.partition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace joined to this host by a veth pair, with its own address: a host of its
 * own for the processes started in it ({@code ip netns exec}). {@link #blackhole()} drops every packet
 * between the two, both ways, at the receiving end (iptables {@code INPUT} on each side), so no socket
 * is closed and no sender gets an error: a silent partition, as a failed switch makes one.
 * {@link #heal()} removes the rules; {@link #close()} removes the rules and the namespace (the veth pair
 * and the namespace's own rules go with it), and runs in every case.
 *
 * <p>Names carry this process's id, so what a killed test run leaves behind is recognisable:
 * {@code mr-<pid>-<n>}, interfaces {@code mrh<n>} and {@code mrn<n>}, on {@code 10.213.<n>.0/30}.
 */
final class NetworkNamespace implements AutoCloseable {

    private final String name;
    private final String hostInterface;
    private final String nsInterface;
    private final String hostAddress;
    private final String nsAddress;
    private final List<List<String>> hostRules = new ArrayList<>();
    private boolean blackholed;

    private NetworkNamespace(int n) {
        this.name = "mr-" + ProcessHandle.current().pid() + "-" + n;
        this.hostInterface = "mrh" + n;
        this.nsInterface = "mrn" + n;
        this.hostAddress = "10.213." + n + ".1";
        this.nsAddress = "10.213." + n + ".2";
    }

    /** Why namespaces cannot be made here, or null when they can. */
    static String unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "network namespaces are Linux only";
        }
        try {
            if (run(false, "id", "-u").trim().equals("0") && run(false, "iptables", "-S", "INPUT") != null) {
                return null;
            }
            return "creating network namespaces and iptables rules needs root";
        } catch (IOException ex) {
            return "ip and iptables are needed: " + ex.getMessage();
        }
    }

    /** A new namespace on a /30 of 10.213.0.0/16 that no interface of this host uses. */
    static NetworkNamespace create() throws IOException {
        String used = run(true, "ip", "-4", "-o", "addr");
        int n;
        do {
            n = ThreadLocalRandom.current().nextInt(1, 255);
        } while (used.contains("10.213." + n + "."));
        NetworkNamespace ns = new NetworkNamespace(n);
        try {
            ns.setUp();
        } catch (IOException | RuntimeException ex) {
            ns.close();
            throw ex;
        }
        return ns;
    }

    private void setUp() throws IOException {
        run(true, "ip", "netns", "add", name);
        run(true, "ip", "link", "add", hostInterface, "type", "veth", "peer", "name", nsInterface);
        run(true, "ip", "link", "set", nsInterface, "netns", name);
        run(true, "ip", "addr", "add", hostAddress + "/30", "dev", hostInterface);
        run(true, "ip", "link", "set", hostInterface, "up");
        inside("ip", "addr", "add", nsAddress + "/30", "dev", nsInterface);
        inside("ip", "link", "set", nsInterface, "up");
        inside("ip", "link", "set", "lo", "up");
    }

    String hostAddress() {
        return hostAddress;
    }

    String nsAddress() {
        return nsAddress;
    }

    /** The command line that runs {@code command} inside the namespace. */
    List<String> exec(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(command);
        return all;
    }

    /** Drops every packet between the host and the namespace, both ways, without closing anything. */
    synchronized void blackhole() throws IOException {
        if (blackholed) {
            return;
        }
        List<String> hostRule = List.of("INPUT", "-i", hostInterface, "-j", "DROP");
        hostRules.add(hostRule);
        run(true, concat(List.of("iptables", "-I"), hostRule));
        inside("iptables", "-I", "INPUT", "-i", nsInterface, "-j", "DROP");
        blackholed = true;
    }

    /**
     * Drops only what goes between the namespace and one TCP port of the host (a service there, such as
     * the matchmaker), both ways; everything else passes.
     */
    synchronized void blackholeHostPort(int port) throws IOException {
        List<String> hostRule = List.of("INPUT", "-i", hostInterface, "-p", "tcp", "--dport", Integer.toString(port),
                "-j", "DROP");
        hostRules.add(hostRule);
        run(true, concat(List.of("iptables", "-I"), hostRule));
        inside("iptables", "-I", "INPUT", "-i", nsInterface, "-p", "tcp", "--sport", Integer.toString(port), "-j",
                "DROP");
    }

    /**
     * Drops a share of the packets between the two, both ways (iptables' {@code statistic} match: this
     * kernel has no netem).
     */
    synchronized void loseRandomly(double probability) throws IOException {
        List<String> hostRule = List.of("INPUT", "-i", hostInterface, "-m", "statistic", "--mode", "random",
                "--probability", Double.toString(probability), "-j", "DROP");
        hostRules.add(hostRule);
        run(true, concat(List.of("iptables", "-I"), hostRule));
        inside("iptables", "-I", "INPUT", "-i", nsInterface, "-m", "statistic", "--mode", "random",
                "--probability", Double.toString(probability), "-j", "DROP");
    }

    /** Lets every packet through again. */
    synchronized void heal() throws IOException {
        for (List<String> rule : hostRules) {
            run(false, concat(List.of("iptables", "-D"), rule));
        }
        hostRules.clear();
        inside("iptables", "-F", "INPUT");
        blackholed = false;
    }

    @Override
    public synchronized void close() {
        try {
            for (List<String> rule : hostRules) {
                run(false, concat(List.of("iptables", "-D"), rule));
            }
            hostRules.clear();
            run(false, "ip", "netns", "del", name);
            run(false, "ip", "link", "del", hostInterface);
        } catch (IOException ex) {
            throw new IllegalStateException("Cleaning up namespace " + name + " failed", ex);
        }
    }

    private void inside(String... command) throws IOException {
        run(true, exec(List.of(command)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String run(boolean check, String... command) throws IOException {
        return run(check, List.of(command));
    }

    /** Runs a command to its end; its output, or null when it failed and {@code check} is off. */
    private static String run(boolean check, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within 30 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
        if (process.exitValue() != 0) {
            if (check) {
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
            }
            return null;
        }
        return output;
    }
}
