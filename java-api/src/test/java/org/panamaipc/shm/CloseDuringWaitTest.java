package org.panamaipc.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.sync.SemaphoreDescriptor;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing (or growing) shared memory while a thread of this process sleeps in a futex wait on it:
 * the sleeper wakes with an {@link IllegalStateException} naming the object, the mapping is
 * released (counted in {@code /proc/self/maps}), and a second close does nothing. Regression cases
 * for issue 10, defect 5.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class CloseDuringWaitTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldWakeAFutexSleeperAndUnmapOnClose() throws Exception {
        String name = TestNames.unique("close-wait");
        try {
            SharedMemory shm = SharedMemory.create(name, 4096);
            Futex futex = Futex.of(shm.segment(), 0);
            Sleeper sleeper = Sleeper.start("futex-close", () -> futex.wait(0, WAIT));
            assertEquals(1, mappings(name));

            shm.close();

            assertClosedWithName(sleeper, name);
            assertEquals(0, mappings(name), "the mapping is released");
            shm.close(); // a second close does nothing
            assertThrows(IllegalStateException.class, shm::segment);
            assertThrows(IllegalStateException.class, futex::value, "the primitive no longer works");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeAFutexSleeperOnTheOldMappingAndUnmapItOnGrow() throws Exception {
        String name = TestNames.unique("grow-wait");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            Futex futex = Futex.of(shm.segment(), 0);
            Sleeper sleeper = Sleeper.start("futex-grow", () -> futex.wait(0, WAIT));
            assertEquals(1, mappings(name));

            shm.grow(8192);

            assertClosedWithName(sleeper, name);
            assertEquals(1, mappings(name), "the old mapping is released, the new one stays");
            assertEquals(8192, shm.size());
            shm.segment().set(ValueLayout.JAVA_LONG, 8000, 42L);
            assertThrows(IllegalStateException.class, futex::value, "the old mapping no longer works");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
        assertEquals(0, mappings(name));
    }

    @Test
    void shouldWakeAThreadWaitingForAMutexOnClose() throws Exception {
        String name = TestNames.unique("mutex-close");
        try {
            IpcMutex mutex = IpcMutex.create(name);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch held = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().start(() -> {
                try {
                    mutex.lock();
                    held.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(held.await(10, TimeUnit.SECONDS));
            Sleeper sleeper = Sleeper.start("mutex-close", () -> mutex.tryLock(WAIT));

            mutex.close();

            assertClosedWithName(sleeper, name);
            assertEquals(0, mappings(name));
            mutex.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, mutex::tryLock);
            assertTrue(e.getMessage().contains(name), e.getMessage());
            release.countDown();
            holder.join(10_000);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /**
     * A primitive in a caller's region closes as every other object does: the threads waiting in
     * it wake with {@link IllegalStateException} naming it, later calls throw the same, and the
     * region, which is the caller's, stays mapped and usable through another view. Its close used
     * to do nothing at all.
     */
    @Test
    void shouldWakeAThreadWaitingInAWrappedMutexOnCloseAndLeaveTheRegionAlone() throws Exception {
        String name = TestNames.unique("wrapped-close");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            IpcMutex holder = IpcMutex.wrap(shm.segment());
            IpcMutex waiting = IpcMutex.wrap(shm.segment());
            assertTrue(holder.tryLock());
            Sleeper sleeper = Sleeper.start("wrapped-close", () -> waiting.tryLock(WAIT));

            waiting.close();

            Throwable thrown = sleeper.outcome();
            assertInstanceOf(IllegalStateException.class, thrown, "the sleeper's outcome: " + thrown);
            assertTrue(thrown.getMessage().startsWith("mutex at 0x"), thrown.getMessage());
            assertThrows(IllegalStateException.class, waiting::tryLock, "closed");
            waiting.close();
            assertTrue(holder.isHeldByCurrentThread(), "the other view of the region is untouched");
            holder.unlock();
            assertEquals(1, mappings(name), "the caller's memory stays mapped");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeASemaphoreWaiterAndCountItOutBeforeUnmapping() throws Exception {
        String name = TestNames.unique("sem-close");
        try (SharedMemory view = SharedMemory.open(createdSemaphore(name))) {
            IpcSemaphore semaphore = IpcSemaphore.open(name);
            Sleeper sleeper = Sleeper.start("sem-close", () -> semaphore.tryAcquire(WAIT));
            assertEquals(1, waiters(view, SemaphoreDescriptor.WAITERS_OFFSET));

            semaphore.close();

            assertClosedWithName(sleeper, name);
            assertEquals(0, waiters(view, SemaphoreDescriptor.WAITERS_OFFSET), "the waiter counted itself out");
            assertEquals(1, mappings(name), "only the test's own view is left");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeAnEventWaiterOnClose() throws Exception {
        String name = TestNames.unique("event-close");
        try {
            IpcEvent event = IpcEvent.create(name, IpcEvent.Type.AUTO_RESET);
            Sleeper sleeper = Sleeper.start("event-close", () -> event.await(WAIT));

            event.close();

            assertClosedWithName(sleeper, name);
            assertEquals(0, mappings(name));
            event.close();
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static String createdSemaphore(String name) {
        IpcSemaphore.create(name, 0).close();
        return name;
    }

    private static int waiters(SharedMemory view, int offset) {
        return view.segment().get(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.HEADER_SIZE + offset);
    }

    private static void assertClosedWithName(Sleeper sleeper, String name) throws InterruptedException {
        Throwable thrown = sleeper.outcome();
        assertInstanceOf(IllegalStateException.class, thrown, "the sleeper's outcome: " + thrown);
        assertTrue(thrown.getMessage().contains(name), "names the object: " + thrown.getMessage());
    }

    /** {@return how many lines of /proc/self/maps map the object {@code name}} */
    static long mappings(String name) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(line -> line.endsWith("/dev/shm" + name) || line.endsWith("/dev/shm" + name + " (deleted)"))
                    .count();
        }
    }

    interface Wait {
        Object run() throws Exception;
    }

    /** A platform thread that makes one wait, and what came of it. */
    record Sleeper(Thread thread, CompletableFuture<Throwable> result) {

        static Sleeper start(String threadName, Wait wait) throws InterruptedException {
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().name(threadName).start(() -> {
                try {
                    Object returned = wait.run();
                    result.complete(new AssertionError("the wait returned " + returned));
                } catch (Throwable t) {
                    result.complete(t);
                }
            });
            awaitFutexSleep(thread);
            return new Sleeper(thread, result);
        }

        Throwable outcome() throws InterruptedException {
            try {
                return result.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError(thread.getName() + " did not end within 10 s of the close", e);
            } finally {
                thread.join(10_000);
            }
        }

        private static void awaitFutexSleep(Thread thread) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() - deadline < 0) {
                if (wchan(thread).contains("futex")) {
                    return;
                }
                Thread.sleep(1);
            }
            throw new AssertionError(thread.getName() + " never slept in a futex wait; wchan " + wchan(thread));
        }

        private static String wchan(Thread thread) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        if (Files.readString(task.resolve("comm")).trim().equals(thread.getName())) {
                            return Files.readString(task.resolve("wchan")).trim();
                        }
                    } catch (IOException taskGone) {
                        // ended while we listed
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot read /proc/self/task", e);
            }
            return "";
        }
    }
}
