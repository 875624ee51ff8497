package org.panamaipc.rpc;

import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.internal.Timeouts;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * between looks (a yield returns at once when no other thread wants this CPU, and gives it to one
 * that does), and then sleep on the ring's futex, with no spin of the ring's own: the ports are
 * made with {@link #portStrategy()}.
 *
 * <p>The budget is wall-clock time, so a yield that runs other threads for a while uses it up as
 * well: on a machine with more runnable threads than CPUs the yields hand the CPU round among the
 * peers (the server among them) with no wake-up through the kernel, until the budget is spent.
 * That round is what makes such a machine fast: with four client JVMs and a one-worker server on
 * two CPUs, clients that went to sleep as soon as a yield came back late (an earlier rule here)
 * made 40,000 to 100,000 calls/s, about a Unix-domain socket's rate, since every call then paid a
 * futex wake-up and two context switches (about 10 µs of CPU each on the VMs this project runs
 * on); clients that go on yielding within the budget made 400,000 to 700,000 (issue 13's
 * benchmark, {@code ipc bench --rpc}). The budget adapts, as the JVM's own spinning on monitors
 * does: a wait that ends without the message halves the next one's, down to none, and a wait
 * whose message came while it spun or yielded gives the next one the whole budget again. On a
 * machine whose CPUs are all busy for long the message rarely comes within the budget, so the
 * waits soon sleep at once and leave the CPU to the peer; one wait in {@link #PROBE_EVERY} tries
 * the whole budget again, so they find out when the machine has become quiet. A message that
 * comes while the receiver spins or yields costs the
 * sender no system call, since only a sleeper is woken. Strategies other than blocking with a
 * positive budget are left as they are. An instance belongs to the thread holding its owner's
 * receiving lock; others may read its budget.
 */
final class RpcWait {

    /** The longest a wait spins on the CPU before it starts yielding: 2 µs. */
    static final long SPIN_NANOS = 2_000;
    /** A budget below this is none: 500 ns. */
    static final long MIN_BUDGET_NANOS = 500;
    /** With no budget left, one wait in this many tries the whole budget: 64. */
    static final int PROBE_EVERY = 64;

    /** Opaque access to {@link #budgetNanos}: other threads read it, and a long must not tear. */
    private static final VarHandle BUDGET;

    static {
        try {
            BUDGET = MethodHandles.lookup().findVarHandle(RpcWait.class, "budgetNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WaitStrategy portStrategy;
    private final long maxBudgetNanos;
    @SuppressWarnings("unused") // through BUDGET
    private long budgetNanos;
    private int sinceProbe;

    RpcWait(WaitStrategy strategy) {
        if (strategy instanceof WaitStrategy.Blocking blocking && !blocking.spin().isZero()) {
            this.portStrategy = WaitStrategy.blocking(Duration.ZERO);
            this.maxBudgetNanos = Timeouts.toNanos(blocking.spin());
        } else {
            this.portStrategy = strategy;
            this.maxBudgetNanos = 0;
        }
        BUDGET.setOpaque(this, maxBudgetNanos);
    }

    /** {@return the strategy the ports wait with once a wait's budget is spent} */
    WaitStrategy portStrategy() {
        return portStrategy;
    }

    /** {@return the budget of the wait that begins now, in nanoseconds; 0: sleep at once} */
    long begin() {
        long budget = budget();
        if (budget == 0 && maxBudgetNanos > 0 && ++sinceProbe >= PROBE_EVERY) {
            sinceProbe = 0;
            return maxBudgetNanos;
        }
        return budget;
    }

    /** Ends a wait: {@code caught} if the message came within its budget, false if it had to sleep. */
    void end(boolean caught) {
        if (caught) {
            BUDGET.setOpaque(this, maxBudgetNanos);
        } else {
            long half = budget() / 2;
            BUDGET.setOpaque(this, half < MIN_BUDGET_NANOS ? 0 : half);
        }
    }

    /**
     * Idles once in a wait that began at {@code start} ({@link System#nanoTime()}) with
     * {@code budget}. {@return false if the budget is spent and the caller should sleep in the port}
     */
    static boolean idle(long start, long budget) {
        long waited = System.nanoTime() - start;
        if (waited >= budget) {
            return false;
        }
        if (waited < SPIN_NANOS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return true;
    }

    /** {@return the budget now, for a thread that waits without adapting it} */
    long budget() {
        return (long) BUDGET.getOpaque(this);
    }
}
