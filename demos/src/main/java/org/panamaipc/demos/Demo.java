package org.panamaipc.demos;

import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;

/**
 * A demo between two processes: this JVM plays one side and starts the other side in a second
 * JVM. {@link Demos} lists them; {@code ipc demo NAME} runs one.
 *
 * {@snippet lang=java :
 * Demo demo = Demos.find("shm").orElseThrow();
 * int exitCode = demo.run(new PrintWriter(System.out, true), ProcessBuilder.Redirect.INHERIT);
 * }
 */
public interface Demo {

    /** {@return the short name that {@code ipc demo NAME} takes, such as {@code "shm"}} */
    String name();

    /** {@return one line that says what the demo shows} */
    String summary();

    /** {@return other names {@code ipc demo NAME} accepts for it (an old name, say); none by default} */
    default java.util.List<String> aliases() {
        return java.util.List.of();
    }

    /**
     * Runs the demo to its end: starts the other JVM, exchanges messages with it, prints a final
     * check, and removes every OS object it created, whether it succeeds or not. The other JVM is
     * killed if it is still running after the demo's deadline.
     *
     * @param out         where this side prints what it does
     * @param childOutput where the other JVM's output goes: {@link Redirect#INHERIT} to share this
     *                    terminal, so both sides' lines interleave as they happen, or
     *                    {@link Redirect#to(java.io.File)} a file, which is copied to {@code out}
     *                    once the other JVM has ended (use a file where this JVM's own standard
     *                    streams must not be shared, as under a test runner)
     * @return the exit code: 0 if every message arrived in order, 1 otherwise
     * @throws InterruptedException if the thread is interrupted meanwhile (the clean-up still runs)
     */
    int run(PrintWriter out, Redirect childOutput) throws InterruptedException;
}
