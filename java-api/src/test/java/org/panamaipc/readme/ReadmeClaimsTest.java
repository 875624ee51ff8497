package org.panamaipc.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.Access;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.EventCounter;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claims of README.md's prose, each checked as a user who read only the README would check it. */
@Timeout(60)
class ReadmeClaimsTest {

    @Test
    void lifecycleVerbsFailAsTheReadmeSays() {
        String name = TestNames.unique("readme-life");
        try {
            NotFoundException missing = assertThrows(NotFoundException.class, () -> SharedMemory.open(name));
            assertEquals("ENOENT", missing.errnoName());
            assertThrows(NotFoundException.class, () -> SharedMemory.unlink(name));
            assertFalse(SharedMemory.unlinkIfExists(name));
            try (SharedMemory first = SharedMemory.openOrCreate(name, 4096);
                 SharedMemory second = SharedMemory.openOrCreate(name, 4096)) {
                assertTrue(first.created());
                assertFalse(second.created());
                AlreadyExistsException exists = assertThrows(AlreadyExistsException.class, () -> SharedMemory.create(name, 4096));
                assertEquals("Unable to create shared memory " + name + " since it already exists (EEXIST: File exists)",
                        exists.getMessage());
                first.close();
                first.close();                                   // does nothing the second time
                assertTrue(SharedMemory.exists(name), "close() never removes the name");
            }
            assertTrue(SharedMemory.unlinkIfExists(name));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void readOnlyMappingThrowsOnWrite() {
        String name = TestNames.unique("readme-ro");
        try (SharedMemory shm = SharedMemory.create(name, 4096);
             SharedMemory reader = SharedMemory.open(name, Access.READ_ONLY)) {
            shm.segment().set(ValueLayout.JAVA_INT, 0, 5);
            assertEquals(5, reader.segment().get(ValueLayout.JAVA_INT, 0));
            assertThrows(IllegalArgumentException.class, () -> reader.segment().set(ValueLayout.JAVA_INT, 0, 6),
                    "a write throws instead of faulting");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void namesFollowThePosixRules() {
        assertThrows(InvalidNameException.class, () -> SharedMemory.create("no-slash", 4096));
        assertThrows(InvalidNameException.class, () -> SharedMemory.create("/a/b", 4096));
        assertThrows(InvalidNameException.class, () -> SharedMemory.create("/" + "x".repeat(256), 4096));
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> MessageQueue.open("/" + "x".repeat(256)));
        assertTrue(e.getMessage().contains("NAME_MAX=255"), e.getMessage());
        InvalidNameException bytes = assertThrows(InvalidNameException.class, () -> SharedMemory.open("/" + "é".repeat(128)));
        assertTrue(bytes.getMessage().contains("256 bytes"), "255 bytes, not characters: " + bytes.getMessage());
        String longest = TestNames.unique("readme-long");
        longest = longest + "x".repeat(256 - longest.length());
        try (SharedMemory shm = SharedMemory.create(longest, 4096)) {
            assertEquals(256, shm.name().length(), "'/' then 255 characters");
        } finally {
            SharedMemory.unlinkIfExists(longest);
        }
    }

    @Test
    void nullIsANullPointerExceptionNamingTheParameter() {
        assertEquals("name", assertThrows(NullPointerException.class, () -> SharedMemory.create(null, 1)).getMessage());
        assertEquals("options", assertThrows(NullPointerException.class, () -> MessageQueue.create("/x", null)).getMessage());
        assertEquals("timeout", assertThrows(NullPointerException.class,
                () -> Futex.of(java.lang.foreign.Arena.ofAuto().allocate(8, 8), 0).wait(0, null)).getMessage());
    }

    @Test
    void codecsNameTheNullParameter() {
        MemorySegment segment = Arena.ofAuto().allocate(64);
        for (Codec<?> codec : List.<Codec<?>>of(Codec.bytes(), Codec.utf8())) {
            assertEquals("source", assertThrows(NullPointerException.class, () -> codec.decode(null)).getMessage(),
                    codec::toString);
            assertEquals("value", assertThrows(NullPointerException.class, () -> codec.encode(null, segment, 0))
                    .getMessage(), codec::toString);
        }
        assertEquals("target", assertThrows(NullPointerException.class,
                () -> Codec.bytes().encode(new byte[1], null, 0)).getMessage());
        assertEquals("target", assertThrows(NullPointerException.class,
                () -> Codec.utf8().encode("a", null, 0)).getMessage());
    }

    @Test
    void callerBugsAreIllegalArgumentsWithNameEqualsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("/x", -1));
        assertTrue(e.getMessage().contains("size=-1"), e.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> {
            try (EventCounter counter = EventCounter.create()) {
                counter.add(0);
            }
        });
        assertTrue(count.getMessage().startsWith("count=0 "), count.getMessage());
    }

    @Test
    void durationRule() throws InterruptedException {
        String name = TestNames.unique("readme-sem");
        try (IpcSemaphore semaphore = IpcSemaphore.create(name, 0)) {
            assertFalse(semaphore.tryAcquire(Duration.ZERO));
            assertFalse(semaphore.tryAcquire(Duration.ofSeconds(-5)));
            semaphore.release();
            assertTrue(semaphore.tryAcquire(Duration.ofSeconds(Long.MAX_VALUE)), "no ArithmeticException");
        } finally {
            IpcSemaphore.unlinkIfExists(name);
        }
    }

    @Test
    void ringOutcomesAndExceptions() throws InterruptedException {
        String name = TestNames.unique("readme-ring");
        try (RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(1024).maxMessageLength(64))) {
            Sender sender = ring.sender(WaitStrategy.busySpin());
            MessageTooLongException tooLong = assertThrows(MessageTooLongException.class, () -> sender.trySend(1, new byte[65]));
            assertEquals("EMSGSIZE", tooLong.errnoName());
            Receiver receiver = ring.receiver();
            ByteBuffer buffer = ByteBuffer.allocate(64).position(3);
            assertEquals(Receiver.EMPTY, receiver.tryReceive(buffer));
            assertEquals(3, buffer.position(), "kept when nothing happened");
            assertNull(receiver.tryReceiveBytes());
            assertEquals(0L, sender.send(1, ByteBuffer.wrap(new byte[]{1, 2})) - 1, "the first sequence is 1");
            assertEquals(2, receiver.receive(buffer, Duration.ofSeconds(1)));
            assertEquals(5, buffer.position(), "moved past what was received");
            sender.close();
            assertEquals(Receiver.CLOSED, receiver.receive(buffer, Duration.ofSeconds(5)));
            assertThrows(PeerGoneException.class, () -> receiver.receiveBytes(Duration.ofSeconds(5)),
                    "a receive of an object throws PeerGoneException");
            Sender again = ring.sender(WaitStrategy.busySpin());
            receiver.close();
            long result;
            do {
                result = again.send(1, new byte[8], Duration.ofSeconds(5));
            } while (result >= 0);
            assertEquals(Outcome.CLOSED, result, "CLOSED once the receivers have gone");
            assertThrows(PeerGoneException.class, () -> again.send(1, new byte[8]), "the blocking send throws instead");
        } finally {
            RingChannel.unlinkIfExists(name);
        }
    }

    @Test
    void queueMessageTooLong() {
        String name = TestNames.unique("readme-mq");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 16))) {
            MessageTooLongException e = assertThrows(MessageTooLongException.class, () -> queue.trySend(new byte[17], 0));
            assertEquals("EMSGSIZE", e.errnoName());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }
}
