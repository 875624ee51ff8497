package org.panamaipc.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.LimitReachedException;
import org.panamaipc.PermissionDeniedException;
import org.panamaipc.testkit.OpenDescriptors;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared memory without a name: memfd, sized, mapped, sealed; nothing in /dev/shm, nothing left behind. */
@Timeout(60)
class AnonymousMemoryTest {

    @Test
    void shouldCreateZeroedWritableMemorySealedAgainstShrinkingAndGrowing() {
        try (SharedMemory memory = SharedMemory.anonymous(3 * 4096 + 5)) {
            assertEquals(3 * 4096 + 5, memory.size());
            assertTrue(memory.isAnonymous());
            assertTrue(memory.created());
            assertEquals("memfd:pipc-anonymous", memory.name());
            assertEquals(EnumSet.of(Seal.SHRINK, Seal.GROW), memory.seals());
            MemorySegment segment = memory.segment();
            assertEquals(0L, segment.get(ValueLayout.JAVA_LONG, 4096));
            segment.set(ValueLayout.JAVA_LONG, 4096, -1L);
            assertEquals(-1L, segment.get(ValueLayout.JAVA_LONG, 4096));
            assertTrue(OpenDescriptors.list().stream().anyMatch(fd -> fd.endsWith(" -> /memfd:pipc-anonymous (deleted)")),
                    "a memfd, which no name in any file system leads to: " + OpenDescriptors.list());
            assertTrue(devShm().stream().noneMatch(name -> name.contains("pipc-anonymous")), "nothing in /dev/shm");
        }
    }

    @Test
    void shouldRefuseToGrowWhenSealedAndToUnlinkAlways() {
        try (SharedMemory memory = SharedMemory.anonymous(4096)) {
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> memory.grow(8192));
            assertEquals("EPERM", e.errnoName(), e.getMessage());
            IllegalStateException unlink = assertThrows(IllegalStateException.class, memory::unlink);
            assertTrue(unlink.getMessage().contains("is anonymous: it has no name to unlink"), unlink.getMessage());
        }
        try (SharedMemory unsealed = SharedMemory.anonymous(4096, Set.of())) {
            assertEquals(Set.of(), unsealed.seals());
            unsealed.grow(8192);
            assertEquals(8192, unsealed.size());
        }
    }

    @Test
    void shouldAddTheSealsAskedFor() {
        try (SharedMemory memory = SharedMemory.anonymous(4096, EnumSet.of(Seal.SEAL, Seal.GROW, Seal.FUTURE_WRITE))) {
            assertEquals(EnumSet.of(Seal.SEAL, Seal.GROW, Seal.FUTURE_WRITE), memory.seals());
            memory.segment().set(ValueLayout.JAVA_INT, 0, 1); // FUTURE_WRITE: this mapping stays writable
        }
    }

    @Test
    void shouldReserveEveryByteAtCreationSoATooLargeSizeFailsThereNotWithSigbusLater() throws IOException {
        // 64 TiB: more than any machine here has; sized only, the first touch past the free memory
        // would raise SIGBUS and kill the JVM
        LimitReachedException e = assertThrows(LimitReachedException.class, () -> SharedMemory.anonymous(1L << 46));
        assertTrue(e.getMessage().contains("anonymous"), e.getMessage());
        try (SharedMemory memory = SharedMemory.anonymous(8 << 20)) {
            // the pages are allocated now: the memfd's blocks (st_blocks, through stat -L) cover the size
            String fd = "/proc/" + ProcessHandle.current().pid() + "/fd/" + memory.descriptor();
            Process stat = new ProcessBuilder("stat", "-L", "-c", "%b %B", fd).redirectErrorStream(true).start();
            String[] out = new String(stat.getInputStream().readAllBytes()).strip().split(" ");
            assertTrue(waitFor(stat), "stat ended");
            assertEquals(8L << 20, Long.parseLong(out[0]) * Long.parseLong(out[1]), String.join(" ", out));
        }
    }

    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void shouldRefuseWhatCannotBeDone() {
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.anonymous(0));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.anonymous(-1, Set.of()));
        IllegalArgumentException write = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.anonymous(4096, EnumSet.of(Seal.WRITE)));
        assertTrue(write.getMessage().startsWith("seals=[WRITE]"), write.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> SharedMemory.anonymous(4096, null));
        assertEquals("seals", npe.getMessage());
    }

    @Test
    void shouldReleaseItsDescriptorOnClose() {
        int before = OpenDescriptors.count();
        SharedMemory memory = SharedMemory.anonymous(1 << 20);
        assertEquals(before + 1, OpenDescriptors.count());
        memory.close();
        memory.close();
        assertEquals(before, OpenDescriptors.count());
        assertThrows(IllegalStateException.class, memory::seals);
    }

    private static List<String> devShm() {
        try (Stream<Path> entries = Files.list(Path.of("/dev/shm"))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
