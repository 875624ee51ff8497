package org.panamaipc.bench;

import java.util.concurrent.TimeUnit;

/**
 * The busy-spin wait of the pure-Java alternatives, with a deadline: a peer whose partner died
 * throws after {@link #TIMEOUT_NANOS} instead of spinning until the harness kills it. The clock is
 * read only once every {@value #CHECK_EVERY} idle iterations, so that it costs nothing while
 * traffic flows. One instance per waiting thread; no allocation.
 *
 * {@snippet lang=java :
 * spinner.reset();
 * while (!ring.write(TYPE, source, 0, length)) {
 *     spinner.idle("no room in the ring");
 * }
 * }
 */
final class Spinner {

    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int CHECK_EVERY = 1 << 16;

    private int spins;
    private long deadline;

    /** Starts a new wait. */
    void reset() {
        spins = 0;
        deadline = 0;
    }

    /**
     * One idle iteration of the current wait: {@link Thread#onSpinWait()}, and now and then a look
     * at the clock.
     *
     * @param waitingFor what the wait is for, for the exception's message (a constant: this is the hot path)
     * @throws IllegalStateException if the wait has lasted {@link #TIMEOUT_NANOS}
     */
    void idle(String waitingFor) {
        Thread.onSpinWait();
        if ((++spins & (CHECK_EVERY - 1)) == 0) {
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + TIMEOUT_NANOS;
            } else if (now - deadline > 0) {
                throw new IllegalStateException(waitingFor + " for " + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NANOS)
                        + " s");
            }
        }
    }
}
