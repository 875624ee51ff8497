package org.panamaipc.sync;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.futex_h;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.MonotonicClock;
import org.panamaipc.internal.Sleepers;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A futex: a 32-bit word in shared memory that threads of any process mapping it can sleep on
 * until another changes it and wakes them. It is the kernel half of every blocking wait in
 * panama-ipc; the other half is the protocol on the word, which callers own.
 *
 * <p>The pattern is always the same: read the word, decide to sleep, sleep only if the word still
 * holds what was read, and re-check after waking, since a wake-up may be spurious or meant for
 * another waiter:
 * {@snippet lang=java :
 * Futex ready = Futex.of(shm.segment(), READY_OFFSET);
 * // waiter
 * long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
 * while (ready.value() == 0) {
 *     long left = deadline - System.nanoTime();
 *     if (left <= 0 || ready.waitNanos(0, left) == Futex.WaitResult.TIMED_OUT) {
 *         break;
 *     }
 * }
 * // waker, in another process
 * ready.setRelease(1);
 * ready.wakeAll();
 * }
 *
 * <p>Waits always use the shared (not process-private) futex operations, with an absolute
 * deadline on CLOCK_MONOTONIC, so a change of the wall clock neither shortens nor stretches them.
 *
 * <p>Closing the {@link org.panamaipc.shm.SharedMemory} that holds the word (or growing it, which
 * maps it anew) wakes the threads of this process that wait on it, and they throw
 * {@link IllegalStateException} naming the object; the close waits until they have left the memory.
 *
 * <p>{@link Thread#interrupt()} ends a wait with {@link InterruptedException}. The interrupting
 * thread wakes the futex word itself, so the wait ends within microseconds; should the interrupt
 * land in the instant before the waiter is queued in the kernel, the waiter still notices it at the
 * end of its current sleep slice, at most {@link #INTERRUPT_CHECK_INTERVAL} later.
 */
public final class Futex {

    /** The result of {@link #wait(int, Duration)}. */
    public enum WaitResult {
        /** A wake-up arrived; it may be spurious, so re-check the word. */
        WOKEN,
        /** The word did not hold the expected value when the wait began: no sleep happened. */
        VALUE_CHANGED,
        /** The deadline passed. */
        TIMED_OUT
    }

    /**
     * The longest a wait sleeps in the kernel before it re-checks the interrupt flag: the bound
     * on how late an interrupt that races with going to sleep is noticed. Every slice wakes an idle
     * process: with 100 ms, an idle ring receiver's JVM used 0.6-1.1 % of a CPU on a 2-vCPU VM.
     */
    public static final Duration INTERRUPT_CHECK_INTERVAL = Duration.ofMillis(250);

    private static final long SLICE_NANOS = INTERRUPT_CHECK_INTERVAL.toNanos();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment word;

    private Futex(MemorySegment word) {
        this.word = word;
    }

    /**
     * {@return the futex at {@code offset} in {@code memory}}
     *
     * @throws IllegalArgumentException if the memory is not native, or {@code offset} is not
     *         4-byte aligned, or the word lies outside the segment
     */
    public static Futex of(MemorySegment memory, long offset) {
        Objects.requireNonNull(memory, "memory");
        if (!memory.isNative()) {
            throw new IllegalArgumentException("a futex must live in native (shared) memory, not on the heap");
        }
        if (offset < 0 || offset > memory.byteSize() - Integer.BYTES) {
            throw new IllegalArgumentException("offset=" + offset + " is outside the segment of byteSize="
                    + memory.byteSize());
        }
        if (((memory.address() + offset) & (Integer.BYTES - 1)) != 0) {
            throw new IllegalArgumentException("futex address=0x" + Long.toHexString(memory.address() + offset)
                    + " is not 4-byte aligned (offset=" + offset + ")");
        }
        return new Futex(memory.asSlice(offset, Integer.BYTES));
    }

    /** {@return the word, read with acquire semantics} */
    public int value() {
        return (int) INT.getAcquire(word, 0L);
    }

    /** Stores {@code value} with release semantics. Wakes nobody: call {@link #wake(int)} after. */
    public void setRelease(int value) {
        INT.setRelease(word, 0L, value);
    }

    /** {@return whether the word held {@code expected} and now holds {@code value} (a volatile compare-and-set)} */
    public boolean compareAndSet(int expected, int value) {
        return INT.compareAndSet(word, 0L, expected, value);
    }

    /** Atomically sets the word to {@code value} and {@return the value before} */
    public int getAndSet(int value) {
        return (int) INT.getAndSet(word, 0L, value);
    }

    /** Atomically adds {@code delta} and {@return the value before} */
    public int getAndAdd(int delta) {
        return (int) INT.getAndAdd(word, 0L, delta);
    }

    /** {@return the segment slice of the word} For building other primitives on the same word. */
    public MemorySegment word() {
        return word;
    }

    /**
     * Sleeps while the word holds {@code expected}, until woken, or {@code timeout} has passed, or
     * the thread is interrupted.
     *
     * @param timeout how long to wait at most; zero or negative returns {@link WaitResult#TIMED_OUT}
     *                at once unless the word differs; a duration too long to count in nanoseconds
     *                (such as {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits as long as it takes
     * @return why the wait ended
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the memory is closed before the wait, or while the thread
     *         waits (then the close wakes it, and the message names the object)
     * @throws InterruptedException if the thread is interrupted before or during the wait
     */
    public WaitResult wait(int expected, Duration timeout) throws InterruptedException {
        return waitNanos(expected, Timeouts.toNanos(timeout));
    }

    /**
     * As {@link #wait(int, Duration)} with the timeout in nanoseconds ({@code Long.MAX_VALUE}: no
     * deadline); no allocation on the way to the kernel.
     */
    public WaitResult waitNanos(int expected, long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (value() != expected) {
            return WaitResult.VALUE_CHANGED;
        }
        if (timeoutNanos <= 0) {
            return WaitResult.TIMED_OUT;
        }
        long start = MonotonicClock.nanos();
        long deadline = Timeouts.deadline(start, timeoutNanos);
        Sleepers.Sleeper sleeper = Sleepers.enter(word);
        Interruptor interruptor = new Interruptor(word);
        interruptor.arm();
        try {
            long now = start;
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                sleeper.ensureOpen();
                long sliceEnd = Timeouts.remaining(deadline, now) > SLICE_NANOS ? now + SLICE_NANOS : deadline;
                long rc = futex_h.futex_wait_bitset(word, expected, MonotonicClock.timespecAt(sliceEnd),
                        futex_h.FUTEX_BITSET_MATCH_ANY());
                sleeper.ensureOpen(); // woken because the memory is being unmapped
                if (rc == 0) {
                    return Thread.currentThread().isInterrupted() ? null : WaitResult.WOKEN;
                }
                int errno = Errno.last();
                if (errno == errno_h.EAGAIN()) {
                    return WaitResult.VALUE_CHANGED;
                }
                if (errno != errno_h.ETIMEDOUT() && errno != errno_h.EINTR()) {
                    throw Errors.fromErrno(errno, "wait on futex", "0x" + Long.toHexString(word.address()));
                }
                now = MonotonicClock.nanos();
                if (errno == errno_h.ETIMEDOUT() && Timeouts.passed(deadline, now)) {
                    return WaitResult.TIMED_OUT;
                }
            }
        } finally {
            Sleepers.exit(sleeper);
            interruptor.disarm();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        throw new AssertionError("unreachable: the loop ends by return or on interrupt");
    }

    /** Wakes at most {@code count} threads waiting on the word, in any process; {@return how many it woke} */
    public int wake(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count=" + count + " must be positive");
        }
        long rc = futex_h.futex_wake(word, count);
        if (rc < 0) {
            throw Errors.lastError("wake futex", "0x" + Long.toHexString(word.address()));
        }
        return (int) rc;
    }

    /** Wakes every thread waiting on the word; {@return how many it woke} */
    public int wakeAll() {
        return wake(Integer.MAX_VALUE);
    }

    /**
     * Gets the JDK to call us when the waiting thread is interrupted, the one public hook for that:
     * an interruptible channel's {@code begin()}/{@code end()} bracket. Closing it (which the JDK
     * does from the interrupting thread) wakes the word, so the sleeper returns at once.
     */
    private static final class Interruptor extends AbstractInterruptibleChannel {
        private final MemorySegment word;

        Interruptor(MemorySegment word) {
            this.word = word;
        }

        void arm() {
            begin();
        }

        void disarm() {
            try {
                end(true);
            } catch (java.nio.channels.AsynchronousCloseException interruptedMeanwhile) {
                // the interrupt status stays set; the caller throws InterruptedException
            }
        }

        @Override
        protected void implCloseChannel() {
            try {
                futex_h.futex_wake(word, Integer.MAX_VALUE);
            } catch (RuntimeException memoryGone) {
                // the segment was unmapped meanwhile: no one can be waiting on it
            }
        }
    }
}
