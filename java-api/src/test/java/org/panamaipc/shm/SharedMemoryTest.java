package org.panamaipc.shm;

import org.panamaipc.Access;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.NotFoundException;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SharedMemory} within one process; {@link SharedMemoryAcrossProcessesTest} does two. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(30)
class SharedMemoryTest {

    @Test
    void shouldCreateZeroFilledSegmentOfExactSize() {
        String name = TestNames.unique("create");
        try (SharedMemory shm = SharedMemory.create(name, 10_000)) {
            assertEquals(10_000, shm.size());
            assertEquals(10_000, shm.segment().byteSize());
            assertTrue(shm.created());
            assertEquals(name, shm.name());
            byte[] zeros = new byte[10_000];
            assertArrayEquals(zeros, shm.segment().toArray(ValueLayout.JAVA_BYTE));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldSeeWritesThroughASecondMapping() {
        String name = TestNames.unique("two-maps");
        try (SharedMemory a = SharedMemory.create(name, 4096); SharedMemory b = SharedMemory.open(name)) {
            a.segment().set(ValueLayout.JAVA_LONG, 4088, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, b.segment().get(ValueLayout.JAVA_LONG, 4088));
            assertFalse(b.created());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldCreateWithMode0600UnlessToldAndApplyTheModeExactly() throws IOException {
        String name = TestNames.unique("mode");
        String other = TestNames.unique("mode660");
        try (SharedMemory shm = SharedMemory.create(name, 4096); SharedMemory shared = SharedMemory.create(other, 4096, 0660)) {
            assertEquals("rw-------", permissions(name));
            assertEquals("rw-rw----", permissions(other));
        } finally {
            SharedMemory.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(other);
        }
    }

    @Test
    void shouldThrowOnOutOfBoundsInsteadOfCrashing() {
        String name = TestNames.unique("bounds");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            MemorySegment memory = shm.segment();
            assertThrows(IndexOutOfBoundsException.class, () -> memory.get(ValueLayout.JAVA_LONG, 4090));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.set(ValueLayout.JAVA_BYTE, 4096, (byte) 1));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.get(ValueLayout.JAVA_BYTE, -1));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldThrowOnAccessAfterClose() {
        String name = TestNames.unique("closed");
        try {
            SharedMemory shm = SharedMemory.create(name, 4096);
            MemorySegment memory = shm.segment();
            shm.close();
            shm.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> memory.get(ValueLayout.JAVA_INT, 0));
            IllegalStateException e = assertThrows(IllegalStateException.class, shm::segment);
            assertTrue(e.getMessage().contains(name + " is closed"), e.getMessage());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseWritesToAReadOnlyMapping() {
        String name = TestNames.unique("ro");
        try (SharedMemory rw = SharedMemory.create(name, 4096);
             SharedMemory ro = SharedMemory.open(name, Access.READ_ONLY)) {
            rw.segment().set(ValueLayout.JAVA_INT, 0, 7);
            assertEquals(7, ro.segment().get(ValueLayout.JAVA_INT, 0));
            assertTrue(ro.segment().isReadOnly());
            assertThrows(IllegalArgumentException.class, () -> ro.segment().set(ValueLayout.JAVA_INT, 0, 8));
            assertThrows(IllegalStateException.class, () -> ro.grow(8192));
            assertEquals(7, rw.segment().get(ValueLayout.JAVA_INT, 0));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldGrowKeepingContentAndLetOthersRemap() {
        String name = TestNames.unique("grow");
        try (SharedMemory a = SharedMemory.create(name, 4096); SharedMemory b = SharedMemory.open(name)) {
            a.segment().set(ValueLayout.JAVA_INT, 100, 42);
            MemorySegment old = a.segment();
            a.grow(3 * 4096);
            assertEquals(3 * 4096, a.size());
            assertEquals(42, a.segment().get(ValueLayout.JAVA_INT, 100));
            assertThrows(IllegalStateException.class, () -> old.get(ValueLayout.JAVA_INT, 0));
            a.segment().set(ValueLayout.JAVA_INT, 3 * 4096 - 4, 9);
            assertEquals(4096, b.size());
            assertEquals(3 * 4096, b.remap());
            assertEquals(9, b.segment().get(ValueLayout.JAVA_INT, 3 * 4096 - 4));
            assertThrows(IllegalArgumentException.class, () -> a.grow(4096));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldOpenOrCreate() {
        String name = TestNames.unique("ooc");
        try (SharedMemory first = SharedMemory.openOrCreate(name, 4096)) {
            assertTrue(first.created());
            first.segment().set(ValueLayout.JAVA_INT, 0, 5);
            try (SharedMemory second = SharedMemory.openOrCreate(name, 8192)) {
                assertFalse(second.created());
                assertEquals(8192, second.size(), "an existing smaller object grows to the size asked for");
                assertEquals(5, second.segment().get(ValueLayout.JAVA_INT, 0));
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldUnlinkAndReportExistence() {
        String name = TestNames.unique("unlink");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            assertTrue(SharedMemory.exists(name));
            shm.unlink();
            assertFalse(SharedMemory.exists(name));
            shm.segment().set(ValueLayout.JAVA_INT, 0, 1); // the mapping outlives the name
            assertThrows(NotFoundException.class, shm::unlink);
            assertFalse(SharedMemory.unlinkIfExists(name));
        }
    }

    @Test
    void shouldValidateArgumentsBeforeAnySystemCall() {
        InvalidNameException badName = assertThrows(InvalidNameException.class, () -> SharedMemory.create("orders", 4096));
        assertTrue(badName.getMessage().contains("must start with '/'"), badName.getMessage());
        IllegalArgumentException badSize = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.create(TestNames.unique("size"), 0));
        assertEquals("size=0 must be positive", badSize.getMessage());
        IllegalArgumentException badMode = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.create(TestNames.unique("m"), 4096, 04755));
        assertTrue(badMode.getMessage().startsWith("mode=04755"), badMode.getMessage());
    }

    @Test
    void shouldRefuseCreatingTwiceAndOpeningAnEmptyObject() throws IOException {
        String name = TestNames.unique("twice");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            assertThrows(AlreadyExistsException.class, () -> SharedMemory.create(name, 4096));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
        String empty = TestNames.unique("empty");
        Path file = Path.of("/dev/shm", empty.substring(1));
        Files.createFile(file); // what a creator that has not yet called ftruncate leaves
        try {
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> SharedMemory.open(empty));
            assertEquals(InvalidSegmentException.Reason.EMPTY, e.reason());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String permissions(String name) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/shm", name.substring(1))));
    }
}
