package org.panamaipc.sync;

import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Namespace;
import org.panamaipc.internal.Sleepers;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;

import static org.panamaipc.sync.LatchDescriptor.*;

/**
 * A count-down latch across processes: {@link #await} returns once {@link #countDown()} has been
 * called as many times as the initial count, by any threads of any processes. It does not reset.
 * Waiting comes in the three forms of every wait: {@link #tryAwait()} returns at once,
 * {@link #await()} waits as long as it takes, {@link #await(Duration)} waits at most that long.
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
 *
 * <p>A latch lives in a segment of its own ({@link #create}, {@link #open}, {@link #openOrCreate};
 * removed with {@link #unlink(String)}) or in a region of the caller's shared memory
 * ({@link #initialize}, {@link #wrap}).
 */
public final class IpcLatch extends SharedPrimitive {

    private final Futex count;

    private static final String WHAT = "latch";

    private IpcLatch(IpcSegment segment, MemorySegment region, boolean created) {
        super(WHAT, segment, region, created);
        this.count = Futex.of(region, COUNT_OFFSET);
    }

    /**
     * Creates a latch counting down from {@code count} in a new segment {@code name}, with mode
     * {@code 0600}.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public static IpcLatch create(String name, int count) {
        return create(name, count, Lifecycle.DEFAULT_MODE);
    }

    /**
     * Creates a latch as {@link #create(String, int)} does, with permission bits {@code mode}
     * (such as {@code 0660}), applied exactly whatever the umask.
     *
     * @throws IllegalArgumentException if {@code count} is negative, or {@code mode} has bits
     *         outside {@code 0777} or does not give the owner read and write ({@code 0600})
     */
    public static IpcLatch create(String name, int count, int mode) {
        Objects.requireNonNull(name, "name");
        checkCount(count);
        IpcSegment segment = createSegment(name, SegmentKind.LATCH, SIZE, mode, WHAT, body -> initialize0(body, count));
        return new IpcLatch(segment, segment.body(), true);
    }

    /**
     * Opens the latch segment {@code name}.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     * @throws org.panamaipc.shm.InvalidSegmentException if it is not a valid latch segment
     */
    public static IpcLatch open(String name) {
        IpcSegment segment = openSegment(name, SegmentKind.LATCH, SIZE);
        return new IpcLatch(segment, regionOf(segment, SIZE), false);
    }

    /**
     * Opens {@code name}, or creates it counting down from {@code count} (mode {@code 0600}) if it
     * does not exist; {@link #created()} says which. An existing latch keeps its count.
     */
    public static IpcLatch openOrCreate(String name, int count) {
        return openOrCreate(name, count, Lifecycle.DEFAULT_MODE);
    }

    /** As {@link #openOrCreate(String, int)}, creating with permission bits {@code mode} (see {@link #create(String, int, int)}). */
    public static IpcLatch openOrCreate(String name, int count, int mode) {
        Objects.requireNonNull(name, "name");
        checkCount(count);
        IpcSegment segment = openOrCreateSegment(name, SegmentKind.LATCH, SIZE, mode, WHAT,
                body -> initialize0(body, count));
        return new IpcLatch(segment, regionOf(segment, SIZE), segment.created());
    }

    /**
     * Removes the name {@code name}; processes that have the latch open keep it until they close.
     *
     * @throws org.panamaipc.NotFoundException if no object of that name exists
     */
    public static void unlink(String name) {
        Namespace.SHARED_MEMORY.unlink(name, WHAT);
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return Namespace.SHARED_MEMORY.unlinkIfExists(name, WHAT);
    }

    /** {@return whether a shared-memory object named {@code name} exists now} Whatever it holds. */
    public static boolean exists(String name) {
        return Namespace.SHARED_MEMORY.exists(name, WHAT);
    }

    /** Sets up a latch counting down from {@code count} in {@code region}, and {@return it} */
    public static IpcLatch initialize(MemorySegment region, int count) {
        checkCount(count);
        MemorySegment checked = Regions.check(region, SIZE, WHAT);
        initialize0(checked, count);
        return new IpcLatch(null, checked, true);
    }

    /** {@return the latch that {@link #initialize} set up in {@code region}} */
    public static IpcLatch wrap(MemorySegment region) {
        return new IpcLatch(null, Regions.check(region, SIZE, WHAT), false);
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

    /** {@return whether the count is zero now} Never waits. */
    public boolean tryAwait() {
        ensureOpen();
        return count.value() == 0;
    }

    /**
     * Waits until the count is zero.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the latch is closed, also by another thread while this one waits
     */
    public void await() throws InterruptedException {
        awaitNanos(Timeouts.FOREVER);
    }

    /**
     * Waits at most {@code timeout} until the count is zero. {@return whether it reached zero}
     * Zero or negative does not wait (as {@link #tryAwait()}); a duration too long to count in
     * nanoseconds (such as {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits as long as it takes.
     *
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the latch is closed, also by another thread while this one waits
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos(Timeouts.toNanos(timeout));
    }

    private boolean awaitNanos(long timeoutNanos) throws InterruptedException {
        if (tryAwait()) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        Sleepers.Sleeper waiting = enterWait(count);
        try {
            while (true) {
                checkWaiting(waiting);
                int current = count.value();
                if (current == 0) {
                    return true;
                }
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0) {
                    return false;
                }
                count.waitNanos(current, remaining);
            }
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
