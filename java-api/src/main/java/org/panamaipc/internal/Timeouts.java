package org.panamaipc.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The one rule for every {@link Duration} a waiting call of panama-ipc takes, and the deadline
 * arithmetic every wait shares:
 * <ul>
 *   <li>{@code null} is a {@link NullPointerException} naming the parameter;</li>
 *   <li>zero or negative means "do not wait": the call behaves as its {@code try} form;</li>
 *   <li>a duration too long for a {@code long} of nanoseconds (about 292 years, such as
 *       {@code Duration.ofSeconds(Long.MAX_VALUE)}) means "wait as long as it takes": it saturates
 *       to {@link #FOREVER}, never an {@link ArithmeticException}.</li>
 * </ul>
 * Deadlines are {@link System#nanoTime()} values, which on Linux are {@code CLOCK_MONOTONIC}: the
 * clock of futex and {@code poll(2)} timeouts, so a step of the wall clock moves no deadline.
 * {@link #FOREVER} as a timeout or a deadline means none, and the sums saturate rather than wrap.
 * Every wait of panama-ipc computes its deadline here.
 */
public final class Timeouts {

    /** A timeout, or a deadline, that never passes. */
    public static final long FOREVER = Long.MAX_VALUE;

    private Timeouts() {
    }

    /**
     * {@return {@code timeout} in nanoseconds: 0 for zero or negative, {@link #FOREVER} for a
     * duration too long to count in nanoseconds}
     *
     * @throws NullPointerException if {@code timeout} is null
     */
    public static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            return 0;
        }
        // 292 years fit in a long of nanoseconds; beyond that toNanos() would throw
        if (timeout.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L - 1) {
            return FOREVER;
        }
        return timeout.toNanos();
    }

    /** {@return the deadline {@code timeoutNanos} after {@code now}, or {@link #FOREVER} if it would overflow} */
    public static long deadline(long now, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return now;
        }
        if (timeoutNanos == FOREVER || timeoutNanos > FOREVER - now && now > 0) {
            return FOREVER;
        }
        return now + timeoutNanos;
    }

    /** {@return the deadline {@code timeoutNanos} from now ({@link System#nanoTime()})} */
    public static long deadline(long timeoutNanos) {
        return timeoutNanos == FOREVER ? FOREVER : deadline(System.nanoTime(), timeoutNanos);
    }

    /** {@return the nanoseconds left until {@code deadline} at {@code now}: {@link #FOREVER} for none, 0 or less once passed} */
    public static long remaining(long deadline, long now) {
        return deadline == FOREVER ? FOREVER : deadline - now;
    }

    /** {@return the nanoseconds left until {@code deadline}, read now} */
    public static long remaining(long deadline) {
        return deadline == FOREVER ? FOREVER : deadline - System.nanoTime();
    }

    /** {@return whether {@code deadline} has passed at {@code now}} */
    public static boolean passed(long deadline, long now) {
        return deadline != FOREVER && now - deadline >= 0;
    }

    /** {@return whether {@code deadline} has passed, read now} */
    public static boolean passed(long deadline) {
        return deadline != FOREVER && System.nanoTime() - deadline >= 0;
    }
}
