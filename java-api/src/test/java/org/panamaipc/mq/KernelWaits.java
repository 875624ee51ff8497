package org.panamaipc.mq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tells whether a thread of this JVM sleeps in the kernel in {@code poll(2)}, from
 * {@code /proc/self/task/TID/wchan}: a thread in a native call looks RUNNABLE to Java. Threads are
 * found by name ({@code comm}, cut at 15 characters), so give the threads short unique names.
 */
final class KernelWaits {

    private KernelWaits() {
    }

    /** Waits up to 20 s until {@code thread} sleeps in {@code poll}; fails the test if it never does. */
    static void awaitPolling(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0) {
            if (isPolling(thread)) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError(thread.getName() + " never slept in poll(2); state " + thread.getState());
    }

    static boolean isPolling(Thread thread) {
        String comm = thread.getName().length() > 15 ? thread.getName().substring(0, 15) : thread.getName();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals(comm)) {
                        return Files.readString(task.resolve("wchan")).contains("poll");
                    }
                } catch (IOException taskGone) {
                    // a thread that ended while we listed
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/task", e);
        }
        return false;
    }
}
