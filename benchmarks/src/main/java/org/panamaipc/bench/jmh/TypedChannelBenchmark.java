package org.panamaipc.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panamaipc.bench.BenchRecords;
import org.panamaipc.bench.BenchRecords.Rec1K;
import org.panamaipc.bench.BenchRecords.Rec32;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHandler;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.codec.RecordField;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.RecordHandler;
import org.panamaipc.message.TypedReceiver;
import org.panamaipc.message.TypedSender;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Typed send and receive, one message at a time by one thread (the message is taken out again at
 * once, so nothing waits), against the plain bytes of the same size on the same ring: what a
 * record costs over bytes, and the bytes per operation that {@code -prof gc} reports
 * ({@code gc.alloc.rate.norm}: 0 for every form but {@link #typedDecoded()}).
 *
 * <ul>
 * <li>{@link #bytes()}: the ring alone: {@code trySend} of a segment, {@code poll} reading the
 *     first word in place.</li>
 * <li>{@link #typedRecord()}: {@code TypedSender.trySend(record)}, the record encoded into the
 *     claimed space, and {@code TypedReceiver.poll} reading the sequence field in place. One record
 *     object is sent again and again: making it is the caller's.</li>
 * <li>{@link #typedFields()}: {@code tryClaim}, the sequence field written through its
 *     {@code RecordField}, {@code commit}, then the in-place read: no record at all.</li>
 * <li>{@link #typedDecoded()}: {@code trySend(record)} and {@code tryReceive()}, which decodes a
 *     new record: this allocates, for contrast.</li>
 * <li>{@link #mailbox()}: a {@link Mailbox} over an MPMC ring: {@code trySend(record)} with its
 *     envelope (pid, send time, reply address), {@code poll} in place.</li>
 * <li>{@link #typedBare()} and {@link #mailboxBare()}: the same as {@link #typedRecord()} and
 *     {@link #mailbox()} without the envelope ({@code TypedSender.withoutEnvelope},
 *     {@code MailboxOptions.withoutEnvelope()}): the value alone, no clock read.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class TypedChannelBenchmark {

    private static final int TYPE = 5;

    /** The ring's kind. */
    @Param({"SPSC", "MPMC"})
    public ChannelType type;

    /** The record's size: 32 ({@link Rec32}) or 1024 ({@link Rec1K}). */
    @Param({"32", "1024"})
    public int size;

    private RingChannel channel;
    private Sender sender;
    private Receiver receiver;
    private TypedSender<Record> typedSender;
    private TypedReceiver<Record> typedReceiver;
    private Mailbox<Record> mailbox;
    private String mailboxName;
    private TypedSender<Record> bareSender;
    private TypedReceiver<Record> bareReceiver;
    private Mailbox<Record> bareMailbox;
    private String bareMailboxName;
    private RecordField sequence;
    private Record record;
    private Arena arena;
    private MemorySegment source;
    private long sum;
    private long counter;
    private final MessageHandler readBytes = (header, buffer, offset, length) ->
            sum += buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
    private RecordHandler readRecord;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        Prelink.channel(type);
        channel = RingChannel.create(Names.unique("typed-" + type), ChannelOptions.of(type));
        sender = channel.sender(WaitStrategy.busySpin());
        receiver = channel.receiver(WaitStrategy.busySpin(), false);
        RecordCodec<Record> codec = (RecordCodec<Record>) BenchRecords.codecFor(size);
        if (codec.byteSize() != size) {
            throw new IllegalStateException("size=" + size + " has no record of that size");
        }
        typedSender = TypedSender.of(sender, codec, TYPE);
        typedReceiver = TypedReceiver.of(receiver, codec);
        sequence = codec.field("sequence");
        RecordField field = sequence;
        readRecord = (header, segment, offset, length) -> sum += field.getLong(segment, offset);
        record = size == 32 ? new Rec32(1, new long[3]) : new Rec1K(1, new long[127]);
        mailboxName = Names.unique("typed-mbox");
        mailbox = Mailbox.create(mailboxName, MailboxOptions.ring().capacity(64)
                .waitStrategy(WaitStrategy.busySpin()), codec);
        bareSender = TypedSender.withoutEnvelope(sender, codec, TYPE);      // the same ring, one message at a time
        bareReceiver = TypedReceiver.withoutEnvelope(receiver, codec);
        bareMailboxName = Names.unique("typed-bare-mbox");
        bareMailbox = Mailbox.create(bareMailboxName, MailboxOptions.ring().capacity(64).withoutEnvelope()
                .waitStrategy(WaitStrategy.busySpin()), codec);
        arena = Arena.ofConfined();
        source = arena.allocate(size, Long.BYTES);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        typedReceiver.close();
        typedSender.close();
        channel.unlink();
        channel.close();
        mailbox.close();
        Mailbox.unlinkIfExists(mailboxName);
        bareMailbox.close();
        Mailbox.unlinkIfExists(bareMailboxName);
        arena.close();
    }

    /** {@return the running sum} The ring alone, bytes of the record's size. */
    @Benchmark
    public long bytes() {
        source.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, ++counter);
        if (sender.trySend(TYPE, source, 0, size) < 0 || receiver.poll(readBytes, 1) != 1) {
            throw new IllegalStateException("a ring emptied after every send refused one");
        }
        return sum;
    }

    /** {@return the running sum} A record encoded in place, read in place. */
    @Benchmark
    public long typedRecord() {
        if (typedSender.trySend(record) < 0 || typedReceiver.poll(readRecord, 1) != 1) {
            throw new IllegalStateException("a ring emptied after every send refused one");
        }
        return sum;
    }

    /** {@return the running sum} A field written in place, read in place: no record. */
    @Benchmark
    public long typedFields() {
        long index = typedSender.tryClaim();
        if (index < 0) {
            throw new IllegalStateException("a ring emptied after every send refused a claim");
        }
        sequence.setLong(typedSender.buffer(), index, ++counter);
        typedSender.commit(index);
        if (typedReceiver.poll(readRecord, 1) != 1) {
            throw new IllegalStateException("nothing after a commit");
        }
        return sum;
    }

    /** {@return the record decoded} Allocates the record it returns. */
    @Benchmark
    public Record typedDecoded() {
        typedSender.trySend(record);
        return typedReceiver.tryReceive();
    }

    /** {@return the running sum} A mailbox over an MPMC ring: the envelope and the record. */
    @Benchmark
    public long mailbox() {
        if (mailbox.trySend(record) < 0 || mailbox.poll(readRecord, 1) != 1) {
            throw new IllegalStateException("a mailbox emptied after every send refused one");
        }
        return sum;
    }

    /** {@return the running sum} A record without the envelope, read in place. */
    @Benchmark
    public long typedBare() {
        if (bareSender.trySend(record) < 0 || bareReceiver.poll(readRecord, 1) != 1) {
            throw new IllegalStateException("a ring emptied after every send refused one");
        }
        return sum;
    }

    /** {@return the running sum} A mailbox without the envelope over an MPMC ring. */
    @Benchmark
    public long mailboxBare() {
        if (bareMailbox.trySend(record) < 0 || bareMailbox.poll(readRecord, 1) != 1) {
            throw new IllegalStateException("a mailbox emptied after every send refused one");
        }
        return sum;
    }
}
