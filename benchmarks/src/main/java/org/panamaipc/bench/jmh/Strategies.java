package org.panamaipc.bench.jmh;

import org.panamaipc.channel.WaitStrategy;

/** The wait strategies the channel benchmarks take as a {@code @Param}, by the harness's names. */
final class Strategies {

    private Strategies() {
    }

    /**
     * {@return the strategy called {@code name}}: {@code spin} (busy spin; no endpoint may sleep,
     * so a send or receive never looks at the waiter counts) or {@code blocking} (spin, then sleep
     * on the futex; every commit and every head move then pays a full fence and a look at whether
     * a peer sleeps)
     */
    static WaitStrategy of(String name) {
        return switch (name) {
            case "spin" -> WaitStrategy.busySpin();
            case "blocking" -> WaitStrategy.blocking();
            default -> throw new IllegalArgumentException("strategy=" + name + " is not spin or blocking");
        };
    }
}
