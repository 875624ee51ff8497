package org.panamaipc.channel;

import org.panamaipc.sync.Futex;

import java.lang.foreign.MemorySegment;

import static org.panamaipc.channel.ChannelMemory.INT;

/**
 * The sleeping half of the {@link WaitStrategy.Blocking} strategy, the same for both sides: count
 * yourself among the waiters (a full fence), look once more, then sleep on the signal word as it
 * was before you looked. A peer that makes progress after our look bumps the word, so the sleep
 * either does not start or is woken: no wake-up is lost.
 */
final class ChannelMemoryWait {

    /** What a sleeper looks at once more after announcing itself. */
    interface Ready {
        boolean ready();
    }

    private ChannelMemoryWait() {
    }

    static void sleep(Futex signal, MemorySegment body, long waitersOffset, Ready ready, long nanos)
            throws InterruptedException {
        int seen = signal.value();
        INT.getAndAdd(body, waitersOffset, 1);
        try {
            if (!ready.ready()) {
                signal.waitNanos(seen, nanos);
            }
        } finally {
            INT.getAndAdd(body, waitersOffset, -1);
        }
    }
}
