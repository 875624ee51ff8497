package org.panamaipc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.PeerGoneException;
import org.panamaipc.children.ChannelChild;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.Received;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ring channel set up without any name: laid out in anonymous sealed memory, handed to another
 * process over a Unix-domain socket, and opened there over the memory it received, checked as
 * {@code open(name)} checks a named channel. Nothing appears in {@code /dev/shm} ({@link NoLeakedObjects}).
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class AnonymousRingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ChannelOptions OPTIONS = ChannelOptions.of(ChannelType.SPSC).capacity(1 << 16).maxMessageLength(1024);

    private static byte[] payload(int i) {
        byte[] bytes = new byte[8 + i % 200];
        Arrays.fill(bytes, (byte) i);
        return bytes;
    }

    @Test
    void shouldTalkWithAnotherJvmThroughRingsHandedOverASocket() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "anon-ring-");
        Path socket = dir.resolve("rings.sock");
        int count = 200;
        try (RingChannel requests = RingChannel.anonymous(OPTIONS);
             RingChannel replies = RingChannel.anonymous(OPTIONS);
             Sender out = requests.sender(WaitStrategy.blocking());
             Receiver in = replies.receiver(WaitStrategy.blocking());
             DescriptorServer server = DescriptorServer.create(socket);
             ChildProcess child = ChildProcess.java(ChannelChild.class, "anon-echo", socket.toString(), Integer.toString(count))) {
            assertTrue(requests.created());
            assertTrue(requests.memory().isAnonymous());
            assertEquals(RingChannel.SEALS, requests.memory().seals());
            assertThrows(IllegalStateException.class, requests::unlink, "no name to unlink");
            try (DescriptorSocket client = server.accept(WAIT)) {
                assertEquals(child.pid(), client.peer().pid());
                client.send(ByteBuffer.wrap(new byte[] {'r'}), Attachments.of(requests.memory()).and(replies.memory()));
            }
            for (int i = 0; i < count; i++) {
                assertTrue(out.send(i, payload(i), WAIT) > 0, "request " + i);
                assertArrayEquals(payload(i), in.receiveBytes(WAIT), "reply " + i);
                assertEquals(i + 1000, in.lastHeader().type());
            }
            child.assertSuccess(WAIT);
            assertTrue(child.output().contains("echoed " + count), child.output());
            assertThrows(PeerGoneException.class, () -> in.receiveBytes(WAIT), "the child's sender has gone with it");
            server.unlink();
        } finally {
            DescriptorServer.unlinkIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    /** Hands {@code memory} to this same process over a socket, as another process would receive it. */
    private static SharedMemory handOver(SharedMemory memory, Set<org.panamaipc.shm.Seal> required) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "anon-self-");
        Path socket = dir.resolve("self.sock");
        try (DescriptorServer server = DescriptorServer.create(socket);
             DescriptorSocket client = DescriptorSocket.open(socket);
             DescriptorSocket accepted = server.accept(WAIT)) {
            accepted.send(ByteBuffer.wrap(new byte[] {'m'}), Attachments.of(memory));
            try (Received received = client.receive(WAIT)) {
                return received.takeSharedMemory(0, required);
            }
        } finally {
            DescriptorServer.unlinkIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void shouldOpenAHandedOverRingAndShareItsMessagesAndEndpoints() throws Exception {
        try (RingChannel created = RingChannel.anonymous(OPTIONS);
             RingChannel opened = RingChannel.open(handOver(created.memory(), RingChannel.SEALS));
             Sender sender = created.sender();
             Receiver receiver = opened.receiver()) {
            assertFalse(opened.created());
            assertEquals(created.capacity(), opened.capacity());
            assertEquals(2, opened.endpoints().size(), "one endpoint table in the one memory");
            sender.send(5, new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, receiver.receiveBytes(WAIT));
        }
    }

    @Test
    void shouldRefuseMemoryWithoutTheSealsThatFixItsSize() throws Exception {
        SharedMemory unsealed = SharedMemory.anonymous(RingChannel.requiredSize(OPTIONS), Set.of());
        try (RingChannel created = RingChannel.create(unsealed, OPTIONS)) {
            SharedMemory received = handOver(created.memory(), Set.of());
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> RingChannel.open(received));
            assertTrue(e.getMessage().contains("lack"), e.getMessage());
            assertThrows(IllegalStateException.class, received::segment, "refused memory is closed");
        }
    }

    @Test
    void shouldValidateAHandedOverRingAsOpenByNameDoes() throws Exception {
        try (RingChannel created = RingChannel.anonymous(OPTIONS)) {
            long capacity = SegmentHeaderDescriptor.HEADER_SIZE + ChannelDescriptor.CAPACITY_OFFSET;
            created.memory().segment().set(ValueLayout.JAVA_LONG, capacity, 3000L); // not a power of two
            SharedMemory received = handOver(created.memory(), RingChannel.SEALS);
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> RingChannel.open(received));
            assertEquals(InvalidSegmentException.Reason.CORRUPT, e.reason());
            assertTrue(e.getMessage().contains("capacity 3000"), e.getMessage());
        }
        try (SharedMemory blank = SharedMemory.anonymous(RingChannel.requiredSize(OPTIONS), RingChannel.SEALS)) {
            SharedMemory received = handOver(blank, RingChannel.SEALS);
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> RingChannel.open(received));
            assertEquals(InvalidSegmentException.Reason.NOT_READY, e.reason(), "refused at once, not after a wait");
        }
    }

    @Test
    void shouldRefuseMemoryOfAnotherSizeThanTheOptionsNeed() {
        SharedMemory small = SharedMemory.anonymous(4096);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RingChannel.create(small, OPTIONS));
        assertTrue(e.getMessage().contains("requiredSize"), e.getMessage());
        assertThrows(IllegalStateException.class, small::segment, "the channel took the memory over, and closed it");
    }
}
