package org.panamaipc.sync;

import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Namespace;
import org.panamaipc.internal.Sleepers;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

import static org.panamaipc.sync.SemaphoreDescriptor.*;

/**
 * A counting semaphore shared by threads of any number of processes.
 *
 * {@snippet lang=java :
 * try (IpcSemaphore slots = IpcSemaphore.openOrCreate("/gpu.slots", 2)) {
 *     if (slots.tryAcquire(Duration.ofSeconds(5))) {
 *         try {
 *             useTheGpu();
 *         } finally {
 *             slots.release();
 *         }
 *     }
 * }
 * }
 *
 * <p>Taking a permit comes in the three forms of every wait: {@link #tryAcquire()} returns at
 * once, {@link #acquire()} waits as long as it takes, {@link #tryAcquire(Duration)} waits at most
 * that long. A semaphore lives in a segment of its own ({@link #create}, {@link #open},
 * {@link #openOrCreate}; removed with {@link #unlink(String)}) or in a region of the caller's
 * shared memory ({@link #initialize}, {@link #wrap}).
 *
 * <p>Permits are not owned: any thread of any process may release. A release when nobody waits
 * makes no system call. Permits held by a process that dies are not given back (as with a POSIX
 * semaphore); use an {@link IpcMutex} where a dead holder must be recovered from.
 */
public final class IpcSemaphore extends SharedPrimitive {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Futex permits;

    private static final String WHAT = "semaphore";

    private IpcSemaphore(IpcSegment segment, MemorySegment region, boolean created) {
        super(WHAT, segment, region, created);
        this.permits = Futex.of(region, PERMITS_OFFSET);
    }

    /**
     * Creates a semaphore with {@code permits} permits in a new segment {@code name}, with mode
     * {@code 0600}.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static IpcSemaphore create(String name, int permits) {
        return create(name, permits, Lifecycle.DEFAULT_MODE);
    }

    /**
     * Creates a semaphore as {@link #create(String, int)} does, with permission bits {@code mode}
     * (such as {@code 0660}), applied exactly whatever the umask.
     *
     * @throws IllegalArgumentException if {@code permits} is negative, or {@code mode} has bits
     *         outside {@code 0777} or does not give the owner read and write ({@code 0600})
     */
    public static IpcSemaphore create(String name, int permits, int mode) {
        Objects.requireNonNull(name, "name");
        checkPermits(permits);
        IpcSegment segment = createSegment(name, SegmentKind.SEMAPHORE, SIZE, mode, WHAT,
                body -> initialize0(body, permits));
        return new IpcSemaphore(segment, segment.body(), true);
    }

    /**
     * Opens the semaphore segment {@code name}.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     * @throws org.panamaipc.shm.InvalidSegmentException if it is not a valid semaphore segment
     */
    public static IpcSemaphore open(String name) {
        IpcSegment segment = openSegment(name, SegmentKind.SEMAPHORE, SIZE);
        return new IpcSemaphore(segment, regionOf(segment, SIZE), false);
    }

    /**
     * Opens {@code name}, or creates it with {@code permits} permits (mode {@code 0600}) if it does
     * not exist; {@link #created()} says which. An existing semaphore keeps its permits.
     */
    public static IpcSemaphore openOrCreate(String name, int permits) {
        return openOrCreate(name, permits, Lifecycle.DEFAULT_MODE);
    }

    /** As {@link #openOrCreate(String, int)}, creating with permission bits {@code mode} (see {@link #create(String, int, int)}). */
    public static IpcSemaphore openOrCreate(String name, int permits, int mode) {
        Objects.requireNonNull(name, "name");
        checkPermits(permits);
        IpcSegment segment = openOrCreateSegment(name, SegmentKind.SEMAPHORE, SIZE, mode, WHAT,
                body -> initialize0(body, permits));
        return new IpcSemaphore(segment, regionOf(segment, SIZE), segment.created());
    }

    /**
     * Removes the name {@code name}; processes that have the semaphore open keep it until they close.
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

    /** Sets up a semaphore with {@code permits} permits in {@code region}, and {@return it} */
    public static IpcSemaphore initialize(MemorySegment region, int permits) {
        checkPermits(permits);
        MemorySegment checked = Regions.check(region, SIZE, WHAT);
        initialize0(checked, permits);
        return new IpcSemaphore(null, checked, true);
    }

    /** {@return the semaphore that {@link #initialize} set up in {@code region}} */
    public static IpcSemaphore wrap(MemorySegment region) {
        return new IpcSemaphore(null, Regions.check(region, SIZE, WHAT), false);
    }

    private static void initialize0(MemorySegment region, int permits) {
        region.set(ValueLayout.JAVA_INT, MAX_PERMITS_OFFSET, permits);
        region.set(ValueLayout.JAVA_INT, WAITERS_OFFSET, 0);
        INT.setRelease(region, (long) PERMITS_OFFSET, permits);
    }

    private static void checkPermits(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits=" + permits + " must not be negative");
        }
    }

    /** Takes a permit if one is available now. {@return whether it took one} */
    public boolean tryAcquire() {
        ensureOpen();
        int available;
        while ((available = permits.value()) > 0) {
            if (permits.compareAndSet(available, available - 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the semaphore is closed, also by another thread while this one waits
     */
    public void acquire() throws InterruptedException {
        acquireNanos(Timeouts.FOREVER);
    }

    /**
     * Takes a permit, waiting at most {@code timeout}. {@return whether it took one}
     * Zero or negative does not wait (as {@link #tryAcquire()}); a duration too long to count in
     * nanoseconds (such as {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits as long as it takes.
     *
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the semaphore is closed, also by another thread while this one waits
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return acquireNanos(Timeouts.toNanos(timeout));
    }

    private boolean acquireNanos(long timeoutNanos) throws InterruptedException {
        if (tryAcquire()) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        Sleepers.Sleeper waiting = enterWait(permits);
        try {
            return awaitCounted(deadline, waiting);
        } finally {
            Sleepers.exit(waiting);
        }
    }

    /** Waits counted among the waiters, so that a release or set knows to wake. */
    private boolean awaitCounted(long deadline, Sleepers.Sleeper waiting) throws InterruptedException {
        INT.getAndAdd(region, (long) WAITERS_OFFSET, 1);
        try {
            while (true) {
                checkWaiting(waiting);
                if (tryAcquire()) {
                    return true;
                }
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0) {
                    return false;
                }
                permits.waitNanos(0, remaining);
            }
        } finally {
            INT.getAndAdd(region, (long) WAITERS_OFFSET, -1);
        }
    }

    /** Gives one permit back, waking one waiter if any. */
    public void release() {
        release(1);
    }

    /** Gives {@code count} permits back, waking up to {@code count} waiters. */
    public void release(int count) {
        ensureOpen();
        if (count <= 0) {
            throw new IllegalArgumentException("count=" + count + " must be positive");
        }
        int before = permits.getAndAdd(count);
        if (before > Integer.MAX_VALUE - count) {
            permits.getAndAdd(-count);
            throw new IllegalStateException("releasing count=" + count + " overflows permits=" + before);
        }
        if ((int) INT.getVolatile(region, (long) WAITERS_OFFSET) > 0) {
            permits.wake(count);
        }
    }

    /** {@return the number of permits available now} */
    public int availablePermits() {
        ensureOpen();
        return permits.value();
    }

    /** {@return the number of permits the semaphore was created with} */
    public int initialPermits() {
        ensureOpen();
        return region.get(ValueLayout.JAVA_INT, MAX_PERMITS_OFFSET);
    }

    @Override
    public String toString() {
        if (!isOpen()) {
            return "IpcSemaphore[" + describe() + ", closed]";
        }
        return "IpcSemaphore[" + describe() + ", permits=" + availablePermits() + "]";
    }
}
