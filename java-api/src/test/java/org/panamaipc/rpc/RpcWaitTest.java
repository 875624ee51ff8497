package org.panamaipc.rpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.channel.WaitStrategy;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The adaptive budget of {@link RpcWait}: how it shrinks, comes back, and what the ports wait with. */
@Timeout(60)
class RpcWaitTest {

    private static final long BUDGET = WaitStrategy.DEFAULT_SPIN.toNanos();

    @Test
    void shouldGiveThePortsABlockingWaitWithoutASpinOfTheirOwn() {
        RpcWait wait = new RpcWait(WaitStrategy.blocking());
        assertEquals(WaitStrategy.blocking(Duration.ZERO), wait.portStrategy());
        assertEquals(BUDGET, wait.begin());
    }

    @Test
    void shouldLeaveOtherStrategiesAsTheyAreAndNeverIdle() {
        for (WaitStrategy strategy : new WaitStrategy[] {WaitStrategy.busySpin(), WaitStrategy.yielding(),
                WaitStrategy.blocking(Duration.ZERO)}) {
            RpcWait wait = new RpcWait(strategy);
            assertSame(strategy, wait.portStrategy());
            assertEquals(0, wait.begin(), strategy.toString());
            assertFalse(RpcWait.idle(System.nanoTime(), wait.begin()), strategy.toString());
        }
    }

    @Test
    void shouldHalveTheBudgetAfterEveryWaitThatSleptDownToNone() {
        RpcWait wait = new RpcWait(WaitStrategy.blocking());
        long expected = BUDGET;
        while (expected >= RpcWait.MIN_BUDGET_NANOS) {
            assertEquals(expected, wait.begin());
            wait.end(false);
            expected /= 2;
        }
        assertEquals(0, wait.begin(), "below " + RpcWait.MIN_BUDGET_NANOS + " ns the wait sleeps at once");
    }

    @Test
    void shouldTryTheWholeBudgetOnceInAWhileAndKeepItWhenTheMessageCame() {
        RpcWait wait = new RpcWait(WaitStrategy.blocking());
        while (wait.budget() != 0) {
            wait.begin();
            wait.end(false);
        }
        int zeros = 0;
        while (wait.begin() == 0) {
            zeros++;
            wait.end(false);
        }
        assertEquals(RpcWait.PROBE_EVERY - 1, zeros, "waits that slept at once before a probe");
        wait.end(true); // the probe caught its message
        assertEquals(BUDGET, wait.begin());
        assertEquals(BUDGET, wait.budget());
    }

    @Test
    void shouldKeepYieldingWithinTheBudgetWhileOtherThreadsTakeTheCpus() throws Exception {
        // more runnable threads than CPUs: a yield runs others and comes back late, which must not
        // end the wait before its budget (the yields hand the CPU to the peer it waits for)
        int cpus = Runtime.getRuntime().availableProcessors();
        long budget = 1_000_000_000; // looked at for its first 200 ms only: a wide margin for a descheduled test thread
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<Thread> busy = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(2 * cpus, 16); i++) {
            busy.add(Thread.ofPlatform().daemon().start(() -> {
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            }));
        }
        try {
            Thread.sleep(20); // the busy threads are running
            long start = System.nanoTime();
            long idles = 0;
            while (System.nanoTime() - start < 200_000_000) {
                org.junit.jupiter.api.Assertions.assertTrue(RpcWait.idle(start, budget),
                        "idle ended after " + (System.nanoTime() - start) / 1000 + " µs of a " + budget / 1000 + " µs budget");
                idles++;
            }
            org.junit.jupiter.api.Assertions.assertTrue(idles > 0);
        } finally {
            stop.set(true);
            for (Thread thread : busy) {
                thread.join();
            }
        }
    }

    @Test
    void shouldStopIdlingOnceTheBudgetIsSpent() {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000) {
            RpcWait.idle(start, 1_000_000);
        }
        assertFalse(RpcWait.idle(start, 1_000_000), "a spent budget");
        assertFalse(RpcWait.idle(System.nanoTime(), 0), "no budget: sleep at once");
    }
}
