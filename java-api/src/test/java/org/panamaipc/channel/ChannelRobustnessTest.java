package org.panamaipc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cases found in review: each failed before its fix. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class ChannelRobustnessTest {

    @Test
    void shouldWithdrawAClaimLeftByALostCompareAndSetSoADeadSendersGapIsRepaired() throws Exception {
        String name = TestNames.unique("stale-claim");
        try (RingChannel channel = RingChannel.create(name,
                ChannelOptions.of(ChannelType.MPSC).capacity(4096).maxMessageLength(1000));
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
             Sender a = channel.sender(WaitStrategy.blocking());
             SharedMemory raw = SharedMemory.open(name)) {
            // a C sender sends one message, then claims 1000 bytes at P and exits without committing
            long p;
            try (ChildProcess dead = ChildProcess.nativePeer("ring_peer", "send", name, "1", "1", "--abandon")) {
                dead.assertSuccess(Duration.ofSeconds(30));
                Matcher m = Pattern.compile("at position (\\d+)").matcher(dead.output());
                assertTrue(m.find(), dead.output());
                p = Long.parseLong(m.group(1));
            }
            assertEquals(1, receiver.receive((h, b, o, l) -> { }, 10, Duration.ofSeconds(5)));
            // what sender A's slot holds after its compare-and-set at P lost to the dead sender
            MemorySegment body = raw.segment().asSlice(SegmentHeaderDescriptor.HEADER_SIZE);
            long slot = ChannelDescriptor.endpointOffset(a.endpointId());
            body.set(ValueLayout.JAVA_LONG, slot + ChannelDescriptor.EP_CLAIM_END_OFFSET, p + RecordDescriptor.recordLength(500));
            ChannelMemory.LONG.setVolatile(body, slot + ChannelDescriptor.EP_CLAIM_START_OFFSET, p);
            try (Sender filler = channel.sender(WaitStrategy.busySpin())) {
                while (filler.trySend(2, new byte[100]) > 0) {
                    // fill the ring behind the gap
                }
            }
            // A's next attempt finds the ring full: it must withdraw the claim it had published
            assertEquals(Sender.FULL, a.send(1, new byte[500], Duration.ofMillis(200)));
            assertEquals(-1L, body.get(ValueLayout.JAVA_LONG, slot + ChannelDescriptor.EP_CLAIM_START_OFFSET));
            int got = receiver.receive((h, b, o, l) -> { }, 100, Duration.ofSeconds(10));
            assertTrue(got > 0, "the receiver passes the dead sender's gap while A is still attached");
            assertEquals(1, channel.stats().skippedRecords());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldNeverAdmitTwoSendersToSpscEvenWhenTheyAttachAtOnce() throws Exception {
        String name = TestNames.unique("spsc-race");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC))) {
            CyclicBarrier barrier = new CyclicBarrier(2);
            AtomicInteger both = new AtomicInteger();
            for (int i = 0; i < 2000; i++) {
                Sender[] got = new Sender[2];
                Thread[] threads = new Thread[2];
                for (int t = 0; t < 2; t++) {
                    int k = t;
                    threads[t] = new Thread(() -> {
                        try {
                            barrier.await();
                            got[k] = channel.sender(WaitStrategy.busySpin());
                        } catch (IllegalStateException refused) {
                            // one of the two is refused
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    threads[t].start();
                }
                for (Thread t : threads) {
                    t.join();
                }
                if (got[0] != null && got[1] != null) {
                    both.incrementAndGet();
                }
                for (Sender s : got) {
                    if (s != null) {
                        s.close();
                    }
                }
            }
            assertEquals(0, both.get(), "rounds in which two SPSC senders were admitted");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseASkipRecordWhoseLengthWouldWrapTheHead() throws Exception {
        String name = TestNames.unique("skip-overflow");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(4096));
             Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
             Sender sender = channel.sender(WaitStrategy.busySpin());
             SharedMemory raw = SharedMemory.open(name)) {
            sender.trySend(1, new byte[8]);
            receiver.poll((h, b, o, l) -> { }, 10);
            long head = channel.stats().head();
            MemorySegment records = raw.segment().asSlice(
                    SegmentHeaderDescriptor.HEADER_SIZE + ChannelDescriptor.recordsOffset(16), 4096);
            records.set(ValueLayout.JAVA_INT, head + RecordDescriptor.LENGTH_OFFSET, 0x7FFFFFF0);
            ChannelMemory.LONG.setRelease(records, head, RecordDescriptor.tag(head, RecordDescriptor.SKIP));
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class,
                    () -> receiver.poll((h, b, o, l) -> { }, 10));
            assertTrue(e.getMessage().contains("has length 2147483632"), e.getMessage());
            assertEquals(head, channel.stats().head(), "the head did not move");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /** The body of channel {@code name} through a second mapping, as another process would write it. */
    private static MemorySegment body(SharedMemory raw) {
        return raw.segment().asSlice(SegmentHeaderDescriptor.HEADER_SIZE);
    }

    @Test
    void shouldClaimTheLongestMessageOfAHugeRingWithoutTheRecordLengthWrapping() throws Exception {
        // a 4 GiB ring over a sparse file: only the pages touched take room
        ChannelOptions options = ChannelOptions.of(ChannelType.SPSC).capacity(1L << 32).maxMessageLength((1 << 31) - 32);
        Path file = Files.createTempFile(Path.of("target"), "huge-ring-", ".bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofShared()) {
            MemorySegment body = channel.map(FileChannel.MapMode.READ_WRITE, 0, ChannelMemory.bodySize(options), arena);
            ChannelMemory.initialize(body, options);
            ChannelMemory memory = new ChannelMemory("huge-ring", body);
            Sender sender = new SoleSender(memory, WaitStrategy.busySpin(), null);
            Receiver receiver = new SoleReceiver(memory, WaitStrategy.busySpin(), false, null);
            long index = sender.tryClaim(5, options.maxMessageLength());
            assertEquals(RecordDescriptor.HEADER_LENGTH, index);
            assertEquals(1, sender.commit(index));
            assertEquals(1L << 31, memory.tailVolatile(), "the tail moved by the whole record, 2^31 bytes");
            int[] length = {-1};
            assertEquals(1, receiver.poll((h, b, o, l) -> length[0] = l, 1));
            assertEquals(options.maxMessageLength(), length[0]);
            assertEquals(1L << 31, memory.headVolatile());
            sender.close();
            receiver.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A handler that throws has consumed its message (and those before it); the messages after it
     * stay for the next poll. Decided so that a message that always makes the handler throw cannot
     * stop the channel for good; documented on {@link MessageHandler}.
     */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldConsumeTheMessageWhoseHandlerThrewAndKeepTheRest(ChannelType type) throws Exception {
        String name = TestNames.unique("throwing-handler");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(4096));
             Sender sender = channel.sender(WaitStrategy.busySpin());
             Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false)) {
            for (int i = 1; i <= 3; i++) {
                sender.trySend(i, new byte[] {(byte) i});
            }
            List<Integer> seen = new ArrayList<>();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> receiver.poll((h, b, o, l) -> {
                seen.add(h.type());
                if (h.type() == 2) {
                    throw new IllegalStateException("handler failed on 2");
                }
            }, 10));
            assertEquals("handler failed on 2", thrown.getMessage());
            assertEquals(List.of(1, 2), seen);
            assertEquals(1, receiver.poll((h, b, o, l) -> seen.add(h.type()), 10));
            assertEquals(List.of(1, 2, 3), seen, "message 2 is not handed over again; 3 is");
            assertEquals(3, channel.stats().messagesReceived());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldSayWhichRecordIsCorruptWhenReceiving(ChannelType type) throws Exception {
        String name = TestNames.unique("corrupt-record");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(4096).maxMessageLength(100));
             Sender sender = channel.sender(WaitStrategy.busySpin());
             Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false);
             SharedMemory raw = SharedMemory.open(name);
             Arena arena = Arena.ofConfined()) {
            sender.trySend(1, new byte[8]);
            MemorySegment records = body(raw).asSlice(ChannelDescriptor.recordsOffset(16), 4096);
            records.set(ValueLayout.JAVA_INT, RecordDescriptor.LENGTH_OFFSET, 5000);
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class,
                    () -> receiver.tryReceive(arena.allocate(4096), 0));
            assertTrue(e.getMessage().startsWith("Unable to receive from channel " + name
                    + " since record at position 0 has length 5000"), e.getMessage());
            assertEquals(InvalidSegmentException.Reason.CORRUPT, e.reason());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /** A position that is not a multiple of 8 once gave FFM's alignment error from sender(), trySend and tryReceive. */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldRefuseAMisalignedPositionOnOpenAndInUse(ChannelType type) throws Exception {
        String name = TestNames.unique("misaligned");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(4096).maxMessageLength(100));
             SharedMemory raw = SharedMemory.open(name);
             Arena arena = Arena.ofConfined()) {
            MemorySegment body = body(raw);
            for (int offset : new int[] {ChannelDescriptor.HEAD_OFFSET, ChannelDescriptor.TAIL_OFFSET}) {
                body.set(ValueLayout.JAVA_LONG, offset, 370);
                InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> RingChannel.open(name));
                assertTrue(e.getMessage().contains("370"), e.getMessage());
                body.set(ValueLayout.JAVA_LONG, offset, 0);
            }
            try (Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false)) {
                body.set(ValueLayout.JAVA_LONG, ChannelDescriptor.TAIL_OFFSET, 370);
                body.set(ValueLayout.JAVA_LONG, ChannelDescriptor.HEAD_OFFSET, 370);
                if (type.manySenders()) {
                    assertThrows(InvalidSegmentException.class, () -> sender.trySend(1, new byte[8]));
                }
                if (type.manyReceivers()) {
                    assertThrows(InvalidSegmentException.class, () -> receiver.tryReceive(arena.allocate(100), 0));
                }
                channel.stats(); // a snapshot, never an exception
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    // the exact state a dead sender leaves, written into a slot as its process would have

    /** Writes a sender slot owned by a process that is not alive (this pid with another start time) holding claim {@code [start, end)}. */
    private static void deadSenderSlot(MemorySegment body, int id, long start, long endWord) {
        long slot = ChannelDescriptor.endpointOffset(id);
        ProcessId me = ProcessId.current();
        body.set(ValueLayout.JAVA_INT, slot + ChannelDescriptor.EP_ROLE_OFFSET, ChannelDescriptor.ROLE_SENDER);
        body.set(ValueLayout.JAVA_INT, slot + ChannelDescriptor.EP_PID_OFFSET, me.pid());
        body.set(ValueLayout.JAVA_LONG, slot + ChannelDescriptor.EP_START_TIME_OFFSET, me.startTime() + 1_000_000);
        body.set(ValueLayout.JAVA_LONG, slot + ChannelDescriptor.EP_CLAIM_END_OFFSET, endWord);
        body.set(ValueLayout.JAVA_LONG, slot + ChannelDescriptor.EP_CLAIM_START_OFFSET, start);
        ChannelMemory.INT.setRelease(body, slot + ChannelDescriptor.EP_STATE_OFFSET, ChannelDescriptor.EP_ACTIVE);
    }

    /** Sends five messages of 24..28 bytes and {@return what the receiver got within 5 s, as "type:length"} */
    private static List<String> fiveLiveMessages(Sender live, Receiver receiver, int expect) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            assertTrue(live.trySend(7, new byte[24 + i]) > 0);
        }
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + 5_000_000_000L;
        while (seen.size() < expect && System.nanoTime() - end < 0) {
            receiver.receive((h, b, o, l) -> seen.add(h.type() + ":" + l), 64, Duration.ofMillis(100));
        }
        return seen;
    }

    private static final List<String> FIVE = List.of("7:24", "7:25", "7:26", "7:27", "7:28");

    /**
     * The case of the review: at position 1000 a dead sender's record of type 0 whose length word
     * reads 1009 (its own position + 9, so the word at 1008 looks like a committed record's tag)
     * and whose payload words are tags of their own positions; then five committed messages. Once
     * one of six arrived and the head ran to 65536, past the tail.
     */
    @Test
    void shouldPassOverADeadRecordWhoseHeaderAndPayloadLookLikeTags() throws Exception {
        String name = TestNames.unique("forged-header");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(1 << 16).maxMessageLength(2000));
             Sender live = channel.sender(WaitStrategy.busySpin());
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
             SharedMemory raw = SharedMemory.open(name)) {
            assertEquals(1, live.trySend(1, new byte[968]));
            assertEquals(968, receiver.receive(MemorySegment.ofArray(new byte[2000]), 0, Duration.ofSeconds(1)));
            long p = 1000;
            long end = p + RecordDescriptor.recordLength(1009);
            MemorySegment body = body(raw);
            MemorySegment records = body.asSlice(ChannelDescriptor.recordsOffset(16), 1 << 16);
            records.set(ValueLayout.JAVA_LONG, p + RecordDescriptor.LENGTH_OFFSET, p + 9); // length p + 9, type 0
            for (long word = p + RecordDescriptor.HEADER_LENGTH; word < end; word += 8) {
                records.set(ValueLayout.JAVA_LONG, word, word | RecordDescriptor.COMMITTED);
            }
            deadSenderSlot(body, 15, p, end | ChannelDescriptor.CLAIM_WON);
            assertTrue(ChannelMemory.LONG.compareAndSet(body, (long) ChannelDescriptor.TAIL_OFFSET, p, end));
            assertEquals(FIVE, fiveLiveMessages(live, receiver, 5));
            assertEquals(Receiver.EMPTY, receiver.receive((h, b, o, l) -> { }, 10, Duration.ofMillis(50)));
            ChannelStats stats = channel.stats();
            assertEquals(stats.tail(), stats.head(), stats.toString());
            assertEquals(1, stats.skippedRecords());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /**
     * A sender that died right after its compare-and-set on the tail, before writing the padding
     * its record needed at the end of the lap: marked as won, or not even that (then its claim is
     * the only one at the position, so it is the one that won).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldPassOverThePaddingAndRecordOfASenderThatDiedRightAfterItsCompareAndSet(boolean marked) throws Exception {
        String name = TestNames.unique("dead-pad");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(4096).maxMessageLength(1000));
             Sender live = channel.sender(WaitStrategy.busySpin());
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
             SharedMemory raw = SharedMemory.open(name)) {
            for (int length : new int[] {1000, 1000, 1000, 928}) {
                assertTrue(live.trySend(1, new byte[length]) > 0);
                assertEquals(length, receiver.receive(MemorySegment.ofArray(new byte[1000]), 0, Duration.ofSeconds(1)));
            }
            long start = 4096 - 40;
            long end = 4096 + RecordDescriptor.recordLength(64);
            MemorySegment body = body(raw);
            deadSenderSlot(body, 15, start, marked ? end | ChannelDescriptor.CLAIM_WON : end);
            assertTrue(ChannelMemory.LONG.compareAndSet(body, (long) ChannelDescriptor.TAIL_OFFSET, start, end));
            assertEquals(FIVE, fiveLiveMessages(live, receiver, 5));
            ChannelStats stats = channel.stats();
            assertEquals(stats.tail(), stats.head(), stats.toString());
            assertEquals(1, stats.skippedRecords());
            assertEquals(ChannelDescriptor.EP_FREE, body.get(ValueLayout.JAVA_INT,
                    ChannelDescriptor.endpointOffset(15) + ChannelDescriptor.EP_STATE_OFFSET), "the dead slot is retired");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /**
     * Two dead claims at one position, neither marked as won (two senders killed in the few
     * instructions after publishing a claim): which one won cannot be told, and a guess could
     * deliver a dead record's bytes or lose what follows. The repair waits instead; the slots stay.
     */
    @Test
    void shouldNotGuessBetweenTwoUnmarkedDeadClaimsAtOnePosition() throws Exception {
        String name = TestNames.unique("two-dead");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(4096).maxMessageLength(1000));
             Sender live = channel.sender(WaitStrategy.busySpin());
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
             SharedMemory raw = SharedMemory.open(name)) {
            MemorySegment body = body(raw);
            deadSenderSlot(body, 14, 0, RecordDescriptor.recordLength(100));
            deadSenderSlot(body, 15, 0, RecordDescriptor.recordLength(200));
            assertTrue(ChannelMemory.LONG.compareAndSet(body, (long) ChannelDescriptor.TAIL_OFFSET, 0L,
                    (long) RecordDescriptor.recordLength(200)));
            assertEquals(List.of(), fiveLiveMessages(live, receiver, 1), "nothing is delivered past a gap it cannot size");
            assertEquals(0, channel.stats().head());
            assertEquals(0, channel.stats().skippedRecords());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /**
     * A committed tag in the last 8 bytes of the ring, where no record fits (only padding does):
     * reading its header would run past the records. Found while fixing the alignment error; it
     * gave FFM's IndexOutOfBoundsException.
     */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldRefuseARecordTagInTheLastBytesOfTheRing(ChannelType type) throws Exception {
        String name = TestNames.unique("last-bytes");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(4096).maxMessageLength(100));
             SharedMemory raw = SharedMemory.open(name);
             Arena arena = Arena.ofConfined()) {
            MemorySegment body = body(raw);
            MemorySegment records = body.asSlice(ChannelDescriptor.recordsOffset(16), 4096);
            body.set(ValueLayout.JAVA_LONG, ChannelDescriptor.HEAD_OFFSET, 4088);
            body.set(ValueLayout.JAVA_LONG, ChannelDescriptor.TAIL_OFFSET, 4088);
            records.set(ValueLayout.JAVA_LONG, 4088, RecordDescriptor.tag(4088, RecordDescriptor.COMMITTED));
            if (type == ChannelType.SPSC) {
                // a new single sender walks the records committed after the published tail
                InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> channel.sender(WaitStrategy.busySpin()));
                assertTrue(e.getMessage().contains("record at position 4088"), e.getMessage());
            }
            try (Receiver receiver = channel.receiver(WaitStrategy.busySpin(), false)) {
                InvalidSegmentException e = assertThrows(InvalidSegmentException.class,
                        () -> receiver.tryReceive(arena.allocate(100), 0));
                assertTrue(e.getMessage().contains("record at position 4088"), e.getMessage());
                assertThrows(InvalidSegmentException.class, () -> receiver.poll((h, b, o, l) -> { }, 10));
            }
            channel.stats();
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }
}
