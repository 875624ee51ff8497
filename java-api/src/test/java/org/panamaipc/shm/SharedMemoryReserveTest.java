package org.panamaipc.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.LimitReachedException;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared memory is reserved in {@code /dev/shm} when it is created or grown, so that a full
 * {@code /dev/shm} is a {@link LimitReachedException} then, never a {@code SIGBUS} at the first
 * touch of a page that has no room. Regression cases for issue 10, defect 8.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class SharedMemoryReserveTest {

    /** 64 TiB: far more than any /dev/shm of a test machine. */
    private static final long HUGE = 1L << 46;

    @Test
    void shouldRefuseToCreateMoreThanDevShmHolds() {
        String name = TestNames.unique("reserve-create");
        try {
            LimitReachedException e = assertThrows(LimitReachedException.class, () -> SharedMemory.create(name, HUGE).close());
            assertLimitMessage(e);
            assertFalse(SharedMemory.exists(name), "nothing is left behind");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseToGrowBeyondDevShmAndKeepTheMapping() throws IOException {
        String name = TestNames.unique("reserve-grow");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            shm.segment().set(ValueLayout.JAVA_LONG, 0, 42L);
            LimitReachedException e = assertThrows(LimitReachedException.class, () -> shm.grow(HUGE));
            assertLimitMessage(e);
            assertEquals(4096, shm.size());
            assertEquals(42L, shm.segment().get(ValueLayout.JAVA_LONG, 0));
            assertEquals(4096, Files.size(Path.of("/dev/shm" + name)), "the object keeps its size");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseToGrowAnExistingObjectInOpenOrCreate() throws IOException {
        String name = TestNames.unique("reserve-ooc");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            LimitReachedException e = assertThrows(LimitReachedException.class,
                    () -> SharedMemory.openOrCreate(name, HUGE).close());
            assertLimitMessage(e);
            assertEquals(4096, Files.size(Path.of("/dev/shm" + name)));
            assertTrue(SharedMemory.exists(name), "the existing object stays");
            assertEquals(4096, shm.size());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldReserveEveryPageAtCreateAndGrow() throws Exception {
        String name = TestNames.unique("reserve-pages");
        long size = 8L << 20;
        try (SharedMemory shm = SharedMemory.create(name, size)) {
            assertEquals(size, allocatedBytes(name), "every page is allocated before it is touched");
            shm.grow(2 * size);
            assertEquals(2 * size, allocatedBytes(name));
            assertEquals(0L, shm.segment().get(ValueLayout.JAVA_LONG, 2 * size - 8), "reserved pages read as zero");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
        String grown = TestNames.unique("reserve-ooc-pages");
        try (SharedMemory small = SharedMemory.create(grown, 4096);
             SharedMemory large = SharedMemory.openOrCreate(grown, size)) {
            assertFalse(large.created());
            assertEquals(size, allocatedBytes(grown), "openOrCreate reserves what it grows");
            assertEquals(4096, small.size());
        } finally {
            SharedMemory.unlinkIfExists(grown);
        }
    }

    private static void assertLimitMessage(LimitReachedException e) {
        assertTrue(e.limit().contains("/dev/shm"), e.getMessage());
        assertTrue(e.currentValue() != null && e.currentValue().contains("bytes"), "says /dev/shm's size: " + e.getMessage());
        assertTrue(e.howToRaise().contains("size="), "says how to raise it: " + e.getMessage());
    }

    /** {@return the bytes the object has allocated in /dev/shm (st_blocks), from stat(1)} */
    private static long allocatedBytes(String name) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", "/dev/shm" + name).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes()).strip();
        assertTrue(stat.waitFor(10, TimeUnit.SECONDS));
        String[] fields = out.split(" ");
        return Long.parseLong(fields[0]) * Long.parseLong(fields[1]);
    }
}
