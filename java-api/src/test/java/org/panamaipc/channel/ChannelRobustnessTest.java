package org.panamaipc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
            Sender sender = new RingSender(memory, WaitStrategy.busySpin());
            Receiver receiver = new RingReceiver(memory, WaitStrategy.busySpin(), false);
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
}
