package org.panamaipc.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panamaipc.Outcome;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHandler;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.pipe.NamedPipe;
import org.panamaipc.pipe.PipeReader;
import org.panamaipc.pipe.PipeWriter;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.EventCounter;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.testkit.TestNames;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code java} snippets of README.md, run as the README writes them (with unique names in
 * place of its examples, and the halves it gives to two processes run one after the other), and
 * the outcome the README's comments promise asserted. The snippets that need a second process to
 * connect or wait (descriptor passing, peer credentials) are compiled by
 * {@link ReadmeSnippetsCompileOnly}.
 */
@Timeout(60)
class ReadmeSnippetsTest {

    @Test
    void sharedMemorySnippet() throws IOException {
        String name = TestNames.unique("readme-orders");
        try {
            try (SharedMemory shm = SharedMemory.create(name, 1 << 20)) {   // 1 MiB, zero-filled, mode 0600
                assertEquals(0L, shm.segment().get(ValueLayout.JAVA_LONG, (1 << 20) - 8), "zero-filled");
                shm.segment().set(ValueLayout.JAVA_LONG, 0, 42L);
                assertThrows(IndexOutOfBoundsException.class,
                        () -> shm.segment().set(ValueLayout.JAVA_LONG, 1 << 20, 1L), "a stray offset throws");
                assertEquals("rw-------", PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(Path.of("/dev/shm", name.substring(1)))), "mode 0600");
            }
            try (SharedMemory shm = SharedMemory.open(name)) {
                long value = shm.segment().get(ValueLayout.JAVA_LONG, 0);
                assertEquals(42L, value);
                shm.unlink();
                assertFalse(SharedMemory.exists(name), "the name goes now");
                assertEquals(42L, shm.segment().get(ValueLayout.JAVA_LONG, 0), "the memory with the last mapping");
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void primitivesSnippet() throws InterruptedException {
        String memoryName = TestNames.unique("readme-futex");
        String lock = TestNames.unique("readme-lock");
        String slotsName = TestNames.unique("readme-slots");
        String loadedName = TestNames.unique("readme-loaded");
        String readyName = TestNames.unique("readme-ready");
        List<String> done = new ArrayList<>();
        try (SharedMemory shm = SharedMemory.create(memoryName, 4096)) {
            Futex ready = Futex.of(shm.segment(), 64);
            long deadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
            Futex.WaitResult last = null;
            while (ready.value() == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (last = ready.waitNanos(0, left)) == Futex.WaitResult.TIMED_OUT) {
                    break;
                }
            }
            assertEquals(0, ready.value());
            assertTrue(last == null || last == Futex.WaitResult.TIMED_OUT, "not ready within the time: " + last);
            ready.setRelease(1); ready.wakeAll();
            assertEquals(1, ready.value());
            assertEquals(Futex.WaitResult.VALUE_CHANGED, ready.waitNanos(0, Duration.ofSeconds(1).toNanos()),
                    "a word that is no longer 0 is not waited on");

            try (IpcMutex mutex = IpcMutex.openOrCreate(lock)) {
                assertTrue(mutex.created());
                if (mutex.tryLock(Duration.ofSeconds(1))) {
                    try {
                        if (mutex.ownerDied()) { done.add("repair"); }
                        done.add("update");
                    } finally {
                        mutex.unlock();
                    }
                }
            }
            assertEquals(List.of("update"), done, "nobody died holding a new mutex");

            try (IpcSemaphore slots = IpcSemaphore.openOrCreate(slotsName, 2)) {
                if (slots.tryAcquire(Duration.ofSeconds(5))) { try { done.add("work"); } finally { slots.release(); } }
                assertTrue(slots.tryAcquire());
                assertTrue(slots.tryAcquire());
                assertFalse(slots.tryAcquire(Duration.ofMillis(10)), "two permits, both taken");
            }
            assertEquals(List.of("update", "work"), done);

            try (IpcEvent loaded = IpcEvent.create(loadedName, IpcEvent.Type.MANUAL_RESET);
                 IpcLatch workers = IpcLatch.create(readyName, 3, 0660)) {
                assertFalse(loaded.tryAwait());
                loaded.set();
                assertTrue(loaded.tryAwait());
                assertTrue(loaded.await(Duration.ZERO), "manual reset: it stays set");
                loaded.reset();
                assertFalse(loaded.await(Duration.ofMillis(10)));
                assertEquals("rw-rw----", modeOf(readyName), "mode 0660");
                workers.countDown(); workers.countDown();
                assertFalse(workers.await(Duration.ofMillis(10)));
                workers.countDown();
                assertTrue(workers.tryAwait());
            }
        } finally {
            for (String name : List.of(memoryName, lock, slotsName, loadedName, readyName)) {
                SharedMemory.unlinkIfExists(name);
            }
        }
    }

    @Test
    void ringChannelSnippet() throws InterruptedException {
        String name = TestNames.unique("readme-quotes");
        int quote = 7;
        byte[] bytes = "EURUSD 1.0842".getBytes(UTF_8);
        List<String> handled = new ArrayList<>();
        MessageHandler handler = (header, buffer, offset, length) -> handled.add(header.type() + ":"
                + header.sequence() + ":" + length + ":" + (length == 16
                        ? Long.toString(buffer.get(JAVA_LONG_UNALIGNED, offset))
                        : new String(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), UTF_8)));
        try {
            // process A, with process B's receiver attached while A's sender is there, as when both run
            RingChannel a = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(1 << 22));
            Sender sender = a.sender(WaitStrategy.blocking());
            try (RingChannel ring = RingChannel.open(name);
                 Receiver receiver = ring.receiver(WaitStrategy.blocking())) {
                try (a; sender) {
                    assertEquals(1L, sender.send(quote, bytes), "a ring's send returns its sequence number");
                    long seq = sender.trySend(quote, bytes);
                    assertEquals(2L, seq);
                    long index = sender.tryClaim(quote, 16);
                    assertTrue(index >= 0, "index=" + index);
                    if (index >= 0) { sender.buffer().set(JAVA_LONG_UNALIGNED, index, 7L); sender.commit(index); }
                }
                // process B
                int n;
                while ((n = receiver.receive(handler, 64)) != Receiver.CLOSED) {
                    assertTrue(n >= 1, "a receive without a timeout hands over at least one: " + n);
                }
            }
            assertEquals(List.of("7:1:13:EURUSD 1.0842", "7:2:13:EURUSD 1.0842", "7:3:16:7"), handled,
                    "every message, then CLOSED: every sender has gone and the ring is drained");

            // B started after A had gone: it never had a sender, so it drains and waits for one
            handled.clear();
            assertTrue(RingChannel.exists(name), "closing never removes the name");
            try (RingChannel ring = RingChannel.open(name);
                 Sender late = ring.sender()) {
                late.send(quote, bytes);
            }
            try (RingChannel ring = RingChannel.open(name);
                 Receiver receiver = ring.receiver(WaitStrategy.blocking())) {
                assertEquals(1, receiver.receive(handler, 64, Duration.ofSeconds(5)));
                assertEquals(Receiver.EMPTY, receiver.receive(handler, 64, Duration.ofMillis(100)),
                        "a receiver that attached after its senders had gone had none to lose");
            }
            assertEquals(Outcome.CLOSED, Receiver.CLOSED);
            assertEquals(Outcome.FULL, Sender.FULL);
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }

    @Test
    void messageQueueSnippet() throws InterruptedException {
        String name = TestNames.unique("readme-mq");
        byte[] payload = "restock 4".getBytes(UTF_8);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1024);
        try {
            try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(10, 512))) {
                queue.send("routine".getBytes(UTF_8), 0);
                queue.send("urgent".getBytes(UTF_8), 9);
                Message first = queue.receive();
                assertEquals("urgent", first.text(), "highest priority first");
                assertEquals(9, first.priority());
                long sent = queue.send(payload, 3, Duration.ofMillis(50));
                assertEquals(0L, sent, "0 on a queue");
                int length = queue.tryReceive(buffer);
                assertEquals(payload.length, length, "the highest priority left: restock, 3");
                int priority = queue.lastHeader().priority();
                assertEquals(3, priority);
                assertEquals(payload.length, buffer.position(), "the position moves past what was received");
                assertEquals("routine", queue.receive().text());
                assertEquals(Outcome.EMPTY, queue.tryReceive(buffer));
                assertEquals(payload.length, buffer.position(), "and stays when nothing happened");
                for (int i = 0; i < 10; i++) {
                    assertEquals(0L, queue.trySend(payload, 0));
                }
                assertEquals(Outcome.FULL, queue.trySend(payload, 0));
                assertEquals(Outcome.FULL, queue.send(payload, 3, Duration.ofMillis(50)));
            }
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void namedPipeSnippetWriterHalf(@TempDir Path directory) throws Exception {
        Path events = directory.resolve("events");
        try (PipeReader early = NamedPipe.create(events).tryOpenReader()) {   // the reader the snippet waits for
            assertNotNull(early, "the try form opens a reader at once");
            try (NamedPipe pipe = NamedPipe.open(events);
                 PipeWriter writer = pipe.openWriter(Duration.ofSeconds(5))) {
                assertNotNull(writer, "a reader is there");
                writer.write(UTF_8.encode("started\n"));
            }
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(events)), "mode 0600 exactly");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            early.inputStream().transferTo(out);
            assertEquals("started\n", out.toString(UTF_8), "until every writer has gone");
        }
        try (NamedPipe pipe = NamedPipe.open(events)) {
            assertNull(pipe.openWriter(Duration.ofMillis(50)), "null if no reader came");
        }
    }

    @Test
    void anonymousMemorySnippet() {
        long size = 1 << 16;
        try (SharedMemory memory = SharedMemory.anonymous(1 << 20)) {
            assertEquals(EnumSet.of(Seal.SHRINK, Seal.GROW), memory.seals(), "its size is fixed");
        }
        try (SharedMemory sealed = SharedMemory.anonymous(size,
                EnumSet.of(Seal.SHRINK, Seal.GROW, Seal.FUTURE_WRITE, Seal.SEAL))) {
            assertEquals(EnumSet.of(Seal.SHRINK, Seal.GROW, Seal.FUTURE_WRITE, Seal.SEAL), sealed.seals());
            sealed.segment().set(ValueLayout.JAVA_LONG, 0, 1L);   // the creator's mapping stays writable
        }
    }

    @Test
    void eventCounterSnippetInOneProcess() throws InterruptedException {
        try (EventCounter done = EventCounter.create()) {
            assertEquals(0L, done.take(Duration.ofMillis(20)), "0 if nothing came");
            done.signal();
            done.signal();
            assertEquals(2L, done.take(Duration.ofSeconds(5)), "a COUNTER hands the whole count to one take");
        }
    }

    @Test
    void anonymousRingSnippetInOneProcess() throws InterruptedException {
        byte[] bytes = "hello".getBytes(UTF_8);
        try (RingChannel ring = RingChannel.anonymous(ChannelOptions.of(ChannelType.SPSC));
             Receiver receiver = ring.receiver()) {
            assertTrue(ring.memory().seals().containsAll(RingChannel.SEALS), "sealed against shrinking and growing");
            try (Sender sender = ring.sender()) {
                sender.send(1, bytes);
            }
            assertArrayEquals(bytes, receiver.receiveBytes(Duration.ofSeconds(5)));
        }
    }

    private static String modeOf(String name) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/shm", name.substring(1))));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
