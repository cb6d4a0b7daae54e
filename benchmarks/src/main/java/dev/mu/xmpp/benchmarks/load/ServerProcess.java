package dev.mu.xmpp.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a server process's resident memory and CPU time from Linux's {@code /proc}: {@code VmRSS}
 * of {@code /proc/<pid>/status} and {@code utime + stime} of {@code /proc/<pid>/stat}, which count
 * all threads of the process.
 *
 * <p>Without a pid (0) every reading is {@code -1}. Immutable and thread-safe.
 *
 * @see <a href="https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html">proc_pid_stat(5)</a>
 */
record ServerProcess(long pid, long clockTicksPerSecond) {

    /** The USER_HZ Linux reports CPU times in on every architecture we run on; see {@code getconf CLK_TCK}. */
    static final long USER_HZ = 100;

    /** The process {@code pid}, or none when {@code pid} is 0. */
    static ServerProcess of(long pid) {
        return new ServerProcess(pid, USER_HZ);
    }

    /** Whether a pid was given. */
    boolean known() {
        return pid > 0;
    }

    /** Whether the process runs a {@code java} executable, so that {@code jcmd} can attach to it. */
    boolean isJvm() {
        if (!known()) {
            return false;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).getFileName().toString().equals("java");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Resident memory in KiB ({@code VmRSS}), or -1. */
    long rssKib() {
        if (!known()) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User plus system CPU time in microseconds, at a resolution of one clock tick (10 ms), or -1. */
    long cpuMicros() {
        if (!known()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces; fields after it start behind the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 (utime, stime) are at 11 and 12 counted from field 3.
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1_000_000L / clockTicksPerSecond;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
