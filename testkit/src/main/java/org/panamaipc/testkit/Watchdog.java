package org.panamaipc.testkit;

import java.time.Duration;

/**
 * The deadline of a child process's {@code main}: a daemon thread that prints what is still
 * running and ends the JVM with exit code 9 once {@code deadline} has passed, so a child never
 * outlives a test that forgot it.
 */
public final class Watchdog {

    /** The exit code of a child ended by its watchdog. */
    public static final int EXIT_CODE = 9;

    private Watchdog() {
    }

    /** Starts the watchdog for the role {@code what}. */
    public static void start(String what, Duration deadline) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(deadline.toMillis());
                System.out.println("watchdog: " + what + " still running after " + deadline);
                System.exit(EXIT_CODE);
            } catch (InterruptedException done) {
                // the role finished
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
