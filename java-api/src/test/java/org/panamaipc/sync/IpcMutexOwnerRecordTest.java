package org.panamaipc.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The owner record of an {@link IpcMutex} (owner pid and start time, written by each new holder)
 * is read by waiters to tell a dead owner from a live one. A waiter must never pair one holder's
 * pid with another holder's start time: with that pair, a live holder looks dead (its start time
 * "does not match") and its mutex is taken over. Regression case for issue 10, defect 9.
 */
@Timeout(60)
class IpcMutexOwnerRecordTest {

    private static final int PID_A = 1111;
    private static final long START_A = 100;
    private static final int PID_B = 2222;
    private static final long START_B = 200;

    @Test
    void shouldNeverPairOneOwnersPidWithAnothersStartTime() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment region = arena.allocate(MutexDescriptor.SIZE, 64);
            IpcMutex.recordOwner(region, PID_A, START_A);
            AtomicBoolean stop = new AtomicBoolean();
            // the holders hand over as fast as they can: A, B, A, B, ... (the word is not needed here)
            Thread handOver = new Thread(() -> {
                for (long i = 0; !stop.get(); i++) {
                    if ((i & 1) == 0) {
                        IpcMutex.recordOwner(region, PID_B, START_B);
                    } else {
                        IpcMutex.recordOwner(region, PID_A, START_A);
                    }
                }
            });
            handOver.start();
            long torn = 0;
            long readsOfA = 0;
            long deadline = System.nanoTime() + 2_000_000_000L;
            try {
                while (System.nanoTime() - deadline < 0 && torn == 0) {
                    for (int i = 0; i < 10_000; i++) {
                        long a = IpcMutex.recordedStartTime(region, PID_A);
                        long b = IpcMutex.recordedStartTime(region, PID_B);
                        if (a != 0 && a != START_A || b != 0 && b != START_B) {
                            torn++;
                        }
                        if (a == START_A) {
                            readsOfA++;
                        }
                    }
                }
            } finally {
                stop.set(true);
                handOver.join();
            }
            assertEquals(0, torn, "reads that paired one owner's pid with the other's start time");
            assertTrue(readsOfA > 0, "the reader saw a consistent record at all");
        }
    }
}
