package org.panamaipc.socket;

import org.panamaipc.Access;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.IpcException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.KernelSleep;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.OpenDescriptors;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server and a client in one JVM: life cycle, the three forms, descriptors passed and taken, closing. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class DescriptorSocketTest {

    private static final Set<Seal> SIZE_SEALS = EnumSet.of(Seal.SHRINK, Seal.GROW);

    @TempDir
    Path dir;

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Received message) {
        return StandardCharsets.UTF_8.decode(message.payload()).toString();
    }

    @Test
    void shouldCreateTheSocketFileWithMode0600AndRefuseASecondCreate() throws Exception {
        Path path = dir.resolve("s");
        try (DescriptorServer server = DescriptorServer.create(path)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertTrue(DescriptorServer.exists(path));
            assertThrows(AlreadyExistsException.class, () -> DescriptorServer.create(path));
            server.unlink();
            assertFalse(DescriptorServer.exists(path));
            assertFalse(DescriptorServer.unlinkIfExists(path));
        }
        try (DescriptorServer server = DescriptorServer.create(path, 0666)) {
            assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)),
                    "exactly, whatever the umask");
            server.unlink();
        }
        Path file = Files.writeString(dir.resolve("file"), "keep me");
        assertThrows(IllegalArgumentException.class, () -> DescriptorServer.unlink(file));
        assertEquals("keep me", Files.readString(file));
        assertThrows(InvalidNameException.class, () -> DescriptorServer.create(dir.resolve("x".repeat(120))));
        assertThrows(NotFoundException.class, () -> DescriptorServer.create(dir.resolve("missing").resolve("s")));
    }

    @Test
    void shouldRefuseToConnectWhereNoServerIs() throws Exception {
        Path path = dir.resolve("s");
        assertThrows(NotFoundException.class, () -> DescriptorSocket.open(path));
        DescriptorServer.create(path).close(); // the file stays, nobody listens
        IpcException refused = assertThrows(IpcException.class, () -> DescriptorSocket.open(path));
        assertEquals("ECONNREFUSED", refused.errnoName(), refused.getMessage());
        DescriptorServer.unlink(path);
    }

    @Test
    void shouldTellEachSideWhoIsAtTheOtherEnd() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"))) {
            long me = ProcessHandle.current().pid();
            assertEquals(me, pair.server.peer().pid());
            assertEquals(me, pair.client.peer().pid());
            assertTrue(pair.server.peer().isSameUser());
            assertEquals(Integer.toUnsignedLong(unistd_h.getuid()), pair.client.peer().uid());
            assertEquals(Integer.toUnsignedLong(unistd_h.getgid()), pair.server.peer().gid());
        }
    }

    @Test
    void shouldCarryPayloadsInOrderInTheThreeForms() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"))) {
            assertNull(pair.server.tryReceive());
            long start = System.nanoTime();
            assertNull(pair.server.receive(Duration.ofMillis(100)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));

            ByteBuffer first = text("one");
            assertEquals(0, pair.client.send(first, Attachments.none()));
            assertEquals(3, first.position(), "advanced past what was sent");
            assertEquals(0, pair.client.trySend(text("two"), Attachments.none()));
            assertEquals(0, pair.client.send(text("three"), Attachments.none(), Duration.ofSeconds(1)));
            try (Received a = pair.server.receive(); Received b = pair.server.tryReceive();
                 Received c = pair.server.receive(Duration.ofSeconds(1))) {
                assertEquals(List.of("one", "two", "three"), List.of(text(a), text(b), text(c)));
                assertEquals(0, a.descriptorCount());
            }
        }
    }

    @Test
    void shouldRefuseMessagesItCannotCarry() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"))) {
            assertThrows(MessageTooLongException.class,
                    () -> pair.client.trySend(ByteBuffer.allocate(DescriptorSocket.MAX_PAYLOAD + 1), Attachments.none()));
            assertThrows(IllegalArgumentException.class, () -> pair.client.trySend(ByteBuffer.allocate(0), Attachments.none()));
            NullPointerException npe = assertThrows(NullPointerException.class, () -> pair.client.trySend(null, Attachments.none()));
            assertEquals("payload", npe.getMessage());
            npe = assertThrows(NullPointerException.class, () -> pair.client.receive((Duration) null));
            assertEquals("timeout", npe.getMessage());
            assertEquals(0, pair.client.send(ByteBuffer.allocate(DescriptorSocket.MAX_PAYLOAD), Attachments.none()));
            try (Received largest = pair.server.receive()) {
                assertEquals(DescriptorSocket.MAX_PAYLOAD, largest.payload().remaining());
            }
        }
    }

    @Test
    void shouldPassSealedAnonymousMemoryThatBothSidesThenShare() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"));
             SharedMemory memory = SharedMemory.anonymous(1 << 16)) {
            memory.segment().set(ValueLayout.JAVA_LONG, 8, 0x1234_5678_9abcL);
            pair.server.send(text("here"), Attachments.of(memory));
            try (Received message = pair.client.receive()) {
                assertEquals(1, message.descriptorCount());
                assertTrue(message.describe(0).startsWith("/memfd:pipc-anonymous"), message.describe(0));
                try (SharedMemory received = message.takeSharedMemory(0, SIZE_SEALS)) {
                    assertEquals(1 << 16, received.size());
                    assertTrue(received.isAnonymous());
                    assertEquals("memfd:pipc-anonymous", received.name());
                    assertEquals(SIZE_SEALS, received.seals());
                    assertEquals(0x1234_5678_9abcL, received.segment().get(ValueLayout.JAVA_LONG, 8));
                    received.segment().set(ValueLayout.JAVA_LONG, 16, 42L);
                }
                assertThrows(IllegalStateException.class, () -> message.takeSharedMemory(0));
            }
            assertEquals(42L, memory.segment().get(ValueLayout.JAVA_LONG, 16), "the same memory, not a copy");
        }
    }

    @Test
    void shouldRefuseMemoryMissingAPromisedSealAndCloseItsDescriptor() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"));
             SharedMemory unsealed = SharedMemory.anonymous(4096, Set.of())) {
            assertEquals(Set.of(), unsealed.seals());
            int before = OpenDescriptors.count();
            pair.server.send(text("trust me"), Attachments.of(unsealed));
            try (Received message = pair.client.receive()) {
                assertEquals(before + 1, OpenDescriptors.count(), "the received descriptor");
                InvalidSegmentException e = assertThrows(InvalidSegmentException.class,
                        () -> message.takeSharedMemory(0, SIZE_SEALS));
                assertTrue(e.getMessage().contains("lacks the seals [SHRINK, GROW]"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> message.takeMessageQueue(0));
            }
            assertEquals(before, OpenDescriptors.count(), "closed with the message: " + OpenDescriptors.list());
        }
    }

    @Test
    void shouldMapMemorySealedAgainstWritingReadOnly() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"));
             SharedMemory memory = SharedMemory.anonymous(4096, EnumSet.of(Seal.SHRINK, Seal.GROW, Seal.FUTURE_WRITE, Seal.SEAL))) {
            memory.segment().set(ValueLayout.JAVA_INT, 0, 7); // the creator's mapping stays writable
            pair.server.send(text("read only"), Attachments.of(memory));
            try (Received message = pair.client.receive();
                 SharedMemory received = message.takeSharedMemory(0, EnumSet.of(Seal.FUTURE_WRITE, Seal.SEAL))) {
                assertEquals(Access.READ_ONLY, received.access());
                assertTrue(received.segment().isReadOnly());
                assertEquals(7, received.segment().get(ValueLayout.JAVA_INT, 0));
                memory.segment().set(ValueLayout.JAVA_INT, 0, 8);
                assertEquals(8, received.segment().get(ValueLayout.JAVA_INT, 0));
            }
        }
    }

    @Test
    void shouldPassNamedMemoryThatKeepsItsName() throws Exception {
        String name = TestNames.unique("passed");
        try (Pair pair = Pair.open(dir.resolve("s"));
             SharedMemory memory = SharedMemory.create(name, 4096)) {
            assertEquals(Set.of(Seal.SEAL), memory.seals(), "a named object cannot be sealed");
            pair.server.send(text("named"), Attachments.of(memory));
            try (Received message = pair.client.receive();
                 SharedMemory received = message.takeSharedMemory(0)) {
                assertEquals(name, received.name());
                assertFalse(received.isAnonymous());
                received.unlink();
                assertFalse(SharedMemory.exists(name));
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldPassAMessageQueueThatTheReceiverThenUses() throws Exception {
        String name = TestNames.unique("passed-q");
        try (Pair pair = Pair.open(dir.resolve("s"));
             MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64));
             SharedMemory memory = SharedMemory.anonymous(64)) {
            queue.unlink(); // no name left: only the descriptor reaches it
            pair.server.send(text("queue"), Attachments.of(queue).and(memory));
            try (Received message = pair.client.receive()) {
                assertEquals(2, message.descriptorCount());
                try (MessageQueue received = message.takeMessageQueue(0)) {
                    assertEquals(Access.READ_WRITE, received.access());
                    assertEquals(64, received.maxMessageLength());
                    assertEquals(name, received.name());
                    received.send("through a passed descriptor".getBytes(StandardCharsets.UTF_8), 3);
                }
            }
            Message got = queue.receive(Duration.ofSeconds(5));
            assertNotNull(got);
            assertEquals("through a passed descriptor", got.text());
            assertEquals(3, got.priority());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldTellTheOtherSideWhenOneSideHasGone() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"))) {
            pair.client.send(text("last words"), Attachments.none());
            pair.client.close();
            try (Received last = pair.server.receive()) {
                assertEquals("last words", text(last), "what was sent before the close arrives first");
            }
            assertThrows(PeerGoneException.class, pair.server::receive);
            assertThrows(PeerGoneException.class, pair.server::tryReceive);
            assertEquals(DescriptorSocket.CLOSED, pair.server.trySend(text("anyone?"), Attachments.none()));
            assertThrows(PeerGoneException.class, () -> pair.server.send(text("anyone?"), Attachments.none()));
            assertThrows(IllegalStateException.class, () -> pair.client.trySend(text("x"), Attachments.none()));
        }
    }

    @Test
    void shouldSayFullWhenTheSocketHasNoRoom() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"))) {
            int sent = 0;
            while (pair.client.trySend(ByteBuffer.allocate(32 * 1024), Attachments.none()) == 0) {
                sent++;
                assertTrue(sent < 10_000, "the socket never filled");
            }
            ByteBuffer more = ByteBuffer.allocate(32 * 1024);
            assertEquals(DescriptorSocket.FULL, pair.client.trySend(more, Attachments.none()));
            assertEquals(DescriptorSocket.FULL, pair.client.send(more, Attachments.none(), Duration.ofMillis(50)));
            assertEquals(0, more.position(), "nothing went: the position is unchanged");
            pair.server.receive().close();
            assertEquals(0, pair.client.send(more, Attachments.none(), Duration.ofSeconds(5)));
        }
    }

    @Test
    void shouldEndBlockedCallsOnInterruptAndOnClose() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"))) {
            assertInstanceOf(InterruptedException.class,
                    blockThen("sock-recv-int", pair.client::receive, Thread::interrupt));
            Throwable closed = blockThen("sock-recv-close", pair.client::receive, thread -> pair.client.close());
            assertInstanceOf(IllegalStateException.class, closed);
            assertTrue(closed.getMessage().contains("was closed while waiting"), closed.getMessage());
        }
        try (DescriptorServer server = DescriptorServer.create(dir.resolve("t"))) {
            assertInstanceOf(InterruptedException.class, blockThen("accept-int", server::accept, Thread::interrupt));
            assertInstanceOf(IllegalStateException.class, blockThen("accept-close", server::accept, thread -> server.close()));
            server.unlink();
        }
    }

    @Test
    void shouldLeaveNoDescriptorBehindAfter10000PassesAndReceives() throws Exception {
        try (Pair pair = Pair.open(dir.resolve("s"));
             SharedMemory memory = SharedMemory.anonymous(4096);
             MessageQueue queue = MessageQueue.create(TestNames.unique("hygiene"), QueueOptions.of(1, 16))) {
            queue.unlink();
            pair.server.send(text("warm-up"), Attachments.none()); // this thread's first wait makes its InterruptFd
            pair.client.receive().close();
            List<String> before = OpenDescriptors.list();
            for (int i = 0; i < 10_000; i++) {
                Attachments attachments = i % 3 == 2 ? Attachments.of(memory).and(queue) : Attachments.of(memory);
                assertEquals(0, pair.server.send(text("#" + i), attachments));
                try (Received message = pair.client.receive()) {
                    switch (i % 3) {
                        case 0 -> message.takeSharedMemory(0, SIZE_SEALS).close();   // taken and closed
                        case 1 -> { }                                                 // never taken
                        default -> message.takeMessageQueue(1).close();              // one of two taken
                    }
                }
            }
            // descriptors of objects from earlier tests may close meanwhile (cleaners); none may appear
            List<String> after = OpenDescriptors.list();
            assertEquals(List.of(), after.stream().filter(fd -> !before.contains(fd)).toList(),
                    "descriptors open after 10,000 cycles that were not before");
            assertTrue(after.size() <= before.size(), before + " -> " + after);
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
        KernelSleep.await(thread, KernelSleep.POLL);
        trigger.fire(thread);
        Throwable result = thrown.get(20, TimeUnit.SECONDS);
        thread.join(10_000);
        return result;
    }

    /** A server with one connection accepted: {@code server} is the accepted end, {@code client} the connecting one. */
    private record Pair(DescriptorServer listener, DescriptorSocket server, DescriptorSocket client) implements AutoCloseable {
        static Pair open(Path path) throws InterruptedException {
            DescriptorServer listener = DescriptorServer.create(path);
            DescriptorSocket client = DescriptorSocket.open(path);
            DescriptorSocket server = listener.accept(Duration.ofSeconds(10));
            assertNotNull(server);
            return new Pair(listener, server, client);
        }

        @Override
        public void close() {
            client.close();
            server.close();
            listener.close();
            DescriptorServer.unlinkIfExists(listener.path());
        }
    }
}
