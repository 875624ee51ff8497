package org.panamaipc.unbounded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.children.UnboundedChild;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An unbounded link within one process: FIFO order through the ring and the spill, spill segments
 * made on demand and removed as they are consumed, the memory cap, the forms of the convention,
 * and unlink removing every part. {@code UnboundedAcrossProcessesTest} does it between JVMs.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class UnboundedLinkTest {

    /** A 1 KiB ring and 4 KiB spill segments: a few messages fill the ring, a few more a segment. */
    static final UnboundedOptions SMALL = UnboundedOptions.of(300).ringCapacity(1024).spillSegmentSize(4096)
            .memoryCap(64L << 20);

    /** {@return the names in /dev/shm of the parts of link {@code name}: its ring and spill segments} */
    static List<String> parts(String name) throws IOException {
        String base = name.substring(1);
        try (Stream<Path> entries = Files.list(Path.of("/dev/shm"))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith(base + ".")).sorted().toList();
        }
    }

    static List<String> spills(String name) throws IOException {
        return parts(name).stream().filter(f -> f.contains(".spill.")).toList();
    }

    @Test
    void shouldKeepFifoOrderThroughRingAndSpillAndRemoveSegmentsAsConsumed() throws Exception {
        String name = TestNames.unique("ub-fifo");
        try (UnboundedLink link = UnboundedLink.create(name, SMALL);
             UnboundedSender sender = link.sender();
             UnboundedReceiver receiver = link.receiver();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(512);
            int count = 2000;
            for (long i = 1; i <= count; i++) {
                UnboundedChild.fill(i, buffer);
                assertEquals(i, sender.trySend(3, buffer, 0, UnboundedChild.length(i)), "never FULL, never CLOSED");
            }
            assertTrue(link.spilled() > count - 20, "all but the few the ring holds spilled: " + link.spilled());
            assertTrue(spills(name).size() > 10, "spill segments made on demand: " + spills(name));
            MemorySegment expected = arena.allocate(512);
            int segmentsBefore = spills(name).size();
            for (long i = 1; i <= count; i++) {
                int length = receiver.tryReceive(buffer, 0);
                assertEquals(UnboundedChild.length(i), length, "message " + i);
                UnboundedChild.fill(i, expected);
                assertEquals(-1, expected.asSlice(0, length).mismatch(buffer.asSlice(0, length)), "message " + i);
                assertEquals(i, receiver.lastHeader().sequence());
                assertEquals(3, receiver.lastHeader().type());
                if (i == count / 2) {
                    assertTrue(spills(name).size() < segmentsBefore, "consumed segments removed as it goes: "
                            + spills(name).size() + " of " + segmentsBefore);
                }
            }
            assertEquals(UnboundedReceiver.EMPTY, receiver.tryReceive(buffer, 0));
            assertEquals(List.of(), spills(name), "the last segment goes once everything spilled is taken");
            assertEquals(0, link.spillSegments());
            assertEquals(0, link.spilledWaiting());
            assertEquals(count, link.received());
            link.unlink();
            assertEquals(List.of(), parts(name));
            assertFalse(UnboundedLink.exists(name));
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    @Test
    void shouldKeepOrderWhenSendsAndReceivesInterleave() throws Exception {
        String name = TestNames.unique("ub-mix");
        SplittableRandom random = new SplittableRandom(42);
        try (UnboundedLink link = UnboundedLink.create(name, SMALL);
             UnboundedSender sender = link.sender();
             UnboundedReceiver receiver = link.receiver();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(512);
            MemorySegment expected = arena.allocate(512);
            long next = 1;
            long sent = 0;
            for (int round = 0; round < 400; round++) {
                int sends = random.nextInt(40);
                for (int k = 0; k < sends; k++) {
                    sent++;
                    UnboundedChild.fill(sent, buffer);
                    sender.send(1, buffer, 0, UnboundedChild.length(sent));
                }
                int receives = random.nextInt(45);
                for (int k = 0; k < receives && next <= sent; k++, next++) {
                    int length = receiver.receive(buffer, 0, Duration.ofSeconds(5));
                    assertEquals(next, buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), "in order, round " + round);
                    UnboundedChild.fill(next, expected);
                    assertEquals(-1, expected.asSlice(0, length).mismatch(buffer.asSlice(0, length)));
                }
            }
            while (next <= sent) {
                receiver.receive(buffer, 0);
                assertEquals(next++, buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
            }
            assertTrue(link.spilled() > 0 && link.spilled() < sent, "both paths used: spilled " + link.spilled()
                    + " of " + sent);
            assertEquals(UnboundedReceiver.EMPTY, receiver.receive(buffer, 0, Duration.ofMillis(30)));
            assertEquals(List.of(), spills(name));
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseASendPastTheMemoryCapNamingItAndRecover() throws Exception {
        String name = TestNames.unique("ub-cap");
        UnboundedOptions capped = SMALL.memoryCap(3 * 4096);
        try (UnboundedLink link = UnboundedLink.create(name, capped);
             UnboundedSender sender = link.sender();
             UnboundedReceiver receiver = link.receiver()) {
            byte[] message = new byte[200];
            long sent = 0;
            MemoryCapExceededException refused = null;
            while (refused == null) {
                try {
                    sender.trySend(0, message);
                    sent++;
                } catch (MemoryCapExceededException e) {
                    refused = e;
                }
                assertTrue(sent < 1000, "the cap must stop it");
            }
            assertTrue(refused.getMessage().contains("memory cap of 12288 bytes (memoryCap)"), refused.getMessage());
            assertEquals(12288, refused.memoryCap());
            assertEquals(3, spills(name).size());
            assertEquals(sent, link.sent(), "nothing was sent by the refused call");
            for (int i = 0; i < 40; i++) {
                assertEquals(200, receiver.tryReceive(MemorySegment.ofArray(new byte[300]), 0));
            }
            assertTrue(sender.trySend(0, message) > sent, "room again once a segment was consumed");
            long left = 0;
            while (receiver.tryReceiveBytes() != null) {
                left++;
            }
            assertEquals(sent + 1 - 40, left);
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    @Test
    void shouldOfferTheFormsOfTheConvention() throws Exception {
        String name = TestNames.unique("ub-forms");
        try (UnboundedLink link = UnboundedLink.create(name, SMALL);
             UnboundedSender sender = link.sender();
             UnboundedReceiver receiver = link.receiver()) {
            assertNull(receiver.tryReceiveBytes());
            assertEquals(UnboundedReceiver.EMPTY, receiver.poll((h, b, o, l) -> { }, 3), "EMPTY, never 0");
            MessageTooLongException tooLong = assertThrows(MessageTooLongException.class, () -> sender.trySend(0, new byte[301]));
            assertEquals(300, tooLong.maxLength());
            assertThrows(IllegalArgumentException.class, () -> sender.trySend(0, MemorySegment.ofArray(new byte[1]), 0, -1));
            ByteBuffer out = ByteBuffer.wrap(new byte[] {9, 1, 2, 3});
            out.position(1);
            assertEquals(1, sender.send(5, out, Duration.ZERO));
            assertEquals(4, out.position());
            ByteBuffer in = ByteBuffer.allocate(10).position(2);
            assertEquals(3, receiver.receive(in, Duration.ofSeconds(1)));
            assertEquals(5, in.position());
            for (int i = 0; i < 50; i++) {
                sender.send(i, new byte[] {(byte) i});
            }
            List<Integer> types = new ArrayList<>();
            assertEquals(10, receiver.poll((h, b, o, l) -> types.add(h.type()), 10));
            assertEquals(40, receiver.receive((h, b, o, l) -> types.add(h.type()), 100, Duration.ofSeconds(1)));
            for (int i = 0; i < 50; i++) {
                assertEquals(i, types.get(i));
            }
            sender.close();
            assertEquals(UnboundedReceiver.CLOSED, receiver.receive(MemorySegment.ofArray(new byte[300]), 0),
                    "the sender has gone and nothing is left");
            assertThrows(PeerGoneException.class, receiver::receiveBytes);
            try (UnboundedSender again = link.sender()) {
                again.send(1, new byte[] {42});
                assertArrayEquals(new byte[] {42}, receiver.receiveBytes(Duration.ofSeconds(1)), "not final: a new sender");
                assertEquals(52, again.sent());
            }
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    /**
     * A doorbell rung while the receiver was between its look at the ring and its look at the
     * spill stays in the ring; the sender may then put a message into the ring after it (the spill
     * being drained) and spill others. The receiver passes over doorbells, however many, and reads
     * the ring on: a try finds the ring's message behind a doorbell, and the ring's messages come
     * before the spilled ones. The ring's records are written here as a sender could have written them.
     */
    @Test
    void shouldReadTheRingOnPastDoorbellsBeforeTakingTheSpill() throws Exception {
        String name = TestNames.unique("ub-bell-order");
        byte[] bell = new byte[0];
        try (UnboundedLink link = UnboundedLink.create(name, SMALL);
             UnboundedReceiver receiver = link.receiver();
             RingChannel ring = RingChannel.open(UnboundedDescriptor.ringName(name))) {
            MemorySegment buffer = MemorySegment.ofArray(new byte[300]);
            try (Sender raw = ring.sender(WaitStrategy.busySpin())) {
                assertTrue(raw.trySend(UnboundedDescriptor.DOORBELL_TYPE, bell) >= 0);
                assertTrue(raw.trySend(5, new byte[] {1}) >= 0);
            }
            assertEquals(1, receiver.tryReceive(buffer, 0), "the message behind the doorbell, at once");
            assertEquals(5, receiver.lastHeader().type());
            try (Sender raw = ring.sender(WaitStrategy.busySpin())) {
                assertTrue(raw.trySend(UnboundedDescriptor.DOORBELL_TYPE, bell) >= 0);
                assertTrue(raw.trySend(UnboundedDescriptor.DOORBELL_TYPE, bell) >= 0);
                assertTrue(raw.trySend(6, new byte[] {2, 2}) >= 0);
            }
            try (UnboundedSender sender = link.sender()) {
                sender.trySend(UnboundedDescriptor.DOORBELL_TYPE, bell); // always spilled
                sender.trySend(7, new byte[] {3, 3, 3}); // after it, so spilled too
                assertEquals(2, link.spilled());
            }
            assertEquals(2, receiver.tryReceive(buffer, 0), "the ring's message, not the spill's");
            assertEquals(6, receiver.lastHeader().type());
            assertEquals(0, receiver.tryReceive(buffer, 0));
            assertEquals(UnboundedDescriptor.DOORBELL_TYPE, receiver.lastHeader().type());
            assertTrue(receiver.lastHeader().spilled());
            assertEquals(3, receiver.tryReceive(buffer, 0));
            assertEquals(7, receiver.lastHeader().type());
            assertEquals(UnboundedReceiver.CLOSED, receiver.receive(buffer, 0, Duration.ofSeconds(30)));
            assertEquals(4, link.received(), "doorbells are not counted");
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    /**
     * A receiver that died while waiting leaves the waiting word set (here written as it would
     * have, and once as garbage): the sender's next spill append takes the word and rings one
     * doorbell, the appends after it none, and the next receiver gets exactly the messages.
     */
    @Test
    void shouldTakeAWaitingWordLeftByADeadReceiverWithOneDoorbell() throws Exception {
        for (long left : new long[] {1, 0xDEAD_BEEFL}) {
            String name = TestNames.unique("ub-bell-stale");
            try (UnboundedLink link = UnboundedLink.create(name, SMALL);
                 RingChannel ring = RingChannel.open(UnboundedDescriptor.ringName(name));
                 SharedMemory control = SharedMemory.open(name)) {
                long word = SegmentHeaderDescriptor.HEADER_SIZE + UnboundedDescriptor.RECEIVER_WAITING_OFFSET;
                control.segment().set(ValueLayout.JAVA_LONG, word, left);
                try (UnboundedSender sender = link.sender()) {
                    for (int i = 0; i < 3; i++) {
                        sender.trySend(UnboundedDescriptor.DOORBELL_TYPE, new byte[0]);
                    }
                }
                assertEquals(0, control.segment().get(ValueLayout.JAVA_LONG, word), "taken by the sender");
                assertEquals(1, ring.stats().messagesSent(), "one doorbell in the ring for one word left set");
                try (UnboundedReceiver receiver = link.receiver()) {
                    for (int i = 0; i < 3; i++) {
                        assertEquals(0, receiver.tryReceive(MemorySegment.ofArray(new byte[8]), 0));
                        assertTrue(receiver.lastHeader().spilled());
                    }
                    assertNull(receiver.tryReceiveBytes(), "the doorbell is never delivered");
                    assertEquals(3, link.received());
                }
            } finally {
                UnboundedLink.unlinkIfExists(name);
            }
        }
    }

    @Test
    void shouldRemoveEveryPartOnUnlinkAndLeftoversOnCreate() throws Exception {
        String name = TestNames.unique("ub-unlink");
        try (UnboundedLink link = UnboundedLink.create(name, SMALL); UnboundedSender sender = link.sender()) {
            for (int i = 0; i < 200; i++) {
                sender.send(0, new byte[100]);
            }
            assertTrue(spills(name).size() > 2, spills(name).toString());
        }
        // a leftover of a process killed between making a segment and publishing it
        SharedMemory.create(name + ".spill.999", 4096).close();
        assertTrue(UnboundedLink.unlinkIfExists(name));
        assertEquals(List.of(), parts(name));
        assertFalse(UnboundedLink.unlinkIfExists(name));
        // create removes what an earlier link of that name left, so a new link starts empty
        SharedMemory.create(name + ".spill.1", 4096).close();
        try (UnboundedLink link = UnboundedLink.create(name, SMALL); UnboundedReceiver receiver = link.receiver()) {
            assertEquals(List.of(name.substring(1) + ".ring"), parts(name));
            assertNull(receiver.tryReceiveBytes());
            link.unlink();
        }
        assertEquals(List.of(), parts(name));
    }
}
