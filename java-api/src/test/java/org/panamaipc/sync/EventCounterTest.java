package org.panamaipc.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.LimitReachedException;
import org.panamaipc.testkit.KernelSleep;
import org.panamaipc.testkit.OpenDescriptors;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event counter in one process: both types, the three forms of take, the counter's limit, and
 * the ways a waiting take ends. Across processes (another JVM, Python) it is tested in
 * {@code DescriptorAcrossProcessesTest}.
 */
@Timeout(60)
class EventCounterTest {

    @Test
    void shouldTakeTheWholeCountOrOneByType() throws Exception {
        try (EventCounter counter = EventCounter.create();
             EventCounter semaphore = EventCounter.create(EventCounter.Type.SEMAPHORE)) {
            assertEquals(EventCounter.Type.COUNTER, counter.type());
            assertEquals(0, counter.tryTake());
            counter.signal();
            counter.add(5);
            assertEquals(6, counter.tryTake());
            assertEquals(0, counter.tryTake());

            semaphore.add(3);
            assertEquals(1, semaphore.take());
            assertEquals(1, semaphore.take(Duration.ofSeconds(1)));
            assertEquals(1, semaphore.tryTake());
            assertEquals(0, semaphore.tryTake());
        }
    }

    @Test
    void shouldTimeOutWithZeroAndTreatZeroOrNegativeTimeoutsAsTry() throws Exception {
        try (EventCounter counter = EventCounter.create()) {
            long start = System.nanoTime();
            assertEquals(0, counter.take(Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "waited the timeout");
            assertEquals(0, counter.take(Duration.ZERO));
            assertEquals(0, counter.take(Duration.ofSeconds(-1)));
            counter.add(2);
            assertEquals(2, counter.take(Duration.ofSeconds(Long.MAX_VALUE)), "a huge timeout waits, and takes at once");
            assertThrows(NullPointerException.class, () -> counter.take(null));
            assertThrows(NullPointerException.class, () -> EventCounter.create(null));
        }
    }

    @Test
    void shouldRefuseAnAddPastTheKernelsMaximumAndKeepTheCount() throws Exception {
        try (EventCounter counter = EventCounter.create()) {
            counter.add(Long.MAX_VALUE);
            counter.add(Long.MAX_VALUE); // 2^64 - 2: the largest count the kernel keeps
            LimitReachedException e = assertThrows(LimitReachedException.class, counter::signal);
            assertTrue(e.getMessage().contains("18446744073709551614"), e.getMessage());
            assertEquals("18446744073709551614", Long.toUnsignedString(counter.tryTake()));
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> counter.add(0));
            assertTrue(zero.getMessage().contains("at least 1"), zero.getMessage());
            assertThrows(IllegalArgumentException.class, () -> counter.add(-1));
        }
    }

    @Test
    void shouldWakeAWaitingTakeOnSignalInterruptAndClose() throws Exception {
        try (EventCounter counter = EventCounter.create()) {
            CompletableFuture<Object> signalled = waitIn(counter, "ec-signal");
            counter.add(3);
            assertEquals(3L, signalled.get(10, TimeUnit.SECONDS));

            Thread[] thread = new Thread[1];
            CompletableFuture<Object> interrupted = waitIn(counter, "ec-interrupt", thread);
            thread[0].interrupt();
            assertInstanceOf(InterruptedException.class, interrupted.get(10, TimeUnit.SECONDS));
            assertEquals(0, counter.tryTake(), "the counter is untouched");
        }
        EventCounter closing = EventCounter.create();
        CompletableFuture<Object> closed = waitIn(closing, "ec-close");
        closing.close();
        Object thrown = closed.get(10, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, thrown);
        assertTrue(((Exception) thrown).getMessage().contains("closed while waiting"), ((Exception) thrown).getMessage());
        assertThrows(IllegalStateException.class, closing::tryTake);
        assertThrows(IllegalStateException.class, closing::signal);
        assertTrue(closing.isClosed());
        closing.close(); // again: nothing
    }

    @Test
    void shouldCloseItsDescriptors() {
        List<String> before = OpenDescriptors.list();
        for (int i = 0; i < 1000; i++) {
            try (EventCounter counter = EventCounter.create(i % 2 == 0 ? EventCounter.Type.COUNTER : EventCounter.Type.SEMAPHORE)) {
                counter.signal();
                assertEquals(1, counter.tryTake());
            }
        }
        List<String> after = OpenDescriptors.list();
        assertEquals(List.of(), after.stream().filter(fd -> !before.contains(fd)).toList(), "descriptors left open");
    }

    private static CompletableFuture<Object> waitIn(EventCounter counter, String name) throws InterruptedException {
        return waitIn(counter, name, new Thread[1]);
    }

    /** Starts a thread that takes from {@code counter} without a deadline, and returns once it sleeps in poll. */
    private static CompletableFuture<Object> waitIn(EventCounter counter, String name, Thread[] thread)
            throws InterruptedException {
        CompletableFuture<Object> result = new CompletableFuture<>();
        thread[0] = Thread.ofPlatform().name(name).start(() -> {
            try {
                result.complete(counter.take());
            } catch (Throwable t) {
                result.complete(t);
            }
        });
        KernelSleep.await(thread[0], KernelSleep.POLL);
        return result;
    }
}
