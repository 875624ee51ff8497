package org.panamaipc.channel;

import org.panamaipc.internal.Timeouts;

import java.util.concurrent.locks.LockSupport;

/**
 * The idle steps of one endpoint's {@link WaitStrategy} between checks: spin, yield, park, or, for
 * {@link WaitStrategy.Blocking}, tell the caller that the spin budget is spent and it should sleep
 * on the channel's futex. One instance per endpoint; {@link #reset()} at the start of each wait.
 */
final class Idler {

    /** A spinning wait reads the clock once in every this many plus one steps. */
    static final int CLOCK_EVERY_MASK = 63;

    private static final int SPINS_BEFORE_YIELD = 100;
    private static final int YIELDS_BEFORE_PARK = 50;
    private static final long MIN_PARK_NANOS = 1_000;
    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final WaitStrategy strategy;
    private final long spinNanos;
    private final long maxParkNanos;
    private int steps;
    private long started;
    private long parkNanos;

    Idler(WaitStrategy strategy) {
        this.strategy = strategy;
        // through the Duration rule: a spin or park too long to count in nanoseconds is "forever", never an ArithmeticException
        this.spinNanos = strategy instanceof WaitStrategy.Blocking b ? Timeouts.toNanos(b.spin()) : 0;
        this.maxParkNanos = strategy instanceof WaitStrategy.Backoff b ? Timeouts.toNanos(b.maxPark()) : 0;
    }


    /**
     * {@return whether this strategy's idle step is a bare {@code Thread.onSpinWait()} until a
     * clock says otherwise} (busy spin, and the spin phase of blocking), so the caller may skip
     * reading the clock on most steps
     */
    boolean spinsCheaply() {
        return strategy instanceof WaitStrategy.BusySpin || strategy instanceof WaitStrategy.Blocking;
    }

    void reset() {
        steps = 0;
        started = NOT_STARTED;
        parkNanos = MIN_PARK_NANOS;
    }

    /**
     * Idles once. {@return true if the strategy is {@link WaitStrategy.Blocking} and its spin budget
     * is spent: the caller should sleep on the futex instead}
     */
    boolean idle(long now) {
        steps++;
        switch (strategy) {
            case WaitStrategy.BusySpin ignored -> Thread.onSpinWait();
            case WaitStrategy.Yielding ignored -> Thread.yield();
            case WaitStrategy.Backoff ignored -> {
                if (steps < SPINS_BEFORE_YIELD) {
                    Thread.onSpinWait();
                } else if (steps < SPINS_BEFORE_YIELD + YIELDS_BEFORE_PARK) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(parkNanos);
                    parkNanos = Math.min(parkNanos * 2, maxParkNanos);
                }
            }
            case WaitStrategy.Blocking ignored -> {
                if (started == NOT_STARTED) {
                    started = now;
                }
                if (now - started >= spinNanos) {
                    return true;
                }
                Thread.onSpinWait();
            }
        }
        return false;
    }
}
