package org.panamaipc.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.process.ProcessId;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.testkit.KernelWaits;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.shm.SegmentHeaderDescriptor.*;

/** Opening refuses every kind of bad header with the specific reason, naming expected and found values. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class IpcSegmentTest {

    @Test
    void shouldWriteAndReadTheHeader() {
        String name = TestNames.unique("header");
        try (IpcSegment created = IpcSegment.create(name, SegmentKind.LATCH, 256, 0600,
                body -> body.set(ValueLayout.JAVA_INT, 0, 77));
             IpcSegment opened = IpcSegment.open(name, SegmentKind.LATCH, 64)) {
            assertEquals(256, opened.body().byteSize());
            assertEquals(77, opened.body().get(ValueLayout.JAVA_INT, 0));
            assertEquals(ProcessId.current(), opened.creator());
            assertTrue(Math.abs(System.currentTimeMillis() - opened.creationTimeMillis()) < 60_000);
            assertEquals(SegmentKind.LATCH, opened.kind());
            assertEquals(READY, created.memory().segment().get(ValueLayout.JAVA_INT, READY_OFFSET));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseABodyTooLargeForAnySystemWithoutOverflowing() {
        // HEADER_SIZE + Long.MAX_VALUE used to wrap to a negative size: IllegalArgumentException size=-9223372036854775681
        String name = TestNames.unique("huge-body");
        try {
            assertThrows(org.panamaipc.LimitReachedException.class,
                    () -> IpcSegment.create(name, SegmentKind.MUTEX, Long.MAX_VALUE, 0600, body -> { }).close());
            assertFalse(SharedMemory.exists(name), "a refused create leaves no object");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseANegativeMinimumBodySize() {
        // a negative minBodySize used to be accepted, as if it were 0
        String name = TestNames.unique("min-body");
        try (IpcSegment created = IpcSegment.create(name, SegmentKind.MUTEX, 64, 0600, body -> { })) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IpcSegment.open(name, SegmentKind.MUTEX, -1).close());
            assertTrue(e.getMessage().contains("minBodySize=-1"), e.getMessage());
            IllegalArgumentException timed = assertThrows(IllegalArgumentException.class,
                    () -> IpcSegment.open(name, SegmentKind.MUTEX, -1, Duration.ofSeconds(1)).close());
            assertTrue(timed.getMessage().contains("minBodySize=-1"), timed.getMessage());
            IllegalArgumentException validated = assertThrows(IllegalArgumentException.class,
                    () -> IpcSegment.validate(name, created.memory().segment(), SegmentKind.MUTEX, -1));
            assertTrue(validated.getMessage().contains("minBodySize=-1"), validated.getMessage());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRejectAWrongMagic() {
        InvalidSegmentException e = corrupt(all -> all.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, 0x1234L));
        assertEquals(InvalidSegmentException.Reason.BAD_MAGIC, e.reason());
        assertTrue(e.getMessage().contains("its magic is 0x1234, expected 0x4350495f414d4e50"), e.getMessage());
    }

    @Test
    void shouldRejectAWrongVersion() {
        InvalidSegmentException e = corrupt(all -> all.set(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET, 9));
        assertEquals(InvalidSegmentException.Reason.WRONG_VERSION, e.reason());
        assertTrue(e.getMessage().contains("its MUTEX layout version is 9, this code reads version 1"), e.getMessage());
    }

    @Test
    void shouldRejectAWrongOrUnknownKind() {
        InvalidSegmentException e = corrupt(all -> all.set(ValueLayout.JAVA_INT, KIND_OFFSET, 2));
        assertEquals(InvalidSegmentException.Reason.WRONG_KIND, e.reason());
        assertTrue(e.getMessage().contains("it holds SEMAPHORE (kind 2), expected MUTEX (kind 1)"), e.getMessage());
        InvalidSegmentException unknown = corrupt(all -> all.set(ValueLayout.JAVA_INT, KIND_OFFSET, 99));
        assertTrue(unknown.getMessage().contains("unknown kind 99"), unknown.getMessage());
    }

    @Test
    void shouldRejectInconsistentSizesAndUnknownFlags() {
        InvalidSegmentException body = corrupt(all -> all.set(ValueLayout.JAVA_LONG, BODY_SIZE_OFFSET, 1L << 40));
        assertEquals(InvalidSegmentException.Reason.CORRUPT, body.reason());
        InvalidSegmentException header = corrupt(all -> all.set(ValueLayout.JAVA_LONG, HEADER_SIZE_OFFSET, 8L));
        assertEquals(InvalidSegmentException.Reason.CORRUPT, header.reason());
        InvalidSegmentException flags = corrupt(all -> all.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, 0x10));
        assertEquals(InvalidSegmentException.Reason.CORRUPT, flags.reason());
        InvalidSegmentException ready = corrupt(all -> all.set(ValueLayout.JAVA_INT, READY_OFFSET, 5));
        assertEquals(InvalidSegmentException.Reason.CORRUPT, ready.reason());
        InvalidSegmentException total = corrupt(all -> all.set(ValueLayout.JAVA_LONG, TOTAL_SIZE_OFFSET, 1L << 20));
        assertEquals(InvalidSegmentException.Reason.TRUNCATED, total.reason());
        assertTrue(total.getMessage().contains("its header says 1048576 bytes but the object has only 192"),
                total.getMessage());
    }

    @Test
    void shouldRejectATruncatedObject() throws IOException {
        String name = TestNames.unique("truncated");
        try {
            IpcMutex.create(name).close();
            truncate(name, HEADER_SIZE + 16);
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> IpcMutex.open(name));
            assertEquals(InvalidSegmentException.Reason.TRUNCATED, e.reason());
            assertTrue(e.getMessage().contains("its header says 192 bytes but the object has only 144"), e.getMessage());
            truncate(name, 100);
            InvalidSegmentException tiny = assertThrows(InvalidSegmentException.class, () -> IpcMutex.open(name));
            assertEquals(InvalidSegmentException.Reason.TRUNCATED, tiny.reason());
            assertTrue(tiny.getMessage().contains("its size 100 is smaller than the 128-byte header"), tiny.getMessage());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldGiveUpOnASegmentNeverMarkedReady() {
        String name = TestNames.unique("never-ready");
        try (SharedMemory raw = SharedMemory.create(name, HEADER_SIZE + 64)) {
            long start = System.nanoTime();
            IpcTimeoutException e = assertThrows(IpcTimeoutException.class,
                    () -> IpcSegment.open(name, SegmentKind.MUTEX, 64, Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(200).toNanos());
            assertTrue(e.getMessage().contains("not marked ready within PT0.2S"), e.getMessage());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldGiveUpAtOnceWhenTheCreatorDiedBeforeReady() throws Exception {
        String name = TestNames.unique("creator-died");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (SharedMemory raw = SharedMemory.create(name, HEADER_SIZE + 64)) {
            raw.segment().set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
            raw.segment().set(ValueLayout.JAVA_INT, CREATOR_PID_OFFSET, (int) gone.pid());
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class,
                    () -> IpcSegment.open(name, SegmentKind.MUTEX, 64, Duration.ofSeconds(30)));
            assertEquals(InvalidSegmentException.Reason.NOT_READY, e.reason());
            assertTrue(e.getMessage().contains("its creator, pid " + gone.pid() + ", died before marking it ready"),
                    e.getMessage());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWaitForACreatorThatFinishesLate() throws Exception {
        String name = TestNames.unique("late");
        try (SharedMemory raw = SharedMemory.create(name, HEADER_SIZE + 64)) {
            Opener opener = Opener.start("seg-late", name);
            KernelWaits.awaitFutexWait(opener.thread()); // blocked on the ready word before it is set
            assertFalse(opener.result().isDone(), "the opener waits while the segment is not ready");

            markReady(raw.segment());

            try (IpcSegment opened = opener.segment()) {
                assertEquals(64, opened.body().byteSize());
                assertFalse(opened.created());
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /**
     * A creator between {@code shm_open} and sizing the object: an opener (an {@code openOrCreate}
     * that lost the race to create, say) used to fail at once with EMPTY; it waits for the creator
     * like for a segment not yet ready.
     */
    @Test
    void shouldWaitForACreatorThatHasNotSizedTheObjectYet() throws Exception {
        String name = TestNames.unique("unsized");
        Path file = Path.of("/dev/shm", name.substring(1));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            Opener opener = Opener.start("seg-unsized", name);
            KernelWaits.awaitFutexWait(opener.thread()); // sleeping between two looks at the empty object
            assertFalse(opener.result().isDone(), "the opener waits while the object is empty: " + opener.result());

            channel.write(ByteBuffer.allocate(1), HEADER_SIZE + 63); // sized as a creator sizes it

            try (SharedMemory raw = SharedMemory.open(name)) {
                markReady(raw.segment());
            }

            try (IpcSegment opened = opener.segment()) {
                assertEquals(64, opened.body().byteSize());
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static void markReady(MemorySegment all) {
        all.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        all.set(ValueLayout.JAVA_INT, KIND_OFFSET, SegmentKind.MUTEX.code());
        all.set(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET, SegmentKind.MUTEX.layoutVersion());
        all.set(ValueLayout.JAVA_LONG, TOTAL_SIZE_OFFSET, HEADER_SIZE + 64);
        all.set(ValueLayout.JAVA_LONG, HEADER_SIZE_OFFSET, HEADER_SIZE);
        all.set(ValueLayout.JAVA_LONG, BODY_SIZE_OFFSET, 64);
        Futex ready = Futex.of(all, READY_OFFSET);
        ready.setRelease(READY);
        ready.wakeAll();
    }

    /** A platform thread that opens a MUTEX segment with a long ready timeout. */
    private record Opener(Thread thread, CompletableFuture<IpcSegment> result) {
        static Opener start(String threadName, String name) {
            CompletableFuture<IpcSegment> result = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().name(threadName).start(() -> {
                try {
                    result.complete(IpcSegment.open(name, SegmentKind.MUTEX, 64, Duration.ofSeconds(30)));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            return new Opener(thread, result);
        }

        IpcSegment segment() throws Exception {
            try {
                return result.get(20, TimeUnit.SECONDS);
            } finally {
                thread.join(20_000);
            }
        }
    }

    private static InvalidSegmentException corrupt(Consumer<java.lang.foreign.MemorySegment> damage) {
        String name = TestNames.unique("corrupt");
        try (IpcMutex mutex = IpcMutex.create(name); SharedMemory raw = SharedMemory.open(name)) {
            damage.accept(raw.segment());
            return assertThrows(InvalidSegmentException.class, () -> IpcMutex.open(name));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static void truncate(String name, long size) throws IOException {
        try (FileChannel file = FileChannel.open(Path.of("/dev/shm", name.substring(1)), StandardOpenOption.WRITE)) {
            file.truncate(size);
        }
    }
}
