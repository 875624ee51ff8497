package org.panamaipc.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.bindings.children.ChildSupport.INT;
import static org.panamaipc.bindings.children.ChildSupport.deadline;
import static org.panamaipc.bindings.children.ChildSupport.describe;
import static org.panamaipc.bindings.children.ChildSupport.now;
import static org.panamaipc.bindings.children.ChildSupport.toNanos;

/**
 * The futex's timeouts and its value check, in one process: nobody wakes these waits. Only minimum
 * waiting times are asserted; how much longer a wait takes depends on the machine.
 */
class FutexTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(50);

    /** For the waits that must not wait at all: long enough to tell EAGAIN from ETIMEDOUT. */
    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(10);

    @Test
    @Timeout(30)
    void shouldTimeOutAtAnAbsoluteMonotonicDeadline() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(CTypes.C_INT);
            INT.setRelease(word, 0L, 0);
            MemorySegment start = now(arena, time_h.CLOCK_MONOTONIC());
            MemorySegment deadline = deadline(arena, time_h.CLOCK_MONOTONIC(), TIMEOUT);

            long rc;
            int errno;
            do {
                rc = futex_h.futex_wait_bitset(word, 0, deadline, futex_h.FUTEX_BITSET_MATCH_ANY());
                errno = errno_h.errno();
            } while (rc == -1 && errno == errno_h.EINTR());
            MemorySegment end = now(arena, time_h.CLOCK_MONOTONIC());

            assertEquals(-1, rc, "futex_wait_bitset on a word that holds the expected value");
            assertEquals(errno_h.ETIMEDOUT(), errno, describe(errno));
            assertTrue(toNanos(end) >= toNanos(deadline),
                    "returned at " + toNanos(end) + " ns, before the deadline " + toNanos(deadline) + " ns");
            assertTrue(toNanos(end) - toNanos(start) >= TIMEOUT.toNanos(),
                    "waited only " + (toNanos(end) - toNanos(start)) + " ns");
        }
    }

    @Test
    @Timeout(30)
    void shouldTimeOutAfterARelativeTimeout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(CTypes.C_INT);
            INT.setRelease(word, 0L, 0);
            MemorySegment timeout = timespec.allocate(arena);
            timespec.tv_sec(timeout, TIMEOUT.toSeconds());
            timespec.tv_nsec(timeout, TIMEOUT.toNanosPart());
            MemorySegment start = now(arena, time_h.CLOCK_MONOTONIC());

            long rc;
            int errno;
            do {
                rc = futex_h.futex_wait(word, 0, timeout);
                errno = errno_h.errno();
            } while (rc == -1 && errno == errno_h.EINTR());
            MemorySegment end = now(arena, time_h.CLOCK_MONOTONIC());

            assertEquals(-1, rc, "futex_wait on a word that holds the expected value");
            assertEquals(errno_h.ETIMEDOUT(), errno, describe(errno));
            assertTrue(toNanos(end) - toNanos(start) >= TIMEOUT.toNanos(),
                    "waited only " + (toNanos(end) - toNanos(start)) + " ns");
        }
    }

    @Test
    @Timeout(30)
    void shouldReturnEagainAtOnceWhenTheWordHoldsAnotherValue() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(CTypes.C_INT);
            INT.setRelease(word, 0L, 7);
            MemorySegment timeout = timespec.allocate(arena);
            timespec.tv_sec(timeout, LONG_TIMEOUT.toSeconds());

            long rc = futex_h.futex_wait(word, 0, timeout);
            int errno = errno_h.errno();
            assertEquals(-1, rc, "futex_wait expecting 0 on a word that holds 7");
            assertEquals(errno_h.EAGAIN(), errno, describe(errno));

            MemorySegment deadline = deadline(arena, time_h.CLOCK_MONOTONIC(), LONG_TIMEOUT);
            rc = futex_h.futex_wait_bitset(word, 0, deadline, futex_h.FUTEX_BITSET_MATCH_ANY());
            errno = errno_h.errno();
            assertEquals(-1, rc, "futex_wait_bitset expecting 0 on a word that holds 7");
            assertEquals(errno_h.EAGAIN(), errno, describe(errno));
        }
    }

    @Test
    @Timeout(30)
    void shouldWakeNobodyWhenNobodyWaits() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(CTypes.C_INT);
            assertEquals(0, futex_h.futex_wake(word, Integer.MAX_VALUE));
        }
    }
}
