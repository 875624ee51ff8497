package org.panamaipc.attack.children.fuzz;

import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One hostile-segment case, all of it derived from its seed: a panama-ipc object (a ring channel,
 * or a mutex, semaphore, event or latch) is created and used a little, then attacked (fields set
 * to hostile values, bytes overwritten, records forged, the object truncated or extended as
 * {@code ftruncate} does), then used again through the handles that were open during the attack
 * and through fresh ones. {@link #run()} returns what the operations met.
 */
abstract class HostileCase {

    /** What a case did and met. */
    record Result(long seed, String target, List<String> mutations, Outcomes outcomes, long skipped) {
        boolean bad() {
            return outcomes.anyBad();
        }
    }

    final long seed;
    final SplittableRandom random;
    final String name;
    final List<String> mutations = new ArrayList<>();
    final Outcomes outcomes = new Outcomes();

    HostileCase(long seed, String label) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.name = TestNames.unique("atk-fuzz-" + label);
    }

    /** {@return the case for {@code seed}: the target is the seed's first choice} */
    static HostileCase of(long seed) {
        int pick = new SplittableRandom(seed).nextInt(10);
        return pick < 6 ? new ChannelCase(seed) : new PrimitiveCase(seed, pick - 6);
    }

    /** {@return the seed of case {@code index} of a run with seed {@code runSeed}} */
    static long caseSeed(long runSeed, long index) {
        long x = runSeed ^ 0x66757A7AL * 0x9E3779B97F4A7C15L;
        x += index * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    abstract String target();

    /** Sets up, attacks and uses the object; never throws (what it meets goes to the outcomes). */
    abstract void attack();

    Result run() {
        try {
            attack();
        } catch (Throwable t) {
            outcomes.wrong("case", "escaped the case's own handling: " + Outcomes.describe(t));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
        return new Result(seed, target(), mutations, outcomes, skipped());
    }

    long skipped() {
        return 0;
    }

    /**
     * Sets the object's size as {@code ftruncate} does (shorter, or longer with zeros), to a size
     * that matters: 0, within the header, one byte short, a random size, a page longer.
     */
    void truncate(long size) {
        long newSize = switch (random.nextInt(7)) {
            case 0 -> 0;
            case 1 -> random.nextLong(1, 128);
            case 2 -> size - 1;
            case 3 -> size - 8L * random.nextLong(1, 64);
            case 4 -> random.nextLong(1, size);
            case 5 -> size + 4096;
            default -> size + random.nextLong(1, 1 << 20);
        };
        newSize = Math.max(0, newSize);
        try (RandomAccessFile file = new RandomAccessFile("/dev/shm" + name, "rw")) {
            file.setLength(newSize);
            mutations.add("ftruncate to " + newSize + " (was " + size + ")");
        } catch (IOException e) {
            mutations.add("ftruncate to " + newSize + " failed: " + e);
        }
    }

    /** Closes {@code c}, sorting what it throws (closing must work after any attack). */
    void close(String what, AutoCloseable c) {
        if (c != null) {
            outcomes.run("close " + what, c::close);
        }
    }
}
