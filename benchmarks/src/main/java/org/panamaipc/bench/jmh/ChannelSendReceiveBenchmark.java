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
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHandler;
import org.panamaipc.channel.MessageHeader;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one message through a ring channel, sent and received by the same thread: a
 * {@code trySend} followed by the receive that takes the message out again, so the ring never
 * fills and neither side ever waits. What is measured is the message path itself: the claim, the
 * header and payload stores, the release that publishes, the acquire that sees it, the head
 * update, and the check of whether a sleeping peer needs a wake-up.
 *
 * <ul>
 * <li>{@link #copy()}: {@code trySend(type, segment, offset, length)} from native memory and
 *     {@code tryReceive(segment, offset)} into native memory: the payload is copied in and out.</li>
 * <li>{@link #zeroCopy()}: {@code tryClaim}, two 8-byte stores into the claimed payload (its first
 *     and last word), {@code commit}, then {@code poll} with a handler that reads those two words in
 *     place. On MPMC the receiver copies each message to its scratch buffer before taking it
 *     (a compare-and-set decides which receiver gets it), so there {@code poll} copies too.</li>
 * </ul>
 *
 * <p>{@code strategy} matters even though nothing waits: with {@code blocking} endpoints every
 * commit and every head move pays a full fence and a look at the sleeping-waiter count.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class ChannelSendReceiveBenchmark {

    private static final int MESSAGE_TYPE = 7;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    /** The channel kind. */
    @Param({"SPSC", "MPSC", "MPMC"})
    public ChannelType type;

    /** The wait strategy of both endpoints: {@code spin} or {@code blocking}. */
    @Param({"spin", "blocking"})
    public String strategy;

    /** The payload length in bytes. */
    @Param({"32", "1024"})
    public int size;

    private RingChannel channel;
    private Sender sender;
    private Receiver receiver;
    private Arena arena;
    private MemorySegment source;
    private MemorySegment destination;
    private MemorySegment ring;
    private final Sum handler = new Sum();
    private long counter;

    /** Reads the first and the last word of each payload, where {@link #zeroCopy()} wrote them. */
    static final class Sum implements MessageHandler {
        long sum;

        @Override
        public void onMessage(MessageHeader header, MemorySegment buffer, long offset, int length) {
            sum += buffer.get(WORD, offset) + buffer.get(WORD, offset + length - Long.BYTES);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Prelink.channel(type);
        channel = RingChannel.create(Names.unique("chan-" + type), ChannelOptions.of(type));
        sender = channel.sender(Strategies.of(strategy));
        receiver = channel.receiver(Strategies.of(strategy), false);
        ring = sender.buffer();
        arena = Arena.ofConfined();
        source = arena.allocate(size, Long.BYTES);
        source.fill((byte) 'x');
        destination = arena.allocate(size, Long.BYTES);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        receiver.close();
        sender.close();
        channel.unlink();
        channel.close();
        arena.close();
    }

    /** {@return the length received} Copies the payload in and out. */
    @Benchmark
    public int copy() {
        if (sender.trySend(MESSAGE_TYPE, source, 0, size) < 0) {
            throw new IllegalStateException("trySend failed on a channel that is emptied after every send");
        }
        int length = receiver.tryReceive(destination, 0);
        if (length != size) {
            throw new IllegalStateException("tryReceive returned " + length + " after a send of size=" + size);
        }
        return length;
    }

    /** {@return the running sum the handler read} Writes and reads the payload in place. */
    @Benchmark
    public long zeroCopy() {
        long index = sender.tryClaim(MESSAGE_TYPE, size);
        if (index < 0) {
            throw new IllegalStateException("tryClaim failed on a channel that is emptied after every send");
        }
        long value = ++counter;
        ring.set(WORD, index, value);
        ring.set(WORD, index + size - Long.BYTES, value);
        sender.commit(index);
        int count = receiver.poll(handler, 1);
        if (count != 1) {
            throw new IllegalStateException("poll returned " + count + " after a commit");
        }
        return handler.sum;
    }
}
