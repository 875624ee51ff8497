package org.panamaipc.testkit;

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
 * A child process of a test: a JVM running a {@code main} from the test class path, or a C peer
 * from {@code native/target/bin}. Its output goes to a file under {@code target/test-processes}
 * (a child that inherits surefire's streams corrupts them). {@link #close()} kills it and its
 * descendants, so a test that fails half-way leaves no process running; use it in
 * try-with-resources.
 */
public final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final String description;

    private ChildProcess(Process process, Path output, String description) {
        this.process = process;
        this.output = output;
        this.description = description;
    }

    /**
     * Starts {@code mainClass} in a new JVM: the same {@code java}, the same class path, native
     * access enabled.
     */
    public static ChildProcess java(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return start(command, mainClass.getSimpleName());
    }

    /** Starts the C program {@code name} built by {@code native/} (see {@link #nativeBinary(String)}). */
    public static ChildProcess nativePeer(String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(nativeBinary(name).toString());
        command.addAll(List.of(args));
        return start(command, name);
    }

    /**
     * Starts any program, such as {@code sh -c '...'} or {@code python3 peer.py}, found on the
     * {@code PATH}; {@code label} names its output file and its messages.
     */
    public static ChildProcess program(String label, String... command) {
        return start(List.of(command), label);
    }

    /** {@return the path of a program built by {@code native/}, failing clearly if it is missing} */
    public static Path nativeBinary(String name) {
        String dir = System.getProperty("panama.ipc.native.bin");
        Path bin = dir != null ? Path.of(dir) : Path.of("..", "native", "target", "bin");
        Path program = bin.resolve(name);
        if (!Files.isExecutable(program)) {
            throw new IllegalStateException("C program " + program.toAbsolutePath()
                    + " is missing: build it with `make -C native` or `mvn verify` from the root");
        }
        return program;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    private static ChildProcess start(List<String> command, String label) {
        try {
            Path dir = Path.of(System.getProperty("panama.ipc.test.output", "target/test-processes"));
            Files.createDirectories(dir);
            Path output = Files.createTempFile(dir, label + "-", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            return new ChildProcess(process, output, label + " (pid " + process.pid() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** {@return the child's pid} */
    public long pid() {
        return process.pid();
    }

    /** {@return the underlying process} */
    public Process process() {
        return process;
    }

    /**
     * Waits for the child to exit within {@code deadline} and returns its exit code; kills it and
     * throws an {@link AssertionError} that shows its output if it is still running then.
     */
    public int waitFor(Duration deadline) {
        try {
            if (!process.waitFor(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
                close();
                throw new AssertionError(description + " still running after " + deadline
                        + "; killed. Its output:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new AssertionError("interrupted while waiting for " + description, e);
        }
    }

    /** Waits as {@link #waitFor(Duration)} and fails unless the exit code is 0. */
    public void assertSuccess(Duration deadline) {
        int code = waitFor(deadline);
        if (code != 0) {
            throw new AssertionError(description + " exited with " + code + ". Its output:\n" + output());
        }
    }

    /**
     * Waits until the child's output contains {@code text}, for at most {@code deadline}; fails
     * with the output so far if it does not, or if the child exits first.
     */
    public void awaitOutput(String text, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                if (output().contains(text)) {
                    return;
                }
                throw new AssertionError(description + " exited with " + process.exitValue()
                        + " before printing \"" + text + "\". Its output:\n" + output());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError(description + " did not print \"" + text + "\" within " + deadline
                + ". Its output:\n" + output());
    }

    /** {@return everything the child printed so far, stdout and stderr together} */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** Kills the child with SIGKILL and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the child and its descendants if they still run. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
