package org.panamaipc.bindings;

import java.lang.foreign.MemorySegment;

/**
 * The futex system call, always in its shared (process-wide, non-private) form so that a wait in
 * one process is woken by another mapping the same memory.
 * {@snippet lang=c :
 * long syscall(SYS_futex, uint32_t *uaddr, int futex_op, uint32_t val,
 *              const struct timespec *timeout, uint32_t *uaddr2, uint32_t val3);
 * }
 * The wrappers here only fix the operation; they decide nothing else. Each returns what the system
 * call returns and leaves the cause of a -1 in {@link errno_h#errno()}: {@code EAGAIN} when the
 * word did not hold the expected value, {@code ETIMEDOUT} at the deadline, {@code EINTR} on a
 * signal.
 *
 * <p>Mirrors {@code <linux/futex.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class futex_h {

    private futex_h() {
    }

    private static final int FUTEX_WAIT = 0;

    /** {@snippet lang=c : #define FUTEX_WAIT 0 } */
    public static int FUTEX_WAIT() {
        return FUTEX_WAIT;
    }

    private static final int FUTEX_WAKE = 1;

    /** {@snippet lang=c : #define FUTEX_WAKE 1 } */
    public static int FUTEX_WAKE() {
        return FUTEX_WAKE;
    }

    private static final int FUTEX_WAIT_BITSET = 9;

    /** {@snippet lang=c : #define FUTEX_WAIT_BITSET 9 } */
    public static int FUTEX_WAIT_BITSET() {
        return FUTEX_WAIT_BITSET;
    }

    private static final int FUTEX_WAKE_BITSET = 10;

    /** {@snippet lang=c : #define FUTEX_WAKE_BITSET 10 } */
    public static int FUTEX_WAKE_BITSET() {
        return FUTEX_WAKE_BITSET;
    }

    private static final int FUTEX_PRIVATE_FLAG = 128;

    /** {@snippet lang=c : #define FUTEX_PRIVATE_FLAG 128 } Never used by panama-ipc: its words are shared. */
    public static int FUTEX_PRIVATE_FLAG() {
        return FUTEX_PRIVATE_FLAG;
    }

    private static final int FUTEX_CLOCK_REALTIME = 256;

    /** {@snippet lang=c : #define FUTEX_CLOCK_REALTIME 256 } Without it, WAIT_BITSET deadlines are CLOCK_MONOTONIC. */
    public static int FUTEX_CLOCK_REALTIME() {
        return FUTEX_CLOCK_REALTIME;
    }

    private static final int FUTEX_BITSET_MATCH_ANY = 0xffffffff;

    /** {@snippet lang=c : #define FUTEX_BITSET_MATCH_ANY 0xffffffff } */
    public static int FUTEX_BITSET_MATCH_ANY() {
        return FUTEX_BITSET_MATCH_ANY;
    }

    private static final int FUTEX_WAITERS = 0x80000000;

    /** {@snippet lang=c : #define FUTEX_WAITERS 0x80000000 } */
    public static int FUTEX_WAITERS() {
        return FUTEX_WAITERS;
    }

    private static final int FUTEX_OWNER_DIED = 0x40000000;

    /** {@snippet lang=c : #define FUTEX_OWNER_DIED 0x40000000 } */
    public static int FUTEX_OWNER_DIED() {
        return FUTEX_OWNER_DIED;
    }

    private static final int FUTEX_TID_MASK = 0x3fffffff;

    /** {@snippet lang=c : #define FUTEX_TID_MASK 0x3fffffff } */
    public static int FUTEX_TID_MASK() {
        return FUTEX_TID_MASK;
    }

    /**
     * The raw call, shared form. May block; {@code uaddr} must be a 4-byte aligned native segment.
     * {@snippet lang=c : long syscall(SYS_futex, uint32_t *uaddr, int futex_op, uint32_t val, const struct timespec *timeout, uint32_t *uaddr2, uint32_t val3) }
     */
    private static final int FUTEX_32 = 2;

    /** {@snippet lang=c : #define FUTEX_32 2 } (the size of a futex2 word: 32 bits, the only one) */
    public static int FUTEX_32() {
        return FUTEX_32;
    }

    private static final int FUTEX_WAITV_MAX = 128;

    /** {@snippet lang=c : #define FUTEX_WAITV_MAX 128 } */
    public static int FUTEX_WAITV_MAX() {
        return FUTEX_WAITV_MAX;
    }

    /**
     * Sleeps until one of {@code nr_futexes} words is woken (Linux 5.16 and later), each with its own
     * expected value in its {@link futex_waitv} entry.
     * {@snippet lang=c : long syscall(SYS_futex_waitv, struct futex_waitv *waiters, unsigned int nr_futexes,
     *                 unsigned int flags, struct timespec *timeout, clockid_t clockid) }
     * <p>Returns the index of a woken entry, or -1 with the cause in {@link errno_h#errno()}:
     * {@code EAGAIN} if a word did not hold its value, {@code ETIMEDOUT} at the absolute
     * {@code timeout} (NULL: none) on {@code clockid}, {@code EINTR} on a signal, {@code ENOSYS}
     * on an older kernel.
     */
    public static long futex_waitv(MemorySegment waiters, int nr_futexes, int flags, MemorySegment timeout,
                                   int clockid) {
        try {
            return (long) syscall_h.futex_waitv.HANDLE.invokeExact(Native.capture(), syscall_h.SYS_futex_waitv(),
                    waiters, nr_futexes, flags, timeout, clockid);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static long futex(MemorySegment uaddr, int futex_op, int val, MemorySegment timeout,
                             MemorySegment uaddr2, int val3) {
        try {
            return (long) syscall_h.futex.HANDLE.invokeExact(Native.capture(), syscall_h.SYS_futex(),
                    uaddr, futex_op, val, timeout, uaddr2, val3);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * Sleeps while {@code *uaddr == val}, at most for the relative {@code timeout}
     * ({@link MemorySegment#NULL} for none). {@snippet lang=c : futex(uaddr, FUTEX_WAIT, val, timeout, NULL, 0) }
     */
    public static long futex_wait(MemorySegment uaddr, int val, MemorySegment timeout) {
        return futex(uaddr, FUTEX_WAIT, val, timeout, MemorySegment.NULL, 0);
    }

    /**
     * Sleeps while {@code *uaddr == val}, until the absolute CLOCK_MONOTONIC deadline
     * {@code abs_timeout} ({@link MemorySegment#NULL} for none), for a wake whose bitset meets
     * {@code bitset}. {@snippet lang=c : futex(uaddr, FUTEX_WAIT_BITSET, val, abs_timeout, NULL, bitset) }
     */
    public static long futex_wait_bitset(MemorySegment uaddr, int val, MemorySegment abs_timeout, int bitset) {
        return futex(uaddr, FUTEX_WAIT_BITSET, val, abs_timeout, MemorySegment.NULL, bitset);
    }

    /**
     * Wakes at most {@code nr_wake} waiters on {@code uaddr}; returns how many it woke. Never
     * blocks, so it is bound as a critical call. {@snippet lang=c : futex(uaddr, FUTEX_WAKE, nr_wake, NULL, NULL, 0) }
     */
    public static long futex_wake(MemorySegment uaddr, int nr_wake) {
        try {
            return (long) syscall_h.futex.CRITICAL.invokeExact(Native.capture(), syscall_h.SYS_futex(),
                    uaddr, FUTEX_WAKE, nr_wake, MemorySegment.NULL, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
