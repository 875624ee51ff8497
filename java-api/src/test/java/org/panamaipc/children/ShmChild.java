package org.panamaipc.children;

import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Child JVM for shared-memory tests: {@code verify NAME OFFSET SEED COUNT REPLY_OFFSET} opens the
 * segment, checks {@code COUNT} longs written from {@code SEED} at {@code OFFSET}, and writes their
 * sum plus one at {@code REPLY_OFFSET}. Exit 0 on success, 2 on a mismatch.
 */
public final class ShmChild {

    private ShmChild() {
    }

    public static void main(String[] args) {
        String name = args[1];
        long offset = Long.parseLong(args[2]);
        long seed = Long.parseLong(args[3]);
        int count = Integer.parseInt(args[4]);
        long replyOffset = Long.parseLong(args[5]);
        try (SharedMemory shm = SharedMemory.open(name)) {
            MemorySegment memory = shm.segment();
            System.out.println("mapped " + shm);
            long sum = 0;
            for (int i = 0; i < count; i++) {
                long expected = pattern(seed, i);
                long found = memory.get(ValueLayout.JAVA_LONG, offset + (long) i * Long.BYTES);
                if (found != expected) {
                    System.out.println("mismatch at " + i + ": expected " + expected + ", found " + found);
                    System.exit(2);
                }
                sum += found;
            }
            memory.set(ValueLayout.JAVA_LONG, replyOffset, sum + 1);
            System.out.println("verified " + count + " values, replied " + (sum + 1));
        }
    }

    /** The value at index {@code i} of the pattern both sides compute. */
    public static long pattern(long seed, int i) {
        long x = seed + i * 0x9E3779B97F4A7C15L;
        x ^= x >>> 31;
        return x * 0xBF58476D1CE4E5B9L;
    }
}
