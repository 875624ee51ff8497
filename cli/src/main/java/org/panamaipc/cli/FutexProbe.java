package org.panamaipc.cli;

import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;

import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * The child JVM of {@code ipc doctor}'s futex check: maps the segment named by its argument,
 * waits on the futex word at offset {@value #WORD_OFFSET} while it holds 0, records
 * {@link System#nanoTime()} at {@value #WOKEN_AT_OFFSET} once woken, prints how the wait ended,
 * and exits with 0 if it was {@link Futex.WaitResult#WOKEN woken}, 1 otherwise.
 */
public final class FutexProbe {

    /** The offset of the futex word the probe waits on. */
    public static final long WORD_OFFSET = 0;

    /** The offset of the {@code long} where the probe stores {@link System#nanoTime()} after waking. */
    public static final long WOKEN_AT_OFFSET = 8;

    /** The size of the segment the probe maps. */
    public static final long SEGMENT_SIZE = 64;

    /** How long the probe waits to be woken. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private FutexProbe() {
    }

    /** Runs the probe on the segment named {@code args[0]}. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: FutexProbe SEGMENT_NAME");
            System.exit(2);
        }
        Futex.WaitResult result;
        try (SharedMemory shm = SharedMemory.open(args[0])) {
            result = Futex.of(shm.segment(), WORD_OFFSET).wait(0, TIMEOUT);
            shm.segment().set(ValueLayout.JAVA_LONG, WOKEN_AT_OFFSET, System.nanoTime());
        }
        System.out.println("futex wait ended: " + result);
        System.exit(result == Futex.WaitResult.WOKEN ? 0 : 1);
    }
}
