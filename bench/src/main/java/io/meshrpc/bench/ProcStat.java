package io.meshrpc.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Linux {@code /proc} figures of another process: CPU time from {@code /proc/<pid>/stat} and this
 * process's open-files limit from {@code /proc/self/limits}. Elsewhere they are unknown (-1).
 */
final class ProcStat {

    private static final long TICKS_PER_SECOND = clockTicks();
    /** A socket's state in {@code /proc/net/tcp}: TCP_LISTEN. */
    private static final String LISTEN = "0A";

    private ProcStat() {
    }

    /** utime + stime of {@code pid} (every thread, the process's own, not its children), in ns; -1 if unknown. */
    static long cpuNanos(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII))
                    * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException ex) {
            return -1;
        }
    }

    /**
     * The process on this machine that listens on TCP {@code port} (IPv4 or IPv6, any address), found
     * through the listening socket's inode in {@code /proc/net/tcp*} and the process holding it in
     * {@code /proc/<pid>/fd}; empty where that cannot be read (no {@code /proc}, another user's process
     * without the right to look) or nothing listens.
     */
    static OptionalLong listeningProcess(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            inodes.addAll(listeningInodes(table, port));
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        File[] entries = new File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
        for (File entry : entries == null ? new File[0] : entries) {
            if (holdsAny(entry, inodes)) {
                return OptionalLong.of(Long.parseLong(entry.getName()));
            }
        }
        return OptionalLong.empty();
    }

    /** The inodes of the sockets listening on {@code port} in one of {@code /proc/net/tcp*}. */
    static Set<String> listeningInodes(String table, int port) {
        try {
            return listeningInodes(Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII), port);
        } catch (IOException | RuntimeException ex) {
            return Set.of();
        }
    }

    /** {@code listeningInodes} over the lines of such a table (its header first). */
    static Set<String> listeningInodes(List<String> lines, int port) {
        Set<String> inodes = new HashSet<>();
        String portSuffix = String.format(Locale.ROOT, ":%04X", port);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[1].endsWith(portSuffix) && f[3].equals(LISTEN)) {
                inodes.add(f[9]);
            }
        }
        return inodes;
    }

    private static boolean holdsAny(File proc, Set<String> inodes) {
        File[] fds = new File(proc, "fd").listFiles();
        for (File fd : fds == null ? new File[0] : fds) {
            try {
                String link = Files.readSymbolicLink(fd.toPath()).toString();
                if (link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))) {
                    return true;
                }
            } catch (IOException | RuntimeException ex) {
                // closed meanwhile
            }
        }
        return false;
    }

    /** utime + stime in clock ticks, from a {@code /proc/<pid>/stat} line. */
    static long cpuTicks(String stat) {
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count from the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state); utime is field 14, stime field 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU time of {@code pid}'s threads so far, in ns, summed by kind: {@code requests} (Tomcat's
     * {@code http-nio-*} threads: the poller, the acceptor and the request threads, which the kernel's
     * 15-character thread names do not tell apart), {@code JIT} (the compiler threads), {@code GC}
     * (the collector's and the VM thread), else the thread's name without digits. Empty if unknown.
     */
    static Map<String, Long> threadCpuNanos(long pid) {
        Map<String, Long> byKind = new TreeMap<>();
        File[] tasks = new File("/proc/" + pid + "/task").listFiles();
        if (tasks == null) {
            return byKind;
        }
        for (File task : tasks) {
            try {
                String stat = Files.readString(task.toPath().resolve("stat"), StandardCharsets.US_ASCII);
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                byKind.merge(kind(name), cpuTicks(stat) * (1_000_000_000L / TICKS_PER_SECOND), Long::sum);
            } catch (IOException | RuntimeException ex) {
                // the thread ended meanwhile
            }
        }
        return byKind;
    }

    static String kind(String threadName) {
        if (threadName.startsWith("http-nio")) {
            return "requests";
        }
        if (threadName.contains("CompilerThre")) {
            return "JIT";
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")
                || threadName.startsWith("VM Periodic")) {
            return "GC";
        }
        return threadName.replaceAll("[#0-9]+", "").trim();
    }

    /** The first three fields of {@code /proc/loadavg}, or {@code unknown}. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException ex) {
            return "unknown";
        }
    }

    /** The soft limit of open files of this process, or -1 if unknown. */
    static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException ex) {
            return -1;
        }
        return -1;
    }

    /** File descriptors this process holds now, or -1. */
    static int openFiles() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                long ticks = Long.parseLong(out);
                if (ticks > 0 && 1_000_000_000L % ticks == 0) {
                    return ticks;
                }
            }
        } catch (IOException | RuntimeException ex) {
            // the usual value below
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
