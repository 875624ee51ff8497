package org.panamaipc.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tells where in the kernel a thread of this JVM sleeps, from {@code /proc/self/task/TID/wchan}:
 * a thread in a native call looks RUNNABLE to Java, so a test that must act once another thread
 * blocks in a system call waits for this instead of sleeping on a guess. Threads are found by name
 * ({@code comm}, cut at 15 characters): give them short unique names.
 */
public final class KernelSleep {

    /** Where a thread sleeps in {@code poll(2)}. */
    public static final String POLL = "poll";
    /** Where a thread sleeps in {@code open(2)} of a FIFO, waiting for the other end. */
    public static final String FIFO_OPEN = "wait_for_partner";

    private KernelSleep() {
    }

    /** Waits up to 20 s until {@code thread} sleeps in one of {@code places}; fails the test if it never does. */
    public static void await(Thread thread, String... places) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0) {
            String wchan = wchan(thread);
            for (String place : places) {
                if (wchan.contains(place)) {
                    return;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError(thread.getName() + " never slept in " + String.join(" or ", places) + "; state "
                + thread.getState() + ", wchan " + wchan(thread));
    }

    /** {@return where in the kernel {@code thread} sleeps now, or "" if it is not found} */
    public static String wchan(Thread thread) {
        String comm = thread.getName().length() > 15 ? thread.getName().substring(0, 15) : thread.getName();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals(comm)) {
                        return Files.readString(task.resolve("wchan")).trim();
                    }
                } catch (IOException taskGone) {
                    // a thread that ended while we listed
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/task", e);
        }
        return "";
    }
}
