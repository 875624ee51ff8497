package org.panamaipc.attack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM of the attack harness: a {@code main} from this module's test class path, its output
 * (stdout and stderr together) in a file of its own, a crash log ({@code hs_err}) beside it if the
 * JVM crashes. Unlike the testkit's {@code ChildProcess} it can run under another command (such as
 * {@code setpriv} to change user, or a shell that sets the umask), with another class path and
 * extra JVM options. {@link #close()} kills it and its descendants.
 */
public final class Child implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final Path errorFile;
    private final String label;

    private Child(Process process, Path output, Path errorFile, String label) {
        this.process = process;
        this.output = output;
        this.errorFile = errorFile;
        this.label = label + " (pid " + process.pid() + ")";
    }

    /** {@return a builder for {@code mainClass} with {@code args}} */
    public static Builder java(Class<?> mainClass, String... args) {
        return new Builder(mainClass, List.of(args));
    }

    /** How to start a child. */
    public static final class Builder {
        private final Class<?> mainClass;
        private final List<String> args;
        private final List<String> prefix = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private String classPath = System.getProperty("java.class.path");
        private String label;
        private Path directory;

        private Builder(Class<?> mainClass, List<String> args) {
            this.mainClass = mainClass;
            this.args = args;
            this.label = mainClass.getSimpleName();
        }

        /** Runs the JVM under {@code command} (which must end by exec-ing its arguments). */
        public Builder under(String... command) {
            prefix.addAll(List.of(command));
            return this;
        }

        /** Adds JVM options. */
        public Builder jvm(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /** Uses {@code classPath} instead of this JVM's. */
        public Builder classPath(String classPath) {
            this.classPath = classPath;
            return this;
        }

        /** Names the child in messages and in its output file's name. */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** Puts the output file in {@code directory} rather than the test output directory. */
        public Builder in(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Starts the child. */
        public Child start() {
            try {
                Path dir = directory != null ? directory
                        : Path.of(System.getProperty("panama.ipc.test.output", "target/test-processes"), "attack");
                Files.createDirectories(dir);
                Path out = Files.createTempFile(dir, label.replaceAll("[^A-Za-z0-9_.-]", "_") + "-", ".log");
                Path errorFile = dir.resolve(out.getFileName().toString().replace(".log", "") + "-hs_err.log");
                List<String> command = new ArrayList<>(prefix);
                command.add(javaExecutable());
                command.add("--enable-native-access=ALL-UNNAMED");
                command.add("-XX:+UseSerialGC");
                command.add("-XX:TieredStopAtLevel=1");
                command.add("-XX:-UsePerfData");
                command.add("-Xshare:auto");
                command.add("-XX:ErrorFile=" + errorFile);
                command.addAll(jvmOptions);
                command.add("-cp");
                command.add(classPath);
                command.add(mainClass.getName());
                command.addAll(args);
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .start();
                return new Child(process, out, errorFile, label);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + label, e);
            }
        }
    }

    /** {@return the {@code java} this JVM runs} */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /** {@return the child's pid} */
    public long pid() {
        return process.pid();
    }

    /** {@return whether the child still runs} */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@return everything the child printed so far} */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** {@return the lines the child printed so far} */
    public List<String> lines() {
        return output().lines().toList();
    }

    /** {@return the output file} */
    public Path outputFile() {
        return output;
    }

    /** {@return whether the JVM wrote a crash log (it crashed)} */
    public boolean crashed() {
        return Files.exists(errorFile);
    }

    /** {@return the crash log's path} */
    public Path errorFile() {
        return errorFile;
    }

    /**
     * Waits until the child prints a line that {@code matches}, at most {@code deadline}.
     * {@return the line, or null if the child exited or the deadline passed first}
     */
    public String awaitLine(Predicate<String> matches, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            for (String line : lines()) {
                if (matches.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() || System.nanoTime() - end >= 0) {
                for (String line : lines()) {
                    if (matches.test(line)) {
                        return line;
                    }
                }
                return null;
            }
            sleep(3);
        }
    }

    /** {@return as {@link #awaitLine(Predicate, Duration)}, for a line starting with {@code prefix}} */
    public String awaitLine(String prefix, Duration deadline) {
        return awaitLine(line -> line.startsWith(prefix), deadline);
    }

    /** {@return the exit code, or null if the child still runs after {@code deadline}} */
    public Integer waitFor(Duration deadline) {
        try {
            if (!process.waitFor(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
                return null;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Kills the child with SIGKILL and waits until it is gone (reaped). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
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
        return label;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
