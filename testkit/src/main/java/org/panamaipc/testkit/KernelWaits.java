package org.panamaipc.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tells whether a thread of this JVM sleeps in the kernel, and where: in {@code poll(2)}, in a
 * message queue's own wait ({@code mq_timedreceive} / {@code mq_timedsend}, whose sleep is the
 * kernel's {@code wq_sleep}), or in a futex wait, from {@code /proc/self/task/TID/wchan}: a thread
 * in a native call looks RUNNABLE to Java. Threads are found by name ({@code comm}, cut at 15
 * characters), so give the threads short unique names. A test waits on this observable state,
 * never on a sleep of a guessed length.
 */
public final class KernelWaits {

    private KernelWaits() {
    }

    /** The kernel function a thread blocked in {@code mq_timedreceive} or {@code mq_timedsend} sleeps in. */
    public static final String MQ_WAIT = "wq_sleep";

    /** What the kernel function of a futex wait contains ({@code futex_wait_queue}, {@code futex_wait_queue_me}). */
    public static final String FUTEX_WAIT = "futex";

    /** Waits up to 20 s until {@code thread} sleeps in {@code poll}; fails the test if it never does. */
    public static void awaitPolling(Thread thread) throws InterruptedException {
        awaitSleeping(thread, "poll");
    }

    /**
     * Waits up to 20 s until {@code thread} sleeps in a blocking send or receive of a message queue:
     * in {@code poll} or in the queue's own wait.
     */
    public static void awaitBlocked(Thread thread) throws InterruptedException {
        awaitSleeping(thread, "poll", MQ_WAIT);
    }

    /**
     * Waits up to 20 s until {@code thread} sleeps in a futex wait (a {@code Futex} wait, a primitive,
     * a park); fails the test if it never does, or if the thread ends first.
     */
    public static void awaitFutexWait(Thread thread) throws InterruptedException {
        awaitSleeping(thread, FUTEX_WAIT);
    }

    /**
     * Waits up to 20 s until {@code thread} sleeps in one of {@code places}; fails the test if it
     * never does, or if the thread ends first (then it never will).
     */
    public static void awaitSleeping(Thread thread, String... places) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0) {
            if (!thread.isAlive()) {
                throw new AssertionError(thread.getName() + " ended before it slept in " + String.join(" or ", places));
            }
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

    /** {@return where in the kernel {@code thread} sleeps ({@code /proc/self/task/TID/wchan}), or "" if not found} */
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
