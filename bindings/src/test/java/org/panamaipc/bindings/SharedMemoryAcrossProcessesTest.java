package org.panamaipc.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.bindings.children.ChildSupport;
import org.panamaipc.bindings.children.SharedMemoryVerifier;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.bindings.children.ChildSupport.INT;
import static org.panamaipc.bindings.children.ChildSupport.checkCall;
import static org.panamaipc.bindings.children.ChildSupport.describe;
import static org.panamaipc.bindings.children.SharedMemoryVerifier.*;

/**
 * POSIX shared memory between two JVMs through the raw bindings: the parent creates, sizes and
 * maps an object and writes a pattern; a child JVM ({@link SharedMemoryVerifier}) opens it by name,
 * checks it with {@code fstat}, maps it, verifies every byte and writes a reply back.
 */
@ExtendWith(NoLeakedObjects.class)
class SharedMemoryAcrossProcessesTest {

    /** Longer than the child's own deadline, so the child's diagnostics come first. */
    private static final Duration CHILD_EXIT = ChildSupport.CHILD_DEADLINE.plusSeconds(15);

    @Test
    @Timeout(90)
    void shouldShowAnotherJvmEveryByteWrittenToASharedMappingAndSeeItsReply() {
        long size = PATTERN_SIZE + pageSize();
        long seed = ThreadLocalRandom.current().nextLong();
        String name = TestNames.unique("shm");
        try (SharedSegment shm = SharedSegment.create(name, size)) {
            MemorySegment mapping = shm.mapping();
            assertEquals(size, fstatSize(shm.fd()), "st_size after ftruncate");
            for (long i = 0; i < PATTERN_SIZE; i++) {
                mapping.set(ValueLayout.JAVA_BYTE, i, patternAt(seed, i));
            }
            long crc = patternCrc(mapping);
            assertEquals(0, (int) INT.getAcquire(mapping, REPLY_MARKER_OFFSET), "ftruncate zero-fills the reply");

            try (ChildProcess child = ChildProcess.java(SharedMemoryVerifier.class,
                    name, Long.toString(size), Long.toString(seed))) {
                child.assertSuccess(CHILD_EXIT);
                assertEquals(VERIFIED, (int) INT.getAcquire(mapping, REPLY_MARKER_OFFSET), child::output);
                assertEquals(child.pid(), mapping.get(ValueLayout.JAVA_INT, REPLY_PID_OFFSET), "the reply's pid");
                assertEquals(crc, mapping.get(ValueLayout.JAVA_LONG, REPLY_CRC_OFFSET), "the CRC-32 the child read");
                assertEquals(PATTERN_SIZE, mapping.get(ValueLayout.JAVA_LONG, REPLY_VERIFIED_OFFSET), "bytes verified");
            }
            assertEquals(crc, patternCrc(mapping), "the pattern after the child is gone");
        }
        assertUnlinked(name);
    }

    @Test
    @Timeout(90)
    void shouldMakeTheChildReportTheOneByteThatDiffers() {
        long size = PATTERN_SIZE + pageSize();
        long seed = ThreadLocalRandom.current().nextLong();
        long changed = 40_000;
        String name = TestNames.unique("shm-bad");
        try (SharedSegment shm = SharedSegment.create(name, size)) {
            MemorySegment mapping = shm.mapping();
            for (long i = 0; i < PATTERN_SIZE; i++) {
                mapping.set(ValueLayout.JAVA_BYTE, i, patternAt(seed, i));
            }
            mapping.set(ValueLayout.JAVA_BYTE, changed, (byte) ~patternAt(seed, changed));

            try (ChildProcess child = ChildProcess.java(SharedMemoryVerifier.class,
                    name, Long.toString(size), Long.toString(seed))) {
                assertEquals(ChildSupport.EXIT_MISMATCH, child.waitFor(CHILD_EXIT), child::output);
                assertTrue(child.output().contains("1 of " + PATTERN_SIZE + " bytes differ, the first at offset " + changed),
                        child::output);
                assertEquals(0, (int) INT.getAcquire(mapping, REPLY_MARKER_OFFSET), "no reply after a mismatch");
            }
        }
        assertUnlinked(name);
    }

    @Test
    @Timeout(30)
    void shouldRefuseToCreateAnObjectThatExistsAlready() {
        String name = TestNames.unique("shm-excl");
        try (SharedSegment shm = SharedSegment.create(name, pageSize())) {
            int fd = mman_h.shm_open(shm.cName(), fcntl_h.O_CREAT() | fcntl_h.O_EXCL() | fcntl_h.O_RDWR(),
                    stat_h.S_IRUSR() | stat_h.S_IWUSR());
            int errno = errno_h.errno();
            if (fd != -1) {
                unistd_h.close(fd);
            }
            assertEquals(-1, fd, "second shm_open with O_EXCL");
            assertEquals(errno_h.EEXIST(), errno, describe(errno));
        }
        assertUnlinked(name);
    }

    private static long pageSize() {
        return checkCall("sysconf(_SC_PAGESIZE)", unistd_h.sysconf(unistd_h._SC_PAGESIZE()));
    }

    private static long fstatSize(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            checkCall("fstat", stat_h.fstat(fd, st));
            return stat.st_size(st);
        }
    }

    /** Asserts that opening {@code name} without {@code O_CREAT} fails with ENOENT. */
    static void assertUnlinked(String name) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = mman_h.shm_open(arena.allocateFrom(name), fcntl_h.O_RDWR(), 0);
            int errno = errno_h.errno();
            if (fd != -1) {
                unistd_h.close(fd);
            }
            assertEquals(-1, fd, name + " still exists");
            assertEquals(errno_h.ENOENT(), errno, describe(errno));
        }
    }
}
