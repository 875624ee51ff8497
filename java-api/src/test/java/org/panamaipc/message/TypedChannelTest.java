package org.panamaipc.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.children.MessagingChild;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MalformedMessageException;
import org.panamaipc.message.MessageRecords.Job;
import org.panamaipc.message.MessageRecords.Tick;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.CCompiler;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.message.MessageRecords.JOBS;
import static org.panamaipc.message.MessageRecords.TICKS;
import static org.panamaipc.message.MessageRecords.TICK_PRICE;
import static org.panamaipc.message.MessageRecords.TICK_SEQUENCE;

/** Typed records over a ring: in one process, between JVMs, and with a C peer built from the emitted header. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(180)
class TypedChannelTest {

    private static final int TICK = 42;
    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private interface Body {
        void run(RingChannel channel) throws Exception;
    }

    private static void withRing(ChannelType type, Body body) throws Exception {
        String name = TestNames.unique("typed-" + type);
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1 << 16).maxMessageLength(256))) {
            body.run(channel);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static Tick tick(long n, int producer) {
        return new Tick(n, n * 0.25, (int) (n % 1000), producer);
    }

    @Test
    void shouldSendRecordsInPlaceAndReceiveThemDecodedOrInPlace() throws Exception {
        for (ChannelType type : ChannelType.values()) {
            withRing(type, channel -> {
                try (TypedSender<Tick> sender = TypedSender.of(channel.sender(WaitStrategy.busySpin()), TICKS, TICK);
                     TypedReceiver<Tick> receiver = TypedReceiver.of(channel.receiver(WaitStrategy.busySpin(), false), TICKS)) {
                    assertEquals(1, sender.trySend(tick(1, 1)));
                    assertEquals(2, sender.send(tick(2, 1)));
                    assertEquals(3, sender.send(tick(3, 1), Duration.ofSeconds(1)));
                    long index = sender.tryClaim();                 // field by field, no record
                    TICK_SEQUENCE.setLong(sender.buffer(), index, 4);
                    TICK_PRICE.setDouble(sender.buffer(), index, 1.0);
                    TICKS.field("quantity").setInt(sender.buffer(), index, 4);
                    TICKS.field("producer").setInt(sender.buffer(), index, 1);
                    assertEquals(4, sender.commit(index));

                    assertEquals(tick(1, 1), receiver.tryReceive());
                    Header header = receiver.lastHeader();
                    assertEquals(TICK, header.type());
                    assertEquals(1, header.sequence());
                    assertEquals(24, header.length());
                    assertEquals(sender.sender().endpointId(), header.source());
                    assertEquals(ProcessId.current().pid(), header.sourcePid(), "from the envelope");
                    assertTrue(header.sendTime() > 0 && header.sendTime() <= Header.clockNanos(), header.toString());
                    assertEquals(Header.NO_REPLY, header.replyTo());
                    assertEquals(tick(2, 1), receiver.receive());
                    List<Double> prices = new ArrayList<>();
                    assertEquals(2, receiver.receive((h, segment, offset, length) -> {
                        assertEquals(24, length);
                        prices.add(TICK_PRICE.getDouble(segment, offset));
                    }, 10, Duration.ofSeconds(1)));
                    assertEquals(List.of(0.75, 1.0), prices);
                    assertEquals(4, receiver.lastHeader().sequence());
                    assertNull(receiver.tryReceive());
                    assertNull(receiver.receive(Duration.ofMillis(10)));
                    assertEquals(TypedReceiver.EMPTY, receiver.poll((h, s, o, l) -> { }, 5), "EMPTY, never 0");
                    assertEquals(TypedReceiver.EMPTY, receiver.receive((h, s, o, l) -> { }, 5, Duration.ofMillis(10)));
                }
            });
        }
    }

    @Test
    void shouldSendBareRecordsWithoutTheEnvelopeAndTellThemFromEnvelopedOnes() throws Exception {
        for (ChannelType type : ChannelType.values()) {
            withRing(type, channel -> {
                try (TypedReceiver<Tick> receiver = TypedReceiver.withoutEnvelope(
                        channel.receiver(WaitStrategy.busySpin(), false), TICKS)) {
                    assertTrue(!receiver.enveloped());
                    try (TypedSender<Tick> bare = TypedSender.withoutEnvelope(channel.sender(WaitStrategy.busySpin()), TICKS, TICK)) {
                        assertTrue(!bare.enveloped());
                        assertEquals(1, bare.trySend(tick(1, 1)));
                        long index = bare.tryClaim();                // in place: the value at the claim itself
                        TICK_SEQUENCE.setLong(bare.buffer(), index, 2);
                        TICK_PRICE.setDouble(bare.buffer(), index, 0.5);
                        TICKS.field("quantity").setInt(bare.buffer(), index, 2);
                        TICKS.field("producer").setInt(bare.buffer(), index, 1);
                        assertEquals(2, bare.commit(index));
                        assertThrows(IllegalStateException.class, () -> bare.commit(index), "committed already");

                        assertEquals(tick(1, 1), receiver.tryReceive());
                        Header header = receiver.lastHeader();
                        assertEquals(TICK, header.type());
                        assertEquals(1, header.sequence());
                        assertEquals(24, header.length());
                        assertEquals(bare.sender().endpointId(), header.source());
                        assertEquals(0, header.sourcePid(), "no envelope: no pid");
                        assertEquals(0, header.sendTime(), "no envelope: no send time");
                        assertEquals(0, header.ageNanos());
                        int[] lengths = new int[1];
                        assertEquals(1, receiver.receive((h, segment, offset, length) -> {
                            lengths[0] = length;
                            assertEquals(tick(2, 1), TICKS.decode(segment, offset));
                        }, 5, Duration.ofSeconds(1)));
                        assertEquals(24, lengths[0], "the record is the value alone");
                    }
                    try (TypedSender<Tick> enveloped = TypedSender.of(channel.sender(WaitStrategy.busySpin()), TICKS, TICK)) {
                        assertTrue(enveloped.enveloped());
                        assertTrue(enveloped.trySend(tick(3, 1)) > 0);
                        MalformedMessageException e = assertThrows(MalformedMessageException.class, receiver::tryReceive);
                        assertTrue(e.getMessage().contains("TypedReceiver.of"), e.getMessage());
                        assertNull(receiver.tryReceive(), "the refused record was consumed");
                    }
                }
                try (TypedSender<Tick> bare = TypedSender.withoutEnvelope(channel.sender(WaitStrategy.busySpin()), TICKS, TICK);
                     TypedReceiver<Tick> receiver = TypedReceiver.of(channel.receiver(WaitStrategy.busySpin(), false), TICKS)) {
                    assertTrue(bare.trySend(tick(4, 1)) > 0);
                    MalformedMessageException e = assertThrows(MalformedMessageException.class, receiver::tryReceive);
                    assertTrue(e.getMessage().contains("withoutEnvelope"), e.getMessage());
                }
            });
        }
    }

    @Test
    void shouldTellEachKindOfRecordFromTheOtherEvenWhenAValueStartsWithTheMagic() throws Exception {
        withRing(ChannelType.SPSC, channel -> {
            // a bare Tick whose first field's low word is the envelope's magic, read by an enveloped receiver
            long magicFirst = EnvelopeDescriptor.MAGIC & 0xFFFF_FFFFL;
            try (TypedSender<Tick> bare = TypedSender.withoutEnvelope(channel.sender(WaitStrategy.busySpin()), TICKS, TICK);
                 TypedReceiver<Tick> enveloped = TypedReceiver.of(channel.receiver(WaitStrategy.busySpin(), false), TICKS)) {
                bare.trySend(new Tick(magicFirst, 1.0, 1, 1));
                assertThrows(MalformedMessageException.class, enveloped::tryReceive, "its length less the envelope is not a Tick's");
            }
            // an enveloped Tick handed to a bare receiver's handler
            try (TypedSender<Tick> sender = TypedSender.of(channel.sender(WaitStrategy.busySpin()), TICKS, TICK);
                 TypedReceiver<Tick> bare = TypedReceiver.withoutEnvelope(channel.receiver(WaitStrategy.busySpin(), false), TICKS)) {
                sender.trySend(tick(1, 1));
                int[] handed = {0};
                MalformedMessageException e = assertThrows(MalformedMessageException.class,
                        () -> bare.poll((h, s, o, l) -> handed[0]++, 1));
                assertTrue(e.getMessage().contains("TypedReceiver.of"), e.getMessage());
                assertEquals(0, handed[0], "the handler never saw the envelope as a value");
            }
        });
    }

    @Test
    void shouldGiveABareValueTheWholeMessage() throws Exception {
        String name = TestNames.unique("typed-whole");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).maxMessageLength(24))) {
            try (Sender sender = channel.sender(WaitStrategy.busySpin())) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> TypedSender.of(sender, TICKS, TICK), "24 bytes leave no room after the envelope");
                assertTrue(e.getMessage().contains("envelope"), e.getMessage());
            }
            try (TypedSender<Tick> bare = TypedSender.withoutEnvelope(channel.sender(WaitStrategy.busySpin()), TICKS, TICK);
                 TypedReceiver<Tick> receiver = TypedReceiver.withoutEnvelope(channel.receiver(WaitStrategy.busySpin(), false), TICKS)) {
                assertEquals(1, bare.trySend(tick(9, 1)), "a 24-byte record in a ring of 24-byte messages");
                assertEquals(tick(9, 1), receiver.tryReceive());
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseACodecOfManySizesWithoutTheEnvelope() throws Exception {
        withRing(ChannelType.SPSC, channel -> {
            try (Sender sender = channel.sender(WaitStrategy.busySpin())) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> TypedSender.withoutEnvelope(sender, Codec.utf8(), 1));
                assertTrue(e.getMessage().contains("fixed-size"), e.getMessage());
            }
            try (var receiver = channel.receiver(WaitStrategy.busySpin(), false)) {
                assertThrows(IllegalArgumentException.class, () -> TypedReceiver.withoutEnvelope(receiver, Codec.utf8()));
            }
        });
    }

    @Test
    void shouldAbortTheClaimWhenTheCodecThrows() throws Exception {
        withRing(ChannelType.SPSC, channel -> {
            try (TypedSender<Job> sender = TypedSender.of(channel.sender(WaitStrategy.busySpin()), JOBS, 1);
                 TypedReceiver<Job> receiver = TypedReceiver.of(channel.receiver(WaitStrategy.busySpin(), false), JOBS)) {
                assertThrows(IllegalArgumentException.class, () -> sender.trySend(new Job(1, 1, 1, "far too long for sixteen")));
                assertNull(receiver.tryReceive(), "the receiver passes over the aborted claim");
                Job ok = new Job(2, 1, 1, "ok");
                assertEquals(1, sender.trySend(ok), "no sequence number was used");
                assertEquals(ok, receiver.receive(Duration.ofSeconds(1)));
            }
        });
    }

    @Test
    void shouldSendVariableSizeValuesAndRefuseOnesTooLong() throws Exception {
        withRing(ChannelType.MPSC, channel -> {
            try (TypedSender<String> sender = TypedSender.of(channel.sender(WaitStrategy.busySpin()), Codec.utf8(), 3);
                 TypedReceiver<String> receiver = TypedReceiver.of(channel.receiver(WaitStrategy.busySpin(), false), Codec.utf8())) {
                assertEquals(1, sender.trySend("héllo"));
                assertEquals("héllo", receiver.tryReceive());
                assertEquals(6, receiver.lastHeader().length());
                int most = 256 - EnvelopeDescriptor.LENGTH; // the channel's longest message less the envelope
                assertEquals(2, sender.trySend("x".repeat(most)));
                assertEquals("x".repeat(most), receiver.tryReceive());
                MessageTooLongException e = assertThrows(MessageTooLongException.class, () -> sender.trySend("x".repeat(most + 1)));
                assertEquals(most + 1, e.length());
                assertEquals(most, e.maxLength());
                assertThrows(IllegalStateException.class, sender::tryClaim, "only fixed sizes are claimed");
                assertNull(receiver.tryReceive());
            }
        });
    }

    @Test
    void shouldRefuseAMessageWithoutEnvelopeOrOfAnotherLengthAsMalformedAndGoOn() throws Exception {
        withRing(ChannelType.SPSC, channel -> {
            try (Sender raw = channel.sender(WaitStrategy.busySpin());
                 TypedReceiver<Tick> receiver = TypedReceiver.of(channel.receiver(WaitStrategy.busySpin(), false), TICKS)) {
                int envelope = EnvelopeDescriptor.LENGTH;
                raw.trySend(TICK, new byte[envelope + 24]);          // no envelope: no magic
                raw.trySend(TICK, enveloped(new byte[envelope + 23]));
                raw.trySend(TICK, enveloped(new byte[envelope + 24]));
                MalformedMessageException e = assertThrows(MalformedMessageException.class, receiver::tryReceive);
                assertTrue(e.getMessage().contains("envelope"), e.getMessage());
                assertThrows(MalformedMessageException.class, receiver::tryReceive);
                assertEquals(new Tick(0, 0, 0, 0), receiver.tryReceive(), "the malformed messages were consumed");
                assertEquals(4242, receiver.lastHeader().sourcePid());
                assertEquals(77, receiver.lastHeader().sendTime());
            }
        });
    }

    /** {@return {@code message} with an envelope written by hand: pid 4242, send time 77} */
    private static byte[] enveloped(byte[] message) {
        MemorySegment segment = MemorySegment.ofArray(message);
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, EnvelopeDescriptor.MAGIC_OFFSET, EnvelopeDescriptor.MAGIC);
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, EnvelopeDescriptor.SOURCE_PID_OFFSET, 4242);
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, EnvelopeDescriptor.SEND_TIME_OFFSET, 77);
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, EnvelopeDescriptor.REPLY_TO_OFFSET, EnvelopeDescriptor.NO_REPLY);
        return message;
    }

    @Test
    void shouldSayWhenTheSendersHaveGone() throws Exception {
        withRing(ChannelType.SPSC, channel -> {
            try (TypedReceiver<Tick> receiver = TypedReceiver.of(channel.receiver(WaitStrategy.blocking()), TICKS)) {
                TypedSender.of(channel.sender(WaitStrategy.blocking()), TICKS, TICK).close();
                assertThrows(PeerGoneException.class, () -> receiver.receive(Duration.ofSeconds(5)), "told by default");
                assertThrows(PeerGoneException.class, receiver::tryReceive);
                assertEquals(TypedReceiver.CLOSED, receiver.receive((h, s, o, l) -> { }, 1, Duration.ofSeconds(5)));
                assertEquals(TypedReceiver.CLOSED, receiver.poll((h, s, o, l) -> { }, 1));
            }
        });
    }

    @Test
    void shouldCarryRecordsFromAnotherJvm() throws Exception {
        long count = 200_000;
        withRing(ChannelType.SPSC, channel -> {
            try (TypedReceiver<Tick> receiver = TypedReceiver.of(channel.receiver(WaitStrategy.blocking(), false), TICKS);
                 ChildProcess child = ChildProcess.java(MessagingChild.class, "typed-send", channel.name(),
                         Long.toString(count), Integer.toString(TICK))) {
                long[] next = {1};
                String[] wrong = {null};
                while (next[0] <= count) {
                    if (next[0] % 1000 == 0) { // now and then decoded
                        Tick tick = receiver.receive(Duration.ofSeconds(60));
                        if (!tick(next[0], 1).equals(tick) && wrong[0] == null) {
                            wrong[0] = "tick " + next[0] + " decoded as " + tick;
                        }
                        next[0]++;
                        continue;
                    }
                    int n = receiver.receive((header, segment, offset, length) -> {
                        long sequence = TICK_SEQUENCE.getLong(segment, offset);
                        if ((sequence != next[0] || header.sequence() != next[0] || header.type() != TICK
                                || TICK_PRICE.getDouble(segment, offset) != next[0] * 0.25) && wrong[0] == null) {
                            wrong[0] = "message " + next[0] + ": " + header + " sequence " + sequence;
                        }
                        next[0]++;
                    }, (int) Math.min(256, 1000 - next[0] % 1000), Duration.ofSeconds(60));
                    assertTrue(n > 0, "nothing for 60 s after " + (next[0] - 1));
                }
                assertNull(wrong[0]);
                child.assertSuccess(CHILD_DEADLINE);
            }
        });
    }

    @Test
    void shouldCarryBareRecordsFromAnotherJvmInOrder() throws Exception {
        long count = 100_000;
        withRing(ChannelType.SPSC, channel -> {
            try (TypedReceiver<Tick> receiver = TypedReceiver.withoutEnvelope(channel.receiver(WaitStrategy.blocking(), false), TICKS);
                 ChildProcess child = ChildProcess.java(MessagingChild.class, "typed-send-bare", channel.name(),
                         Long.toString(count), Integer.toString(TICK))) {
                for (long n = 1; n <= count; n++) {
                    Tick tick = receiver.receive(Duration.ofSeconds(60));
                    assertEquals(tick(n, 1), tick, "message " + n);
                    Header header = receiver.lastHeader();
                    assertEquals(n, header.sequence());
                    assertEquals(TICK, header.type());
                    assertEquals(0, header.sourcePid());
                }
                child.assertSuccess(CHILD_DEADLINE);
            }
        });
    }

    @Test
    void shouldTellAReceiverInAnotherJvmTheSendersPidSequenceAndSendTime() throws Exception {
        long count = 1_000;
        for (ChannelType type : List.of(ChannelType.SPSC, ChannelType.MPMC)) {
            withRing(type, channel -> {
                long before = Header.clockNanos();
                try (TypedReceiver<Tick> receiver = TypedReceiver.of(channel.receiver(WaitStrategy.blocking(), false), TICKS);
                     ChildProcess child = ChildProcess.java(MessagingChild.class, "typed-send", channel.name(),
                             Long.toString(count), Integer.toString(TICK))) {
                    long lastSendTime = before;
                    for (long n = 1; n <= count; n++) {
                        Tick tick = n % 2 == 0 ? receiver.receive(Duration.ofSeconds(60)) : null;
                        if (tick == null) {
                            Header[] seen = new Header[1];
                            assertEquals(1, receiver.receive((header, segment, offset, length) -> seen[0] = header,
                                    1, Duration.ofSeconds(60)), "nothing for 60 s after " + (n - 1));
                            assertEquals(receiver.lastHeader().toString(), seen[0].toString(), "the handler's header is the last");
                        } else {
                            assertEquals(tick(n, 1), tick);
                        }
                        Header header = receiver.lastHeader();
                        long now = Header.clockNanos();
                        assertEquals(child.pid(), header.sourcePid(), type + " message " + n + ": " + header);
                        assertEquals(n, header.sequence(), type + " message " + n + ": " + header);
                        assertEquals(TICK, header.type());
                        assertEquals(24, header.length(), "the value's length, nothing else");
                        assertTrue(header.sendTime() >= lastSendTime && header.sendTime() <= now,
                                type + " message " + n + " sent at " + header.sendTime() + ", not between the last one's "
                                        + lastSendTime + " and now " + now + ": " + header);
                        lastSendTime = header.sendTime();
                    }
                    child.assertSuccess(CHILD_DEADLINE);
                }
            });
        }
    }

    @Test
    void shouldExchangeRecordsWithACPeerBuiltFromTheEmittedHeader() throws Exception {
        Path peer = cPeer();
        long count = 100_000;
        for (ChannelType type : List.of(ChannelType.SPSC, ChannelType.MPMC)) {
            withRing(type, channel -> {
                // C sends, Java receives
                try (TypedReceiver<Tick> receiver = TypedReceiver.of(channel.receiver(WaitStrategy.blocking(), false), TICKS);
                     ChildProcess c = ChildProcess.program("typed_peer", peer.toString(), "send", channel.name(),
                             Long.toString(count), Integer.toString(TICK))) {
                    for (long n = 1; n <= count; n++) {
                        Tick tick = receiver.receive(Duration.ofSeconds(60));
                        assertEquals(tick(n, 2), tick, "tick " + n + " from C");
                        assertEquals(TICK, receiver.lastHeader().type());
                        assertEquals(c.pid(), receiver.lastHeader().sourcePid(), "the envelope C wrote");
                    }
                    c.assertSuccess(CHILD_DEADLINE);
                }
                // Java sends, C receives and checks every field
                try (TypedSender<Tick> sender = TypedSender.of(channel.sender(WaitStrategy.blocking()), TICKS, TICK);
                     ChildProcess c = ChildProcess.program("typed_peer", peer.toString(), "recv", channel.name(),
                             Long.toString(count), Integer.toString(TICK))) {
                    for (long n = 1; n <= count; n++) {
                        sender.send(tick(n, 1));
                    }
                    c.assertSuccess(CHILD_DEADLINE);
                    assertTrue(c.output().contains("received " + count + " ticks of 24 bytes"), c.output());
                }
            });
        }
    }

    /** {@return typed_peer.c built against the header {@link MessageRecords#TICKS} emits} */
    private Path cPeer() throws IOException {
        Files.writeString(dir.resolve("Tick.h"), TICKS.cHeader());
        Path source = dir.resolve("typed_peer.c");
        try (InputStream in = TypedChannelTest.class.getResourceAsStream("typed_peer.c")) {
            assertTrue(in != null, "typed_peer.c is not on the test class path");
            Files.copy(in, source);
        }
        return CCompiler.compile(source, dir.resolve("typed_peer"));
    }
}
