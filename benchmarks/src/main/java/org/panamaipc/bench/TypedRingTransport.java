package org.panamaipc.bench;

import org.panamaipc.bench.BenchRecords.Rec1K;
import org.panamaipc.bench.BenchRecords.Rec32;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.RecordField;
import org.panamaipc.message.RecordHandler;
import org.panamaipc.message.TypedReceiver;
import org.panamaipc.message.TypedSender;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * Typed records over two ring channels, one each way, as {@link RingTransport} sends bytes: a
 * message of 32 bytes is a {@link Rec32}, one of 1 KiB a {@link Rec1K}, each claimed with
 * {@link TypedSender#tryClaim()} and written field by field in place (the sequence number through
 * its {@link RecordField}, the payload words into the array field), committed by the typed sender
 * (which writes the envelope: pid and send time, 24 bytes before the record), and read in place by a
 * {@link TypedReceiver}'s handler (the sequence number through its field, the payload copied out).
 * No record object is made on either side: the typed path without allocation. The bare variant
 * ({@code typed-bare}) sends the records without the envelope ({@link TypedSender#withoutEnvelope}).
 */
public final class TypedRingTransport implements Transport {

    private static final long CAPACITY = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ChannelType type;
    private final String strategyName;
    private final boolean enveloped;

    TypedRingTransport(ChannelType type, String strategyName, boolean enveloped) {
        this.type = type;
        this.strategyName = strategyName;
        this.enveloped = enveloped;
    }

    @Override
    public String name() {
        return (enveloped ? "typed-" : "typed-bare-") + type.name().toLowerCase() + "/" + strategyName;
    }

    private String toPong(String id) {
        return "/pipc-bench-" + id + (enveloped ? "-typed-a" : "-bare-a");
    }

    private String toPing(String id) {
        return "/pipc-bench-" + id + (enveloped ? "-typed-b" : "-bare-b");
    }

    @Override
    public void setUp(String id) {
        ChannelOptions options = ChannelOptions.of(type).capacity(CAPACITY).maxMessageLength(64 * 1024);
        RingChannel.create(toPong(id), options).close();
        RingChannel.create(toPing(id), options).close();
    }

    @Override
    public void tearDown(String id) {
        SharedMemory.unlinkIfExists(toPong(id));
        SharedMemory.unlinkIfExists(toPing(id));
    }

    @Override
    public Side open(String id, boolean ping) {
        WaitStrategy strategy = RingTransport.strategy(strategyName);
        RingChannel out = RingChannel.open(ping ? toPong(id) : toPing(id));
        RingChannel in = RingChannel.open(ping ? toPing(id) : toPong(id));
        Sender sender = out.sender(strategy);
        TypedSender<Rec32> small = enveloped ? TypedSender.of(sender, BenchRecords.REC32, 32)
                : TypedSender.withoutEnvelope(sender, BenchRecords.REC32, 32);
        TypedSender<Rec1K> large = enveloped ? TypedSender.of(sender, BenchRecords.REC1K, 1024)
                : TypedSender.withoutEnvelope(sender, BenchRecords.REC1K, 1024);
        TypedReceiver<Rec32> receiver = enveloped ? TypedReceiver.of(in.receiver(strategy, false), BenchRecords.REC32)
                : TypedReceiver.withoutEnvelope(in.receiver(strategy, false), BenchRecords.REC32);
        RecordField smallSequence = BenchRecords.sequenceField(BenchRecords.REC32);
        RecordField largeSequence = BenchRecords.sequenceField(BenchRecords.REC1K);
        long smallPayload = BenchRecords.REC32.field("payload").offset();
        long largePayload = BenchRecords.REC1K.field("payload").offset();
        return new Side() {
            private MemorySegment into;
            private int received;
            private final RecordHandler copyOut = (header, segment, offset, length) -> {
                boolean isSmall = length == 32;
                RecordField sequence = isSmall ? smallSequence : largeSequence;
                long payload = isSmall ? smallPayload : largePayload;
                into.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, sequence.getLong(segment, offset));
                MemorySegment.copy(segment, offset + payload, into, payload, length - payload);
                received = length;
            };

            @Override
            public void send(MemorySegment message, int length) throws InterruptedException {
                boolean isSmall = length <= 32;
                long index = isSmall ? small.tryClaim() : large.tryClaim();
                if (index < 0) {
                    index = isSmall ? small.claim(TIMEOUT) : large.claim(TIMEOUT);
                    if (index < 0) {
                        throw new IllegalStateException("no room in " + out.name() + " for " + TIMEOUT);
                    }
                }
                MemorySegment ring = sender.buffer();
                (isSmall ? smallSequence : largeSequence).setLong(ring, index,
                        message.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0));
                long payload = isSmall ? smallPayload : largePayload;
                int size = isSmall ? 32 : 1024;
                long bytes = Math.min(length, size) - payload;
                if (bytes > 0) {
                    MemorySegment.copy(message, payload, ring, index + payload, bytes);
                }
                if (isSmall) { // the typed sender's commit: it writes the envelope (pid, send time) first
                    small.commit(index);
                } else {
                    large.commit(index);
                }
            }

            @Override
            public int receive(MemorySegment buffer) throws InterruptedException {
                into = buffer;
                if (receiver.poll(copyOut, 1) < 1 && receiver.receive(copyOut, 1, TIMEOUT) < 1) { // EMPTY: nothing came
                    throw new IllegalStateException("nothing from " + in.name() + " for " + TIMEOUT);
                }
                return received;
            }

            @Override
            public void close() {
                small.close();
                large.close();
                receiver.close();
                out.close();
                in.close();
            }
        };
    }
}
