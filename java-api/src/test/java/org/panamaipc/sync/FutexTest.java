package org.panamaipc.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.FutexChild;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class FutexTest {

    @Test
    void shouldWakeAWaiterInAnotherJvm() throws Exception {
        String name = TestNames.unique("futex");
        try (SharedMemory shm = SharedMemory.create(name, 4096);
             ChildProcess child = ChildProcess.java(FutexChild.class, "wait", name, "64")) {
            Futex futex = Futex.of(shm.segment(), 64);
            // a wake that reports 1 woken thread proves the child was asleep on the word: no sleep() guesswork
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int woken = 0;
            while (woken == 0 && System.nanoTime() - deadline < 0) {
                woken = futex.wake(1);
                if (woken == 0) {
                    Thread.sleep(1);
                }
            }
            assertEquals(1, woken, "no waiter appeared on the word; child output:\n" + child.output());
            child.assertSuccess(Duration.ofSeconds(30));
            assertTrue(child.output().contains("result WOKEN"), child.output());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldTimeOutNoEarlierThanItsDeadline() throws Exception {
        String name = TestNames.unique("futex-timeout");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            Futex futex = Futex.of(shm.segment(), 0);
            long start = System.nanoTime();
            assertEquals(Futex.WaitResult.TIMED_OUT, futex.wait(0, Duration.ofMillis(150)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150));
            // longer than one interrupt-check slice: the slices add up to the deadline
            start = System.nanoTime();
            assertEquals(Futex.WaitResult.TIMED_OUT, futex.wait(0, Duration.ofMillis(250)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250));
            assertEquals(Futex.WaitResult.TIMED_OUT, futex.wait(0, Duration.ZERO));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldReturnAtOnceWhenTheValueDiffers() throws Exception {
        String name = TestNames.unique("futex-changed");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            Futex futex = Futex.of(shm.segment(), 0);
            futex.setRelease(5);
            assertEquals(Futex.WaitResult.VALUE_CHANGED, futex.wait(4, Duration.ofSeconds(10)));
            assertEquals(0, futex.wake(1), "no one waits");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldEndAWaitPromptlyWhenInterrupted() throws Exception {
        String name = TestNames.unique("futex-interrupt");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            Futex futex = Futex.of(shm.segment(), 0);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Long> interruptedAfter = new CompletableFuture<>();
            long[] interruptAt = new long[1];
            Thread waiter = new Thread(() -> {
                started.countDown();
                try {
                    futex.wait(0, Duration.ofSeconds(30));
                    interruptedAfter.completeExceptionally(new AssertionError("wait returned instead of throwing"));
                } catch (InterruptedException expected) {
                    interruptedAfter.complete(System.nanoTime() - interruptAt[0]);
                }
            }, "futex-waiter");
            waiter.start();
            started.await();
            // let the waiter reach the kernel: a wake that finds it proves it sleeps
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!isSleeping(waiter) && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            interruptAt[0] = System.nanoTime();
            waiter.interrupt();
            long nanos = interruptedAfter.get(20, TimeUnit.SECONDS);
            waiter.join(10_000);
            System.out.printf("futex wait ended %.1f us after interrupt%n", nanos / 1e3);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldThrowAtOnceIfAlreadyInterrupted() throws Exception {
        String name = TestNames.unique("futex-preinterrupted");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            Futex futex = Futex.of(shm.segment(), 0);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> futex.wait(0, Duration.ofSeconds(30)));
            assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt is consumed by the exception");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRejectMisalignedOrOutOfBoundsWords() {
        String name = TestNames.unique("futex-align");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            IllegalArgumentException misaligned = assertThrows(IllegalArgumentException.class,
                    () -> Futex.of(shm.segment(), 2));
            assertTrue(misaligned.getMessage().contains("not 4-byte aligned (offset=2)"), misaligned.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Futex.of(shm.segment(), 4094));
            assertThrows(IllegalArgumentException.class, () -> Futex.of(shm.segment(), -4));
            assertThrows(IllegalArgumentException.class,
                    () -> Futex.of(java.lang.foreign.MemorySegment.ofArray(new int[4]), 0));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static boolean isSleeping(Thread t) {
        // a thread in a native futex call shows as RUNNABLE to Java; check the kernel's view
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of(
                    "/proc/self/task/" + nativeTid(t) + "/wchan"));
            return stat.contains("futex");
        } catch (Exception e) {
            return true;
        }
    }

    private static long nativeTid(Thread t) throws java.io.IOException {
        // find the task whose comm matches the thread name (set below the 15-char limit)
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (var task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                String comm = java.nio.file.Files.readString(task.resolve("comm")).trim();
                if (comm.equals(t.getName().length() > 15 ? t.getName().substring(0, 15) : t.getName())) {
                    return Long.parseLong(task.getFileName().toString());
                }
            }
        }
        throw new java.io.IOException("thread " + t.getName() + " not found in /proc/self/task");
    }
}
