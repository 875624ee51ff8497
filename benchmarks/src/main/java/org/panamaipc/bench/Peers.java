package org.panamaipc.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the harnesses ({@link Bench}, {@link RpcBench}, {@link BroadcastBench}) do with their peer
 * processes and the machine they run on: the command that starts a JVM like this one, waiting for
 * a peer's line, ending a peer, reading its {@code RESULT} line, and the machine's facts that go
 * into a report (CPU model, load, a process's CPU time).
 */
final class Peers {

    private Peers() {
    }

    /** {@return the {@code java} launcher of this JVM, for peers that run the same build} */
    static String java() {
        return ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /**
     * {@return the command that runs {@code main} in a peer JVM like this one} The same launcher and
     * class path, the flags every peer gets (native access, a fixed 256 MB heap, the serial
     * collector), then {@code flags}.
     */
    static List<String> jvm(List<String> flags, Class<?> main) {
        List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-Xms256m",
                "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return command;
    }

    /**
     * Waits until {@code log}, the output of {@code process} (called {@code who} in a failure),
     * holds {@code text}.
     *
     * @throws IOException if the process exits first, or the text does not come {@code within}
     */
    static void awaitLine(Process process, String who, Path log, String text, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() - end < 0) {
            String output = Files.exists(log) ? Files.readString(log) : "";
            if (output.contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(who + " exited with " + process.exitValue() + " before printing " + text + ": "
                        + output.strip());
            }
            Thread.sleep(5);
        }
        throw new IOException(who + " did not print " + text + " within " + within.toSeconds() + " s");
    }

    /** Ends {@code process} (if any) with {@code SIGKILL} and waits up to 10 s for it to be gone. */
    static void kill(Process process) {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@return the {@code key=value} pairs of the first {@code RESULT} line of {@code output}, in
     * their order}
     *
     * @throws IOException if there is none
     */
    static Map<String, String> result(String output) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                Map<String, String> values = new LinkedHashMap<>();
                for (String pair : line.substring(7).trim().split(" ")) {
                    int eq = pair.indexOf('=');
                    values.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                return values;
            }
        }
        throw new IOException("no RESULT line in: " + output.strip());
    }

    /** {@return whether {@code program} is an executable in a directory of {@code PATH}} */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** {@return the CPU time of every thread of process {@code pid}, in nanoseconds} */
    static long cpuNanos(long pid) throws IOException {
        long total = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    total += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
                } catch (IOException threadGone) {
                    // a thread that ended between the listing and the read
                }
            }
        }
        return total;
    }

    /** {@return the 1-minute load average now, as /proc/loadavg says} */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** {@return the CPU's model name from /proc/cpuinfo, or the architecture} */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return System.getProperty("os.arch");
    }
}
