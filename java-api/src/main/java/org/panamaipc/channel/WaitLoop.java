package org.panamaipc.channel;

import org.panamaipc.internal.MonotonicClock;
import org.panamaipc.internal.Sleepers;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.sync.Futex;

import java.lang.foreign.MemorySegment;

import static org.panamaipc.channel.ChannelMemory.INT;

/**
 * The one wait of every ring endpoint, taken a step at a time between the endpoint's own looks
 * (a claim, a poll, a take): idle as the {@link WaitStrategy} says, watch the deadline, the
 * interrupt and the channel's closing, look now and then whether the other side has gone, and,
 * for {@link WaitStrategy.Blocking}, sleep on the side's futex once the spin budget is spent.
 * A caller does:
 *
 * {@snippet lang=java :
 * wait.begin(timeoutNanos);
 * try {
 *     while (true) {
 *         int step = wait.step();
 *         if (step != WaitLoop.LOOK) {
 *             return step == WaitLoop.TIMED_OUT ? whatATimeoutReturns() : CLOSED;
 *         }
 *         if (lookAgain()) {
 *             return what was found;
 *         }
 *     }
 * } finally {
 *     wait.end();
 * }
 * }
 *
 * <p><b>Sleeping.</b> Count yourself among the side's waiters (a full fence), mark your slot as
 * sleeping, look once more ({@link Endpoint#readyToRetry()}), then sleep on the signal word as it
 * was before you looked. A peer that makes progress (or leaves) after the look bumps the word, so
 * the sleep either does not start or is woken: no wake-up is lost. The slot's mark lets whoever
 * retires the slot of an endpoint killed asleep take its count off again. The sleep is registered
 * with {@link Sleepers} under the endpoint, so closing it (or its channel) wakes it at once.
 */
final class WaitLoop {

    /** From {@link #step()}: look again. */
    static final int LOOK = 1;
    /** From {@link #step()}: the timeout has passed. */
    static final int TIMED_OUT = 0;
    /** From {@link #step()}: the other side has gone. */
    static final int GONE = -1;

    /** The first sleep's bound when {@link ChannelMemory#orderEveryThread()} was refused. */
    private static final long UNORDERED_SLEEP_NANOS = 1_000_000L;
    private static final long NO_START = Long.MIN_VALUE;

    private final Endpoint endpoint;
    private final Idler idler;
    private final boolean cheapSpin;
    private final Futex signal;
    private final MemorySegment body;
    private final long waitersOffset;
    private final long sleepingOffset;
    private boolean unorderedSleep;

    private long timeoutNanos;
    private int steps;
    /**
     * When the current wait began, by the clock's first reading in it: a spinning wait does not read
     * the clock on entry but on its {@link Idler#CLOCK_EVERY_MASK}+1-th step (about a microsecond
     * later), so a message that comes at once costs no clock read. {@link #NO_START} until then.
     */
    private long start;

    WaitLoop(Endpoint endpoint, WaitStrategy strategy, Futex signal, long waitersOffset, long sleepingOffset) {
        this.endpoint = endpoint;
        this.idler = new Idler(strategy);
        this.cheapSpin = idler.spinsCheaply();
        this.signal = signal;
        this.body = endpoint.body;
        this.waitersOffset = waitersOffset;
        this.sleepingOffset = sleepingOffset;
        this.unorderedSleep = strategy.mayBlock() && !ChannelMemory.orderEveryThread();
    }

    /**
     * Starts a wait of at most {@code timeoutNanos} ({@link Timeouts#FOREVER}: none).
     *
     * @throws IllegalStateException if the endpoint is closed
     */
    void begin(long timeoutNanos) {
        endpoint.enterWait();
        this.timeoutNanos = timeoutNanos;
        this.start = NO_START;
        this.steps = 0;
        idler.reset();
    }

    /** Ends the wait: whatever ended it, the endpoint may now be closed. */
    void end() {
        endpoint.exitWait();
    }

    /**
     * Waits one step. {@return {@link #LOOK}, {@link #TIMED_OUT} or {@link #GONE}}
     *
     * @throws InterruptedException if the thread is interrupted
     * @throws IllegalStateException if the endpoint, or its channel, was closed
     */
    int step() throws InterruptedException {
        // between clock reads, a spinning wait only pauses: reading the clock costs as much as a
        // look at the ring, and would add its time to every hand-off
        if (cheapSpin && (++steps & Idler.CLOCK_EVERY_MASK) != 0) {
            Thread.onSpinWait();
            return LOOK;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        endpoint.ensureOpen();
        long now = System.nanoTime();
        if (start == NO_START) {
            start = now;
        }
        if (timeoutNanos != Timeouts.FOREVER && now - start - timeoutNanos >= 0) {
            return TIMED_OUT;
        }
        if (endpoint.peersGone(now)) {
            return GONE;
        }
        if (idler.idle(now)) {
            int how = endpoint.prepareQuietSleep();
            if (how == Endpoint.LOOK_NOW) {
                return LOOK;
            }
            long slice = how == Endpoint.QUIET ? Timeouts.FOREVER : endpoint.sleepSliceNanos();
            if (unorderedSleep) {
                slice = Math.min(slice, UNORDERED_SLEEP_NANOS);
                unorderedSleep = false;
                how = Endpoint.SLICED;
            }
            endpoint.beforeSleep();
            long remaining = timeoutNanos == Timeouts.FOREVER ? Timeouts.FOREVER
                    : Timeouts.remaining(Timeouts.deadline(start, timeoutNanos), now);
            sleep(Math.min(remaining, slice), how == Endpoint.QUIET);
        }
        return LOOK;
    }

    /**
     * Sleeps at most {@code nanos} ({@link Timeouts#FOREVER}: no bound), on the signal word alone
     * in slices, or, when {@code quiet}, in one {@link QuietSleep} that an interrupt ends too.
     */
    private void sleep(long nanos, boolean quiet) throws InterruptedException {
        int seen = signal.value();
        INT.getAndAdd(body, waitersOffset, 1);
        INT.setOpaque(body, sleepingOffset, 1);
        Sleepers.Sleeper sleeper = Sleepers.enter(signal.word(), endpoint);
        try {
            sleeper.ensureOpen();
            endpoint.ensureOpen();
            if (!endpoint.readyToRetry()) {
                if (!quiet || !QuietSleep.sleep(signal.word(), seen,
                        nanos == Timeouts.FOREVER ? Timeouts.FOREVER : MonotonicClock.nanos() + nanos)) {
                    signal.waitNanos(seen, nanos);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            sleeper.ensureOpen(); // woken by a close of the endpoint or its channel
        } finally {
            Sleepers.exit(sleeper);
            INT.setOpaque(body, sleepingOffset, 0);
            INT.getAndAdd(body, waitersOffset, -1);
        }
    }
}
