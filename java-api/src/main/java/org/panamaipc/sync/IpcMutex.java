package org.panamaipc.sync;

import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Namespace;
import org.panamaipc.internal.Sleepers;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;

import static org.panamaipc.sync.MutexDescriptor.*;

/**
 * A mutual-exclusion lock shared by threads of any number of processes, that survives the death
 * of its owner: if the process holding it dies, the next thread to lock it takes it over and is
 * told so by {@link #ownerDied()}, so that it can repair the state the lock protects.
 *
 * {@snippet lang=java :
 * try (IpcMutex mutex = IpcMutex.openOrCreate("/orders.lock")) {
 *     if (!mutex.tryLock(Duration.ofSeconds(1))) {
 *         throw new IllegalStateException("orders are locked by " + mutex.owner());
 *     }
 *     try {
 *         if (mutex.ownerDied()) {
 *             repairOrders();      // the last owner died half-way
 *         }
 *         updateOrders();
 *     } finally {
 *         mutex.unlock();
 *     }
 * }
 * }
 *
 * <p>The lock is owned by a thread: only the thread that locked it may unlock it, and it is not
 * reentrant (locking it again from the owning thread waits, like a plain futex mutex). An
 * uncontended {@code lock}/{@code unlock} pair is two atomic instructions and a few stores, with no
 * system call; a contended one spins briefly, then sleeps on the futex word, and the unlocker wakes
 * one sleeper only when one has flagged itself.
 *
 * <p><b>Dead owners.</b> A waiter that has seen the same owner for
 * {@link #LIVENESS_CHECK_INTERVAL} checks that owner's liveness ({@link ProcessId}, safe against
 * pid reuse), so a lock held by a killed process is taken over within about that interval.
 * Limits: a Java thread that ends while holding the lock inside a live process is not detected
 * (as with {@link java.util.concurrent.locks.ReentrantLock}); all users must share one pid
 * namespace.
 *
 * <p>Locking comes in the three forms of every wait: {@link #tryLock()} returns at once,
 * {@link #lock()} waits as long as it takes, {@link #tryLock(Duration)} waits at most that long.
 *
 * <p>A mutex lives either in a segment of its own ({@link #create}, {@link #open},
 * {@link #openOrCreate}; removed with {@link #unlink(String)}) or in a {@link MutexDescriptor#SIZE}-byte
 * region of the caller's shared memory ({@link #wrap}); a zero-filled region is a free mutex.
 */
public final class IpcMutex extends SharedPrimitive {

    /** How long a waiter watches one owner before it checks whether that owner is still alive. */
    public static final Duration LIVENESS_CHECK_INTERVAL = Duration.ofMillis(10);

    private static final long CHECK_NANOS = LIVENESS_CHECK_INTERVAL.toNanos();
    private static final int SPINS = 100;
    private static final int RECORD_READ_ATTEMPTS = 4;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Futex word;
    private final int myPid;
    private final long myStart;
    private long lastTryLockCheck;

    private static final String WHAT = "mutex";

    private IpcMutex(IpcSegment segment, MemorySegment region, boolean created) {
        super(WHAT, segment, region, created);
        this.word = Futex.of(region, WORD_OFFSET);
        ProcessId me = ProcessId.current();
        this.myPid = me.pid();
        this.myStart = me.startTime();
        if ((myPid & ~OWNER_MASK) != 0) {
            throw new IllegalStateException("pid=" + myPid + " does not fit the mutex word's 30 owner bits");
        }
    }

    /**
     * Creates a free mutex in a new segment {@code name}, with mode {@code 0600}.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     */
    public static IpcMutex create(String name) {
        return create(name, Lifecycle.DEFAULT_MODE);
    }

    /**
     * Creates a free mutex as {@link #create(String)} does, with permission bits {@code mode}
     * (such as {@code 0660}), applied exactly whatever the umask.
     *
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}, or does not
     *         give the owner read and write ({@code 0600})
     */
    public static IpcMutex create(String name, int mode) {
        IpcSegment segment = createSegment(name, SegmentKind.MUTEX, SIZE, mode, WHAT, body -> { });
        return new IpcMutex(segment, segment.body(), true);
    }

    /**
     * Opens the mutex segment {@code name}.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     * @throws org.panamaipc.shm.InvalidSegmentException if it is not a valid mutex segment
     */
    public static IpcMutex open(String name) {
        IpcSegment segment = openSegment(name, SegmentKind.MUTEX, SIZE);
        return new IpcMutex(segment, regionOf(segment, SIZE), false);
    }

    /** Opens the mutex segment {@code name}, or creates it (mode {@code 0600}) if it does not exist; {@link #created()} says which. */
    public static IpcMutex openOrCreate(String name) {
        return openOrCreate(name, Lifecycle.DEFAULT_MODE);
    }

    /** As {@link #openOrCreate(String)}, creating with permission bits {@code mode} (see {@link #create(String, int)}). */
    public static IpcMutex openOrCreate(String name, int mode) {
        IpcSegment segment = openOrCreateSegment(name, SegmentKind.MUTEX, SIZE, mode, WHAT, body -> { });
        return new IpcMutex(segment, regionOf(segment, SIZE), segment.created());
    }

    /**
     * Removes the name {@code name}; processes that have the mutex open keep it until they close.
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

    /**
     * {@return a mutex over the first {@link MutexDescriptor#SIZE} bytes of {@code region}} The
     * region must be shared memory that every user maps, 8-byte aligned; zero-filled means free.
     */
    public static IpcMutex wrap(MemorySegment region) {
        return new IpcMutex(null, Regions.check(region, SIZE, WHAT), false);
    }

    /**
     * Locks the mutex if it is free now, or if its owner has died (then {@link #ownerDied()} is
     * true); never waits. {@return whether this thread now holds it}
     */
    public boolean tryLock() {
        ensureOpen();
        int seen = 0;
        for (int attempt = 0; attempt < 2 && seen == 0; attempt++) {
            if (word.compareAndSet(0, myPid)) {
                acquired(false);
                return true;
            }
            seen = word.value();
        }
        if (seen == 0) {
            return false; // freed and taken again between our reads: busy, as far as a try goes
        }
        // liveness costs a /proc read; a caller polling tryLock pays it at most once per interval
        long now = System.nanoTime();
        if (now - lastTryLockCheck >= CHECK_NANOS || lastTryLockCheck == 0) {
            lastTryLockCheck = now;
            return ownerDead(seen & OWNER_MASK) && takeOver(seen);
        }
        return false;
    }

    /**
     * Locks the mutex, waiting as long as it takes.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the mutex is closed, also by another thread while this one waits
     */
    public void lock() throws InterruptedException {
        lockNanos(Timeouts.FOREVER);
    }

    /**
     * Locks the mutex, waiting at most {@code timeout}. {@return whether this thread now holds it}
     * Zero or negative does not wait (as {@link #tryLock()}); a duration too long to count in
     * nanoseconds (such as {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits as long as it takes.
     *
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the mutex is closed, also by another thread while this one waits
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return lockNanos(Timeouts.toNanos(timeout));
    }

    private boolean lockNanos(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos <= 0) {
            return tryLock();
        }
        ensureOpen();
        if (word.compareAndSet(0, myPid)) {
            acquired(false);
            return true;
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (word.value() == 0 && word.compareAndSet(0, myPid)) {
                acquired(false);
                return true;
            }
        }
        Sleepers.Sleeper waiting = enterWait(word);
        try {
            return lockSlowly(Timeouts.deadline(timeoutNanos), waiting);
        } finally {
            Sleepers.exit(waiting);
        }
    }

    private boolean lockSlowly(long deadline, Sleepers.Sleeper waiting) throws InterruptedException {
        int watchedOwner = 0;
        long watchedSince = 0;
        while (true) {
            checkWaiting(waiting);
            int seen = word.value();
            if (seen == 0) {
                // others may sleep behind us: keep the flag so our unlock wakes one
                if (word.compareAndSet(0, myPid | WAITERS)) {
                    acquired(false);
                    return true;
                }
                continue;
            }
            int owner = seen & OWNER_MASK;
            long now = System.nanoTime();
            if (owner != watchedOwner) {
                watchedOwner = owner;
                watchedSince = now;
            } else if (now - watchedSince >= CHECK_NANOS) {
                watchedSince = now;
                if (ownerDead(owner)) {
                    if (takeOver(seen)) {
                        return true;
                    }
                    continue;
                }
            }
            if ((seen & WAITERS) == 0 && !word.compareAndSet(seen, seen | WAITERS)) {
                continue;
            }
            long remaining = Timeouts.remaining(deadline);
            if (remaining <= 0) {
                return false;
            }
            word.waitNanos(seen | WAITERS, Math.min(remaining, CHECK_NANOS));
        }
    }

    private boolean ownerDead(int owner) {
        if (owner == myPid) {
            return false; // another thread of this process: alive, since we are
        }
        return !ProcessId.isAlive(owner, recordedStartTime(region, owner));
    }

    /**
     * {@return the start time the owner record holds for {@code owner}, or 0 (check the pid alone)
     * if the record is not {@code owner}'s} The record may still be the previous owner's in the
     * instant after the word changed hands, or be half-written by the new one: the sequence number
     * around it (a seqlock) makes sure the pid and the start time read belong to one holder, never
     * one holder's pid with the next one's start time, which would make a live holder look dead.
     */
    static long recordedStartTime(MemorySegment region, int owner) {
        for (int attempt = 0; attempt < RECORD_READ_ATTEMPTS; attempt++) {
            int before = (int) INT.getAcquire(region, (long) OWNER_SEQUENCE_OFFSET);
            int recordedPid = (int) INT.getAcquire(region, (long) OWNER_PID_OFFSET);
            long recordedStart = (long) LONG.getAcquire(region, (long) OWNER_START_TIME_OFFSET);
            VarHandle.loadLoadFence();
            int after = (int) INT.getAcquire(region, (long) OWNER_SEQUENCE_OFFSET);
            if ((before & 1) == 0 && before == after) {
                return recordedPid == owner ? recordedStart : 0;
            }
            Thread.onSpinWait();
        }
        return 0; // being written now, or its writer died half-way: the pid alone is what we know
    }

    /**
     * Writes the owner record: who holds the mutex. Only the holder writes it, after winning the
     * word; the sequence number is odd while it writes (see {@link #recordedStartTime}).
     */
    static void recordOwner(MemorySegment region, int pid, long startTime) {
        int writing = ((int) INT.get(region, (long) OWNER_SEQUENCE_OFFSET) + 1) | 1;
        INT.setOpaque(region, (long) OWNER_SEQUENCE_OFFSET, writing);
        VarHandle.storeStoreFence();
        LONG.setOpaque(region, (long) OWNER_START_TIME_OFFSET, startTime);
        INT.setOpaque(region, (long) OWNER_PID_OFFSET, pid);
        INT.setRelease(region, (long) OWNER_SEQUENCE_OFFSET, writing + 1);
    }

    private boolean takeOver(int seen) {
        if (!word.compareAndSet(seen, myPid | (seen & WAITERS))) {
            return false;
        }
        LONG.getAndAdd(region, (long) TAKEOVERS_OFFSET, 1L);
        acquired(true);
        return true;
    }

    private void acquired(boolean ownerDied) {
        region.set(ValueLayout.JAVA_INT, OWNER_DIED_OFFSET, ownerDied ? 1 : 0);
        region.set(ValueLayout.JAVA_LONG, OWNER_THREAD_OFFSET, Thread.currentThread().threadId());
        recordOwner(region, myPid, myStart);
        region.set(ValueLayout.JAVA_LONG, ACQUISITIONS_OFFSET, region.get(ValueLayout.JAVA_LONG, ACQUISITIONS_OFFSET) + 1);
    }

    /**
     * Unlocks the mutex, waking one waiter if any sleeps.
     *
     * @throws IllegalStateException if the current thread does not hold the mutex
     */
    public void unlock() {
        ensureOpen();
        int seen = word.value();
        long thread = region.get(ValueLayout.JAVA_LONG, OWNER_THREAD_OFFSET);
        if ((seen & OWNER_MASK) != myPid || thread != Thread.currentThread().threadId()) {
            throw new IllegalStateException("mutex " + describe() + " is not held by this thread (pid " + myPid
                    + ", thread " + Thread.currentThread().threadId() + "); " + ownerText(seen, thread));
        }
        region.set(ValueLayout.JAVA_INT, OWNER_DIED_OFFSET, 0);
        region.set(ValueLayout.JAVA_LONG, OWNER_THREAD_OFFSET, 0L);
        INT.setRelease(region, (long) OWNER_PID_OFFSET, 0);
        if ((word.getAndSet(0) & WAITERS) != 0) {
            word.wake(1);
        }
    }

    /**
     * {@return whether the current holding was taken over from an owner that died holding the
     * mutex} Meaningful to the holder, until it unlocks.
     */
    public boolean ownerDied() {
        ensureOpen();
        return region.get(ValueLayout.JAVA_INT, OWNER_DIED_OFFSET) != 0;
    }

    /** {@return whether the current thread holds the mutex} */
    public boolean isHeldByCurrentThread() {
        ensureOpen();
        return (word.value() & OWNER_MASK) == myPid
                && region.get(ValueLayout.JAVA_LONG, OWNER_THREAD_OFFSET) == Thread.currentThread().threadId();
    }

    /** {@return the pid of the process holding the mutex, or 0 if it is free} */
    public int owner() {
        ensureOpen();
        return word.value() & OWNER_MASK;
    }

    /** {@return how many times the mutex was locked, by all processes} */
    public long acquisitions() {
        ensureOpen();
        return (long) LONG.getAcquire(region, (long) ACQUISITIONS_OFFSET);
    }

    /** {@return how many times the mutex was taken over from a dead owner} */
    public long takeovers() {
        ensureOpen();
        return (long) LONG.getAcquire(region, (long) TAKEOVERS_OFFSET);
    }

    private static String ownerText(int seen, long thread) {
        int owner = seen & OWNER_MASK;
        return owner == 0 ? "it is free" : "it is held by pid " + owner + ", thread " + thread;
    }

    @Override
    public String toString() {
        if (!isOpen()) {
            return "IpcMutex[" + describe() + ", closed]";
        }
        return "IpcMutex[" + describe() + ", " + ownerText(word.value(), region.get(ValueLayout.JAVA_LONG,
                OWNER_THREAD_OFFSET)) + "]";
    }
}
