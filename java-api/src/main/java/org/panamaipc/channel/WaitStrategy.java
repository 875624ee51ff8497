package org.panamaipc.channel;

import java.time.Duration;
import java.util.Objects;

/**
 * How an endpoint waits when it cannot proceed: a receiver on an empty channel, a sender on a
 * full one. Chosen per endpoint; peers with different strategies work together.
 *
 * <ul>
 * <li>{@link #busySpin()}: never leaves the CPU. The lowest latency, one core per waiter.</li>
 * <li>{@link #yielding()}: spins, yielding the CPU to other threads between checks.</li>
 * <li>{@link #backoff()}: spins, yields, then parks for growing intervals up to 1 ms; latency grows
 *     with idleness, CPU use falls.</li>
 * <li>{@link #blocking()}: spins for a bounded budget, then sleeps on a futex in shared memory
 *     until the peer signals. The peer makes a system call only when a waiter has flagged itself,
 *     so steady traffic costs no system calls, and an idle waiter costs almost no CPU.</li>
 * </ul>
 *
 * <p>Every strategy honours the call's deadline and {@link Thread#interrupt()}.
 */
public sealed interface WaitStrategy {

    /**
     * The default spin budget of {@link #blocking()}: 20 µs. Waking a sleeper on another CPU costs
     * 20–25 µs on the machines we measured (2-vCPU EPYC VMs), while a message in flight arrives
     * within 1 µs; spinning about as long as one wake-up costs catches a reply that is on its way
     * without burning a core when the peer is idle. Measured with {@code ipc bench}, SPSC, 32-byte
     * ping-pong between two pinned JVMs: no spin at all gives a round trip of 3.1 µs at p50 and
     * 82 µs at p99 (the receiver often sleeps); 5 µs gives 0.77 / 2.7 µs; 20 µs gives 0.76 / 2.4 µs,
     * the same as busy spinning at p50. An idle receiver's JVM uses about half a percent of a CPU
     * with any of them (0.47–0.48 % in the README's runs, since a blocked receiver sleeps in 250 ms
     * slices; {@code ipc bench} measures it as the {@code idle} row).
     */
    Duration DEFAULT_SPIN = Duration.ofNanos(20_000);

    /** {@return a strategy that spins on the CPU} */
    static WaitStrategy busySpin() {
        return BusySpin.INSTANCE;
    }

    /** {@return a strategy that spins, yielding between checks} */
    static WaitStrategy yielding() {
        return Yielding.INSTANCE;
    }

    /** {@return a strategy that spins, yields, then parks for up to 1 ms at a time} */
    static WaitStrategy backoff() {
        return new Backoff(Duration.ofMillis(1));
    }

    /** {@return a strategy that spins for {@link #DEFAULT_SPIN}, then sleeps on a futex} */
    static WaitStrategy blocking() {
        return new Blocking(DEFAULT_SPIN);
    }

    /** {@return a strategy that spins for {@code spin}, then sleeps on a futex} */
    static WaitStrategy blocking(Duration spin) {
        return new Blocking(spin);
    }

    /** {@return whether this strategy may sleep on the channel's futex} */
    default boolean mayBlock() {
        return this instanceof Blocking;
    }

    /** Spins on the CPU. */
    enum BusySpin implements WaitStrategy {
        /** The one instance. */
        INSTANCE
    }

    /** Spins, calling {@link Thread#yield()} between checks. */
    enum Yielding implements WaitStrategy {
        /** The one instance. */
        INSTANCE
    }

    /**
     * Spins, yields, then parks for intervals that double up to {@code maxPark}.
     *
     * @param maxPark the longest single park
     */
    record Backoff(Duration maxPark) implements WaitStrategy {
        /** Checks the argument. */
        public Backoff {
            Objects.requireNonNull(maxPark, "maxPark");
            if (maxPark.isNegative() || maxPark.isZero()) {
                throw new IllegalArgumentException("maxPark=" + maxPark + " must be positive");
            }
        }
    }

    /**
     * Spins for {@code spin}, then sleeps on the channel's futex until signalled.
     *
     * @param spin how long to spin before sleeping; zero sleeps at once
     */
    record Blocking(Duration spin) implements WaitStrategy {
        /** Checks the argument. */
        public Blocking {
            Objects.requireNonNull(spin, "spin");
            if (spin.isNegative()) {
                throw new IllegalArgumentException("spin=" + spin + " must not be negative");
            }
        }
    }
}
