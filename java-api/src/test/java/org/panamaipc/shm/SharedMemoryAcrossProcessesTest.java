package org.panamaipc.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.ShmChild;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A segment written by this JVM is read, checked and answered by another JVM. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class SharedMemoryAcrossProcessesTest {

    @Test
    void shouldExchangeDataWithAnotherJvm() {
        checkAcross(1L << 20, 0, 16_384, 1L << 20 - 8);
    }

    @Test
    void shouldShareASegmentLargerThan2GiB() throws IOException {
        long size = 3L << 30; // reserved at create: 3 GiB of /dev/shm while the test runs
        assumeTrue(Files.getFileStore(Path.of("/dev/shm")).getUsableSpace() > size + (1L << 30),
                "/dev/shm has less than 4 GiB free");
        long farEnd = size - 4096;
        checkAcross(size, farEnd - 1024 * Long.BYTES, 1024, size - Long.BYTES);
    }

    private static void checkAcross(long size, long offset, int count, long replyOffset) {
        String name = TestNames.unique("across");
        long seed = System.nanoTime();
        try (SharedMemory shm = SharedMemory.create(name, size)) {
            MemorySegment memory = shm.segment();
            long sum = 0;
            for (int i = 0; i < count; i++) {
                long value = ShmChild.pattern(seed, i);
                memory.set(ValueLayout.JAVA_LONG, offset + (long) i * Long.BYTES, value);
                sum += value;
            }
            try (ChildProcess child = ChildProcess.java(ShmChild.class, "verify", name, Long.toString(offset),
                    Long.toString(seed), Integer.toString(count), Long.toString(replyOffset))) {
                child.assertSuccess(Duration.ofSeconds(60));
            }
            assertEquals(sum + 1, memory.get(ValueLayout.JAVA_LONG, replyOffset), "the child's reply");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }
}
