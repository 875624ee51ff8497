package org.panamaipc.internal;

import org.panamaipc.bindings.time_h;
import org.panamaipc.bindings.timespec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * CLOCK_MONOTONIC, read through the bindings, and per-thread {@code struct timespec} buffers for
 * absolute futex deadlines: no allocation per wait.
 */
public final class MonotonicClock {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> timespec.allocate(Arena.ofAuto()));

    private MonotonicClock() {
    }

    /** {@return CLOCK_MONOTONIC now, in nanoseconds} */
    public static long nanos() {
        MemorySegment ts = SCRATCH.get();
        if (time_h.clock_gettime(time_h.CLOCK_MONOTONIC(), ts) != 0) {
            throw Errors.lastError("read CLOCK_MONOTONIC", null);
        }
        return timespec.tv_sec(ts) * NANOS_PER_SECOND + timespec.tv_nsec(ts);
    }

    /**
     * {@return this thread's timespec buffer set to the absolute CLOCK_MONOTONIC time
     * {@code nanos}} Valid until the thread's next call.
     */
    public static MemorySegment timespecAt(long nanos) {
        MemorySegment ts = SCRATCH.get();
        timespec.tv_sec(ts, nanos / NANOS_PER_SECOND);
        timespec.tv_nsec(ts, nanos % NANOS_PER_SECOND);
        return ts;
    }
}
