package org.panamaipc.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semaphore, event and latch within one process; {@link SyncAcrossProcessesTest} crosses processes. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class SemaphoreEventLatchTest {

    @Test
    void shouldRefuseAModeThatLocksTheOwnerOutAsWhenTheCountAndModeAreSwapped() {
        String name = TestNames.unique("sem-swapped");
        IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
                () -> IpcSemaphore.create(name, 0600, 2)); // meant: create(name, 2, 0600)
        assertTrue(swapped.getMessage().contains("mode=02 does not give the owner read and write (0600)"),
                swapped.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IpcLatch.openOrCreate(name, 3, 0440));
        assertThrows(IllegalArgumentException.class, () -> IpcMutex.create(name, 0));
        assertFalse(SharedMemory.exists(name), "refused before any system call");
    }

    @Test
    void shouldCountPermits() throws Exception {
        String name = TestNames.unique("sem");
        try (IpcSemaphore sem = IpcSemaphore.create(name, 2); IpcSemaphore other = IpcSemaphore.open(name)) {
            assertEquals(2, sem.initialPermits());
            assertTrue(sem.tryAcquire());
            assertTrue(other.tryAcquire());
            assertFalse(sem.tryAcquire());
            long start = System.nanoTime();
            assertFalse(sem.tryAcquire(Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return other.tryAcquire(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            sem.release();
            assertTrue(waiter.get(30, TimeUnit.SECONDS));
            assertEquals(0, sem.availablePermits());
            sem.release(2);
            assertEquals(2, sem.availablePermits());
            assertThrows(IllegalArgumentException.class, () -> sem.release(0));
            assertThrows(IllegalArgumentException.class, () -> IpcSemaphore.create(TestNames.unique("neg"), -1));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldLetEveryWaiterThroughAManualResetEvent() throws Exception {
        String name = TestNames.unique("event-manual");
        try (IpcEvent event = IpcEvent.create(name, IpcEvent.Type.MANUAL_RESET)) {
            assertFalse(event.await(Duration.ofMillis(20)));
            AtomicInteger through = new AtomicInteger();
            CompletableFuture<?>[] waiters = new CompletableFuture<?>[3];
            for (int i = 0; i < waiters.length; i++) {
                waiters[i] = CompletableFuture.runAsync(() -> {
                    try {
                        if (event.await(Duration.ofSeconds(30))) {
                            through.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            event.set();
            CompletableFuture.allOf(waiters).get(30, TimeUnit.SECONDS);
            assertEquals(3, through.get());
            assertTrue(event.isSet());
            assertTrue(event.tryAwait());
            event.reset();
            assertFalse(event.tryAwait());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldLetOneAwaitThroughPerSetOfAnAutoResetEvent() throws Exception {
        String name = TestNames.unique("event-auto");
        try (IpcEvent event = IpcEvent.create(name, IpcEvent.Type.AUTO_RESET)) {
            try (IpcEvent opened = IpcEvent.open(name)) {
                assertEquals(IpcEvent.Type.AUTO_RESET, opened.type());
            }
            event.set();
            event.set(); // a second set before any await is the same single set
            assertTrue(event.await(Duration.ofSeconds(1)));
            assertFalse(event.isSet(), "the await reset it");
            assertFalse(event.await(Duration.ofMillis(20)));
            AtomicInteger through = new AtomicInteger();
            CompletableFuture<?>[] waiters = new CompletableFuture<?>[2];
            for (int i = 0; i < waiters.length; i++) {
                waiters[i] = CompletableFuture.runAsync(() -> {
                    try {
                        if (event.await(Duration.ofMillis(500))) {
                            through.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            event.set();
            CompletableFuture.allOf(waiters).get(30, TimeUnit.SECONDS);
            assertEquals(1, through.get(), "one set lets exactly one waiter through");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldOpenTheLatchAtZeroAndStayOpen() throws Exception {
        String name = TestNames.unique("latch");
        try (IpcLatch latch = IpcLatch.create(name, 2)) {
            assertEquals(2, latch.initialCount());
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return latch.await(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            latch.countDown();
            assertFalse(latch.await(Duration.ofMillis(20)));
            latch.countDown();
            assertTrue(waiter.get(30, TimeUnit.SECONDS));
            latch.countDown(); // at zero: nothing
            assertEquals(0, latch.count());
            assertTrue(latch.await(Duration.ZERO));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }
}
