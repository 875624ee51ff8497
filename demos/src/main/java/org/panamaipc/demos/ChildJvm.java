package org.panamaipc.demos;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the other side of a demo: a second JVM that runs a {@code main} of this class path with
 * the same {@code java} and native access enabled, so both sides run the same code.
 *
 * {@snippet lang=java :
 * Process other = ChildJvm.start(MyDemo.class, List.of("consumer", "/my-segment"), Redirect.INHERIT);
 * try {
 *     // ... talk to it ...
 * } finally {
 *     ChildJvm.stop(other, Duration.ofSeconds(10));
 * }
 * }
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM.
     *
     * @param mainClass the class whose {@code main} the child runs; it must be on this class path
     * @param args      the arguments of that {@code main}
     * @param output    where the child's standard output and error go: {@link Redirect#INHERIT}
     *                  (this process's own streams) or a file
     * @return the running child
     * @throws IOException if the JVM cannot be started
     */
    public static Process start(Class<?> mainClass, List<String> args, Redirect output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("--enable-native-access=ALL-UNNAMED");
        // a short-lived child: start quickly rather than reach peak speed
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (output.type() == Redirect.Type.INHERIT) {
            builder.redirectOutput(Redirect.INHERIT).redirectError(Redirect.INHERIT);
        } else {
            builder.redirectErrorStream(true).redirectOutput(output);
        }
        return builder.start();
    }

    /**
     * Waits up to {@code deadline} for {@code process} to exit, and kills it (with its descendants)
     * if it is still running then. Does nothing for {@code null}.
     *
     * @param process  the child, or {@code null}
     * @param deadline how long it may take to exit by itself; {@link Duration#ZERO} kills it at once
     * @return whether it exited by itself within the deadline
     */
    public static boolean stop(Process process, Duration deadline) {
        if (process == null) {
            return true;
        }
        boolean exited = false;
        try {
            exited = process.waitFor(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return exited;
    }

    /** {@return the {@code java} that runs this JVM} */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }
}
