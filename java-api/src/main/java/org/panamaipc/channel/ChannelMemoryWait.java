package org.panamaipc.channel;

import org.panamaipc.sync.Futex;

import java.lang.foreign.MemorySegment;

import static org.panamaipc.channel.ChannelMemory.INT;

/**
 * The sleeping half of the {@link WaitStrategy.Blocking} strategy, the same for both sides: count
 * yourself among the waiters (a full fence), mark your slot as sleeping, look once more, then sleep
 * on the signal word as it was before you looked. A peer that makes progress (or leaves) after our
 * look bumps the word, so the sleep either does not start or is woken: no wake-up is lost. The
 * slot's mark lets whoever retires the slot of an endpoint killed asleep take its count off again.
 */
final class ChannelMemoryWait {

    /** What a sleeper looks at once more after announcing itself. */
    interface Ready {
        /** {@return whether there is something to do instead of sleeping: progress, or a peer that left} */
        boolean ready();
    }

    private ChannelMemoryWait() {
    }

    static void sleep(Futex signal, MemorySegment body, long waitersOffset, long sleepingOffset, Ready ready, long nanos)
            throws InterruptedException {
        int seen = signal.value();
        INT.getAndAdd(body, waitersOffset, 1);
        INT.setOpaque(body, sleepingOffset, 1);
        try {
            if (!ready.ready()) {
                signal.waitNanos(seen, nanos);
            }
        } finally {
            INT.setOpaque(body, sleepingOffset, 0);
            INT.getAndAdd(body, waitersOffset, -1);
        }
    }
}
