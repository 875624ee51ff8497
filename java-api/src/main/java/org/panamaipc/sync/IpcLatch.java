package org.panamaipc.sync;

import org.panamaipc.internal.Sleepers;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import static org.panamaipc.sync.LatchDescriptor.*;

/**
 * A count-down latch across processes: {@link #await} returns once {@link #countDown()} has been
 * called as many times as the initial count, by any threads of any processes. It does not reset.
 *
 * {@snippet lang=java :
 * // the coordinator: wait for 3 workers to be ready
 * try (IpcLatch ready = IpcLatch.create("/job.ready", 3)) {
 *     startWorkers();
 *     if (!ready.await(Duration.ofSeconds(10))) {
 *         throw new IllegalStateException(ready.count() + " workers never reported");
 *     }
 * }
 * // each worker
 * try (IpcLatch ready = IpcLatch.open("/job.ready")) {
 *     ready.countDown();
 * }
 * }
 */
public final class IpcLatch extends SharedPrimitive {

    private final Futex count;

    private IpcLatch(IpcSegment segment, MemorySegment region) {
        super("latch", segment, region);
        this.count = Futex.of(region, COUNT_OFFSET);
    }

    /** Creates a latch counting down from {@code count} in a new segment {@code name} (mode {@code 0600}). */
    public static IpcLatch create(String name, int count) {
        checkCount(count);
        IpcSegment segment = IpcSegment.create(name, SegmentKind.LATCH, SIZE, SharedMemory.DEFAULT_MODE,
                body -> initialize0(body, count));
        return new IpcLatch(segment, segment.body());
    }

    /** Opens the latch segment {@code name}. */
    public static IpcLatch open(String name) {
        IpcSegment segment = IpcSegment.open(name, SegmentKind.LATCH, SIZE);
        return new IpcLatch(segment, regionOf(segment, SIZE));
    }

    /** Sets up a latch counting down from {@code count} in {@code region}, and {@return it} */
    public static IpcLatch initialize(MemorySegment region, int count) {
        checkCount(count);
        MemorySegment checked = Regions.check(region, SIZE, "latch");
        initialize0(checked, count);
        return new IpcLatch(null, checked);
    }

    /** {@return the latch that {@link #initialize} set up in {@code region}} */
    public static IpcLatch wrap(MemorySegment region) {
        return new IpcLatch(null, Regions.check(region, SIZE, "latch"));
    }

    private static void initialize0(MemorySegment region, int initial) {
        region.set(ValueLayout.JAVA_INT, INITIAL_COUNT_OFFSET, initial);
        Futex.of(region, COUNT_OFFSET).setRelease(initial);
    }

    private static void checkCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count=" + count + " must not be negative");
        }
    }

    /** Counts down by one, waking every waiter when the count reaches zero; at zero, does nothing. */
    public void countDown() {
        ensureOpen();
        int current;
        do {
            current = count.value();
            if (current == 0) {
                return;
            }
        } while (!count.compareAndSet(current, current - 1));
        if (current == 1) {
            count.wakeAll();
        }
    }

    /** {@return the count now} */
    public int count() {
        ensureOpen();
        return count.value();
    }

    /** {@return the count the latch started from} */
    public int initialCount() {
        ensureOpen();
        return region.get(ValueLayout.JAVA_INT, INITIAL_COUNT_OFFSET);
    }

    /**
     * Waits until the count is zero.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public void await() throws InterruptedException {
        awaitNanos(Timeouts.FOREVER);
    }

    /**
     * Waits at most {@code timeout} until the count is zero. {@return whether it reached zero}
     * Zero or negative does not wait; a duration too long to count in nanoseconds (such as
     * {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits as long as it takes.
     *
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos(Timeouts.toNanos(timeout));
    }

    private boolean awaitNanos(long timeoutNanos) throws InterruptedException {
        ensureOpen();
        if (count.value() == 0) {
            return true;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        Sleepers.Sleeper waiting = enterWait(count);
        try {
            int current;
            while ((current = count.value()) != 0) {
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0) {
                    return false;
                }
                count.waitNanos(current, remaining);
                waiting.ensureOpen();
            }
            return true;
        } finally {
            Sleepers.exit(waiting);
        }
    }

    @Override
    public String toString() {
        if (!isOpen()) {
            return "IpcLatch[" + describe() + ", closed]";
        }
        return "IpcLatch[" + describe() + ", count=" + count() + "]";
    }
}
