package org.panamaipc.message;

import org.panamaipc.internal.MonotonicClock;

/**
 * The clock of send times: {@code CLOCK_MONOTONIC}, which every process of the machine reads
 * alike. On Linux the JDK's {@link System#nanoTime()} reads exactly that clock, with no offset,
 * and costs less than a call through FFM (29 against 40 ns here), so it is used once a
 * comparison at start-up shows that it agrees with {@code clock_gettime(CLOCK_MONOTONIC)}: the
 * smallest of a few differences, taken between two readings of {@code nanoTime} around one
 * {@code clock_gettime}, must lie within the bracket. Otherwise (another JVM, another OS) every
 * reading goes through {@link MonotonicClock}.
 */
final class MessageClock {

    /** Whether {@link System#nanoTime()} reads CLOCK_MONOTONIC here. */
    static final boolean NANO_TIME_IS_MONOTONIC = agrees();

    private MessageClock() {
    }

    /** {@return CLOCK_MONOTONIC now, in nanoseconds} */
    static long nanos() {
        return NANO_TIME_IS_MONOTONIC ? System.nanoTime() : MonotonicClock.nanos();
    }

    private static boolean agrees() {
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = System.nanoTime();
            long monotonic = MonotonicClock.nanos();
            long after = System.nanoTime();
            if (before <= monotonic && monotonic <= after) {
                return true;
            }
        }
        return false;
    }
}
