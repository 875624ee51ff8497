package org.panamaipc.pipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.NotFoundException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.testkit.KernelSleep;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The life cycle of a named pipe, its three forms of open, read and write, closing and interrupts, in one JVM. */
@Timeout(60)
class NamedPipeTest {

    @TempDir
    Path dir;

    @Test
    void shouldCreateAFifoWithMode0600AndRefuseASecondCreate() throws Exception {
        Path path = dir.resolve("fifo");
        try (NamedPipe pipe = NamedPipe.create(path)) {
            assertTrue(pipe.created());
            assertEquals(0600, pipe.mode());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertTrue(Files.readAttributes(path, "unix:mode").get("mode") instanceof Integer m && (m & 0170000) == 0010000,
                    "a FIFO in the file system");
            AlreadyExistsException e = assertThrows(AlreadyExistsException.class, () -> NamedPipe.create(path));
            assertEquals("EEXIST", e.errnoName());
        }
    }

    @Test
    void shouldApplyTheModeExactlyWhateverTheUmask() throws Exception {
        // the umask (022 here) would take write away from group and others; 0666 must stay 0666
        Path path = dir.resolve("open-to-all");
        try (NamedPipe pipe = NamedPipe.create(path, 0666)) {
            assertEquals(0666, pipe.mode());
            assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        }
        assertThrows(IllegalArgumentException.class, () -> NamedPipe.create(dir.resolve("bad"), 01777));
    }

    @Test
    void shouldOpenAnExistingFifoAndRefuseAMissingOneOrAFileOfAnotherKind() throws Exception {
        Path path = dir.resolve("fifo");
        NamedPipe.create(path).close();
        try (NamedPipe pipe = NamedPipe.open(path)) {
            assertFalse(pipe.created());
        }
        assertThrows(NotFoundException.class, () -> NamedPipe.open(dir.resolve("missing")));
        Path file = Files.writeString(dir.resolve("file"), "not a pipe");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamedPipe.open(file));
        assertTrue(e.getMessage().contains("is not a FIFO"), e.getMessage());
        assertThrows(NotFoundException.class, () -> NamedPipe.create(dir.resolve("no-such-dir").resolve("fifo")));
    }

    @Test
    void shouldSayWhichOpenOrCreateDid() {
        Path path = dir.resolve("fifo");
        try (NamedPipe first = NamedPipe.openOrCreate(path); NamedPipe second = NamedPipe.openOrCreate(path)) {
            assertTrue(first.created());
            assertFalse(second.created());
        }
    }

    @Test
    void shouldUnlinkOnlyAFifo() throws Exception {
        Path path = dir.resolve("fifo");
        assertFalse(NamedPipe.exists(path));
        NamedPipe.create(path).close();
        assertTrue(NamedPipe.exists(path));
        NamedPipe.unlink(path);
        assertFalse(Files.exists(path));
        assertThrows(NotFoundException.class, () -> NamedPipe.unlink(path));
        assertFalse(NamedPipe.unlinkIfExists(path));

        Path file = Files.writeString(dir.resolve("file"), "keep me");
        assertFalse(NamedPipe.exists(file));
        assertThrows(IllegalArgumentException.class, () -> NamedPipe.unlinkIfExists(file));
        assertEquals("keep me", Files.readString(file), "a regular file is left alone");
    }

    @Test
    void shouldRefuseBadPathsAndNullsNamingTheParameter() throws Exception {
        assertThrows(InvalidNameException.class, () -> NamedPipe.create(Path.of("")));
        assertThrows(InvalidNameException.class, () -> NamedPipe.create(dir.resolve("x".repeat(5000))));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> NamedPipe.create(null));
        assertEquals("path", npe.getMessage());
        try (NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"))) {
            npe = assertThrows(NullPointerException.class, () -> pipe.openReader(null));
            assertEquals("timeout", npe.getMessage());
            try (PipeReader reader = pipe.tryOpenReader()) {
                npe = assertThrows(NullPointerException.class, () -> reader.read(null));
                assertEquals("dst", npe.getMessage());
            }
        }
    }

    @Test
    void shouldCarryBytesFromAWriterToAReaderAndThenEndTheStream() throws Exception {
        try (NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"));
             PipeReader reader = pipe.tryOpenReader()) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            assertEquals(0, reader.tryRead(buffer), "no writer has come: nothing, and not the end");
            try (PipeWriter writer = pipe.tryOpenWriter()) {
                assertNotNull(writer, "a reader is there, so the writer opens at once");
                assertEquals(5, writer.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))));
                ByteBuffer direct = ByteBuffer.allocateDirect(6).put(" world".getBytes(StandardCharsets.US_ASCII)).flip();
                assertEquals(6, writer.tryWrite(direct));
                assertEquals(6, direct.position());
            }
            assertEquals(11, reader.read(buffer));
            assertEquals("hello world", new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
            assertEquals(PipeReader.END_OF_STREAM, reader.read(buffer), "the only writer has gone");
            assertEquals(PipeReader.END_OF_STREAM, reader.tryRead(buffer));
        }
    }

    @Test
    void shouldTimeOutATimedOpenWithNobodyAtTheOtherEnd() throws Exception {
        try (NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"))) {
            long start = System.nanoTime();
            assertNull(pipe.openReader(Duration.ofMillis(300)), "no writer came");
            long readerWaited = System.nanoTime() - start;
            start = System.nanoTime();
            assertNull(pipe.openWriter(Duration.ofMillis(300)), "no reader came");
            long writerWaited = System.nanoTime() - start;
            assertNull(pipe.tryOpenWriter(), "O_NONBLOCK: no reader, ENXIO");
            assertNull(pipe.openWriter(Duration.ZERO), "zero is the try form");
            assertTrue(readerWaited >= TimeUnit.MILLISECONDS.toNanos(300), "waited " + readerWaited + " ns");
            assertTrue(writerWaited >= TimeUnit.MILLISECONDS.toNanos(300), "waited " + writerWaited + " ns");
            try (PipeReader reader = pipe.openReader(Duration.ZERO)) {
                assertNotNull(reader, "zero is the try form, which lets a reader in without a writer");
            }
        }
    }

    @Test
    void shouldOpenAWaitingReaderWhenAWriterComes() throws Exception {
        try (NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"))) {
            CompletableFuture<String> got = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().name("fifo-reader-1").start(() -> {
                try (PipeReader reader = pipe.openReader()) {
                    got.complete(new String(reader.inputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (Throwable t) {
                    got.completeExceptionally(t);
                }
            });
            KernelSleep.await(thread, KernelSleep.FIFO_OPEN);
            try (PipeWriter writer = pipe.openWriter(Duration.ofSeconds(10))) {
                assertNotNull(writer);
                writer.outputStream().write("through the kernel".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("through the kernel", got.get(20, TimeUnit.SECONDS));
            thread.join(10_000);
        }
    }

    @Test
    void shouldEndAnOpenBlockedWithNobodyAtTheOtherEndWhenInterrupted() throws Exception {
        try (NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"))) {
            Throwable thrown = blockThen("fifo-open-int", () -> pipe.openWriter(), Thread::interrupt);
            assertInstanceOf(InterruptedException.class, thrown);
            assertNull(pipe.tryOpenWriter(), "the interrupted open left no reader behind");
        }
    }

    @Test
    void shouldEndAnOpenBlockedWithNobodyAtTheOtherEndWhenThePipeIsClosed() throws Exception {
        NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"));
        Throwable thrown = blockThen("fifo-open-close", () -> pipe.openReader(), thread -> pipe.close());
        assertInstanceOf(IllegalStateException.class, thrown);
        assertTrue(thrown.getMessage().contains("was closed while waiting"), thrown.getMessage());
        assertThrows(IllegalStateException.class, pipe::tryOpenReader);
        pipe.close(); // a second close does nothing
    }

    @Test
    void shouldEndABlockedReadWhenTheReaderIsClosedOrTheThreadInterrupted() throws Exception {
        try (NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"))) {
            PipeReader reader = pipe.tryOpenReader();
            try (PipeWriter writer = pipe.tryOpenWriter()) {
                Throwable closed = blockThen("fifo-read-close", () -> reader.read(ByteBuffer.allocate(8)),
                        thread -> close(reader));
                assertInstanceOf(AsynchronousCloseException.class, closed);
                assertThrows(ClosedChannelException.class, () -> reader.read(ByteBuffer.allocate(8)));

                PipeReader second = pipe.tryOpenReader();
                Throwable interrupted = blockThen("fifo-read-int", () -> second.read(ByteBuffer.allocate(8)),
                        Thread::interrupt);
                assertInstanceOf(ClosedByInterruptException.class, interrupted);
                assertFalse(second.isOpen(), "an interrupt closes the channel, as for every InterruptibleChannel");
                assertNotNull(writer);
            }
        }
    }

    @Test
    void shouldWriteWhatFitsWhenTheFifoIsFull() throws Exception {
        try (NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"));
             PipeReader reader = pipe.tryOpenReader();
             PipeWriter writer = pipe.tryOpenWriter()) {
            ByteBuffer big = ByteBuffer.allocate(1 << 20);
            int first = writer.tryWrite(big);
            assertTrue(first > 0 && first < big.capacity(), "the kernel's buffer took " + first + " bytes");
            assertEquals(first, big.position());
            assertEquals(0, writer.tryWrite(big), "full: nothing fits now");
            long start = System.nanoTime();
            assertEquals(0, writer.write(big, Duration.ofMillis(100)), "still full after the timeout");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
            assertEquals(first, big.position(), "the position says what went");

            ByteBuffer drained = ByteBuffer.allocate(first);
            while (drained.hasRemaining()) {
                assertTrue(reader.read(drained, Duration.ofSeconds(5)) > 0);
            }
            assertEquals(0, reader.tryRead(ByteBuffer.allocate(8)), "drained, a writer still there: nothing now");
            assertEquals(0, reader.read(ByteBuffer.allocate(8), Duration.ofMillis(50)));
        }
    }

    @Test
    void shouldThrowPeerGoneWhenTheReaderHasGoneAndLive() throws Exception {
        try (NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"))) {
            PipeReader reader = pipe.tryOpenReader();
            try (PipeWriter writer = pipe.tryOpenWriter()) {
                reader.close();
                PeerGoneException e = assertThrows(PeerGoneException.class,
                        () -> writer.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
                assertTrue(e.getMessage().contains("no reader has it open any more (EPIPE)"), e.getMessage());
                assertThrows(PeerGoneException.class, () -> writer.tryWrite(ByteBuffer.wrap(new byte[] {1})));
                assertThrows(PeerGoneException.class,
                        () -> writer.outputStream().write(new byte[] {1}));
            }
        }
    }

    @Test
    void shouldOpenAWriterByPollingWhereTheSignalCannotBeUsed() throws Exception {
        try (NamedPipe pipe = NamedPipe.create(dir.resolve("fifo"))) {
            assertEquals(-1, pipe.openWriterPolling(Timeouts.deadline(TimeUnit.MILLISECONDS.toNanos(50))));
            CompletableFuture<Integer> fd = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().name("fifo-poll-open").start(() -> {
                try {
                    fd.complete(pipe.openWriterPolling(Timeouts.FOREVER));
                } catch (Throwable t) {
                    fd.completeExceptionally(t);
                }
            });
            Thread.sleep(30); // let it retry a few times, then a reader comes
            try (PipeReader reader = pipe.tryOpenReader();
                 PipeWriter writer = new PipeWriter(pipe.path(), fd.get(20, TimeUnit.SECONDS))) {
                writer.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer one = ByteBuffer.allocate(1);
                assertEquals(1, reader.read(one));
                assertArrayEquals(new byte[] {42}, one.array());
            }
            thread.join(10_000);
        }
    }

    @FunctionalInterface
    private interface Blocking {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Trigger {
        void fire(Thread blocked) throws Exception;
    }

    /** Runs {@code blocking} on a thread, waits until it sleeps in the kernel, fires {@code trigger}; {@return what it threw} */
    private static Throwable blockThen(String name, Blocking blocking, Trigger trigger) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                blocking.run();
                thrown.completeExceptionally(new AssertionError("returned instead of throwing"));
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        KernelSleep.await(thread, KernelSleep.FIFO_OPEN, KernelSleep.POLL);
        trigger.fire(thread);
        Throwable result = thrown.get(20, TimeUnit.SECONDS);
        thread.join(10_000);
        return result;
    }

    private static void close(PipeReader reader) {
        try {
            reader.close();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
