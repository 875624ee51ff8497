package org.panamaipc.attack.children;

import org.panamaipc.channel.WaitStrategy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the child mains of the attacks share: deadlines, the end-of-senders marker, wait strategies. */
public final class Peers {

    /** Exit code of a child that waited past its deadline. */
    public static final int EXIT_HANG = 7;
    /** Exit code of a child that met an exception it should not have. */
    public static final int EXIT_ERROR = 3;
    /** The file a trial's parent creates once every sender has finished or died. */
    public static final String SENDERS_DONE = "senders-done";
    /** How long after the senders are done a receiver may take to be told so (CLOSED) or to drain. */
    public static final Duration CLOSE_DEADLINE = Duration.ofSeconds(15);

    private Peers() {
    }

    /** {@return whether the parent has said that every sender is done} */
    public static boolean sendersDone(Path dir) {
        return Files.exists(dir.resolve(SENDERS_DONE));
    }

    /** {@return the strategy named {@code name}} */
    public static WaitStrategy strategy(String name) {
        return switch (name) {
            case "spin" -> WaitStrategy.busySpin();
            case "yield" -> WaitStrategy.yielding();
            case "backoff" -> WaitStrategy.backoff();
            case "blocking" -> WaitStrategy.blocking();
            default -> throw new IllegalArgumentException("unknown strategy " + name);
        };
    }

    /** Prints {@code line} and flushes it, so the parent sees it before anything else happens. */
    public static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Prints that the child waited too long, and ends it with {@link #EXIT_HANG}. */
    public static void hang(String what) {
        say("HANG " + what);
        Runtime.getRuntime().halt(EXIT_HANG);
    }

    /** Prints the exception and ends the child with {@link #EXIT_ERROR}. */
    public static void fail(Throwable t) {
        System.out.println("ERROR " + t);
        t.printStackTrace(System.out);
        System.out.flush();
        Runtime.getRuntime().halt(EXIT_ERROR);
    }

    /**
     * {@return whether process {@code pid} runs: it exists and is not a zombie} (A process killed a
     * moment ago may linger as a zombie until its parent reaps it.)
     */
    public static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    /** Sleeps, ignoring nothing: an interrupt ends the child. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            fail(e);
        }
    }
}
