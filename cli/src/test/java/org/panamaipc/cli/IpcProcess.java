package org.panamaipc.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ipc} run as a process of its own, as a user runs it: a JVM with this class path and
 * native access, its standard output and error in separate files (never shared with the test
 * runner), a deadline after which it is killed.
 */
final class IpcProcess implements AutoCloseable {

    /** How long a command may take before the test kills it and fails. */
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Process process;
    private final Path out;
    private final Path err;
    private final List<String> args;

    private IpcProcess(Process process, Path out, Path err, List<String> args) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.args = args;
    }

    /** Starts {@code ipc ARGS...}; use {@link #finish()} for its result. */
    static IpcProcess start(String... args) {
        return startWith(List.of(), args);
    }

    /** Runs {@code ipc ARGS...} in a JVM started with {@code jvmOptions} too (system properties, say). */
    static Result runWith(List<String> jvmOptions, String... args) {
        try (IpcProcess ipc = startWith(jvmOptions, args)) {
            return ipc.finish();
        }
    }

    /**
     * Starts {@code ipc ARGS...} as a shell starts a command in the foreground, SIGINT not ignored,
     * so that Ctrl-C ({@code kill -INT}) reaches it. A JVM ignores SIGINT for good when it starts
     * with SIGINT ignored (as {@code nohup} wants), and a child inherits that from this JVM when the
     * test run itself was started in the background of a script; {@code perl}, which every Debian
     * has, then puts SIGINT back to its default before it becomes the JVM.
     */
    static IpcProcess startInterruptible(String... args) {
        return interruptIgnored()
                ? startWith(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", "--"), List.of(), args)
                : start(args);
    }

    /** {@return whether this process ignores SIGINT, which its children then ignore too} */
    static boolean interruptIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & (1L << (2 - 1))) != 0;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code ipc ARGS...} in a JVM started with {@code jvmOptions} too. */
    static IpcProcess startWith(List<String> jvmOptions, String... args) {
        return startWith(List.of(), jvmOptions, args);
    }

    /** Starts {@code ipc ARGS...} in a JVM started through {@code launcher} (a command that execs its arguments), with {@code jvmOptions}. */
    private static IpcProcess startWith(List<String> launcher, List<String> jvmOptions, String... args) {
        try {
            Path dir = Path.of(System.getProperty("panama.ipc.test.output", "target/test-processes"));
            Files.createDirectories(dir);
            Path out = Files.createTempFile(dir, "ipc-", ".out");
            Path err = Files.createTempFile(dir, "ipc-", ".err");
            List<String> command = new ArrayList<>(launcher);
            command.addAll(List.of(
                    ProcessHandle.current().info().command().orElse(
                            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"),
                    "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), IpcCommand.class.getName()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            return new IpcProcess(process, out, err, List.of(args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code ipc ARGS...} to its end. */
    static Result run(String... args) {
        try (IpcProcess ipc = start(args)) {
            return ipc.finish();
        }
    }

    /** Waits for the end, at most {@link #DEADLINE}; fails the test with the output if it runs longer. */
    Result finish() {
        try {
            if (!process.waitFor(DEADLINE.toNanos(), TimeUnit.NANOSECONDS)) {
                close();
                throw new AssertionError("ipc " + String.join(" ", args) + " still running after " + DEADLINE
                        + "; killed. " + new Result(-1, read(out), read(err), process.pid()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new AssertionError("interrupted", e);
        }
        return new Result(process.exitValue(), read(out), read(err), process.pid());
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** {@return what it printed on its standard output so far} */
    String output() {
        return read(out);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Kills it, and anything it started, if still running. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What a run of {@code ipc} left: its exit code, its two streams, and the pid it had. */
    record Result(int exitCode, String out, String err, long pid) {

        /** {@return the error stream's lines} */
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- out:\n" + out + "\n--- err:\n" + err;
        }
    }
}
