package org.panamaipc.rpc;

import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.internal.Timeouts;

import java.time.Duration;

/**
 * How the threads of an RPC server or client wait for a message before they sleep, when their
 * {@link WaitStrategy} is {@link WaitStrategy#blocking(Duration) blocking} with a spin budget.
 *
 * <p>A ring's own blocking wait spins on the CPU for the whole budget. Between processes on a
 * machine with more runnable threads than CPUs, that spin takes the CPU from the very peer whose
 * answer it waits for: with four client JVMs and a server on two CPUs, callers spinning 20 µs
 * each held the CPUs while the server had requests to answer (measured: 150 µs of client CPU
 * time per call, 0.3 voluntary context switches per call). So the RPC threads wait in three
 * phases instead: they spin for at most {@link #SPIN_NANOS} (an answer on its way from a server
 * running on another CPU comes within about a microsecond), then call {@link Thread#yield()}
 * between looks until the budget is spent (a yield returns at once when no other thread wants
 * this CPU, and gives it to one that does), and only then sleep on the ring's futex, with no
 * spin of the ring's own: the ports are made with {@link #portStrategy()}.
 *
 * <p>A message that comes while the receiver spins or yields costs the sender no system call,
 * since only a sleeper is woken. Strategies other than blocking with a positive budget are left
 * as they are.
 */
final class RpcWait {

    /** The longest a wait spins on the CPU before it starts yielding: 2 µs. */
    static final long SPIN_NANOS = 2_000;

    private final WaitStrategy portStrategy;
    private final long budgetNanos;

    RpcWait(WaitStrategy strategy) {
        if (strategy instanceof WaitStrategy.Blocking blocking && !blocking.spin().isZero()) {
            this.portStrategy = WaitStrategy.blocking(Duration.ZERO);
            this.budgetNanos = Timeouts.toNanos(blocking.spin());
        } else {
            this.portStrategy = strategy;
            this.budgetNanos = 0;
        }
    }

    /** {@return the strategy the ports wait with once this wait's budget is spent} */
    WaitStrategy portStrategy() {
        return portStrategy;
    }

    /**
     * Idles once in a wait that began at {@code start} ({@link System#nanoTime()}). {@return false
     * if the budget is spent and the caller should sleep in the port}
     */
    boolean idle(long start) {
        long waited = System.nanoTime() - start;
        if (waited >= budgetNanos) {
            return false;
        }
        if (waited < SPIN_NANOS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return true;
    }

    /** {@return whether this wait spins or yields at all before sleeping} */
    boolean idles() {
        return budgetNanos > 0;
    }
}
