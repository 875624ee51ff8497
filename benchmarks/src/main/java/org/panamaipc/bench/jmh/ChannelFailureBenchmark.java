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
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The cost of the expected failures that a polling loop meets most: a receive from an empty
 * channel and a send into a full one, both returned as values ({@code EMPTY}, {@code FULL}). In
 * {@link ChannelThroughputBenchmark} these are the {@code receivesFailed} and {@code sendsFailed}
 * calls; here each is measured alone, in one thread, with a live peer endpoint attached.
 *
 * <ul>
 * <li>{@link #tryReceiveEmpty(Empty)}: {@code tryReceive} on an empty channel, by a receiver
 *     attached with {@code closeWhenSendersGone} false or true (true: an empty receive checks
 *     whether every sender has gone).</li>
 * <li>{@link #trySendFull(Full)}: {@code trySend} into a full channel (a failed send checks, at
 *     most every 10 ms, whether every receiver has gone).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
public class ChannelFailureBenchmark {

    private static final int MESSAGE_TYPE = 7;
    private static final int SIZE = 32;
    private static final long CAPACITY = ChannelOptions.MIN_CAPACITY;

    /** An empty channel with a live sender and the receiver under test. */
    @State(Scope.Thread)
    public static class Empty {
        /** The channel kind. */
        @Param({"SPSC", "MPSC", "MPMC"})
        public ChannelType type;

        /** Whether the receiver asked to be told when every sender has gone. */
        @Param({"false", "true"})
        public boolean closeWhenSendersGone;

        RingChannel channel;
        Sender sender;
        Receiver receiver;
        Arena arena;
        MemorySegment destination;

        @Setup(Level.Trial)
        public void setUp() {
            Prelink.channel(type);
            channel = RingChannel.create(Names.unique("empty-" + type), ChannelOptions.of(type).capacity(CAPACITY));
            sender = channel.sender(WaitStrategy.busySpin());
            receiver = channel.receiver(WaitStrategy.busySpin(), closeWhenSendersGone);
            arena = Arena.ofConfined();
            destination = arena.allocate(SIZE, Long.BYTES);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            receiver.close();
            sender.close();
            channel.unlink();
            channel.close();
            arena.close();
        }
    }

    /** A full channel with a live receiver and the sender under test. */
    @State(Scope.Thread)
    public static class Full {
        /** The channel kind. */
        @Param({"SPSC", "MPSC", "MPMC"})
        public ChannelType type;

        RingChannel channel;
        Sender sender;
        Receiver receiver;
        Arena arena;
        MemorySegment source;

        @Setup(Level.Trial)
        public void setUp() {
            Prelink.channel(type);
            channel = RingChannel.create(Names.unique("full-" + type), ChannelOptions.of(type).capacity(CAPACITY));
            sender = channel.sender(WaitStrategy.busySpin());
            receiver = channel.receiver(WaitStrategy.busySpin(), false);
            arena = Arena.ofConfined();
            source = arena.allocate(SIZE, Long.BYTES);
            int sent = 0;
            while (sender.trySend(MESSAGE_TYPE, source, 0, SIZE) >= 0) {
                sent++;
            }
            if (sent == 0) {
                throw new IllegalStateException("channel of capacity=" + CAPACITY + " took no message");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            receiver.close();
            sender.close();
            channel.unlink();
            channel.close();
            arena.close();
        }
    }

    /** {@return EMPTY} */
    @Benchmark
    public int tryReceiveEmpty(Empty empty) {
        int result = empty.receiver.tryReceive(empty.destination, 0);
        if (result != Receiver.EMPTY) {
            throw new IllegalStateException("tryReceive on an empty channel returned " + result);
        }
        return result;
    }

    /** {@return FULL} */
    @Benchmark
    public long trySendFull(Full full) {
        long result = full.sender.trySend(MESSAGE_TYPE, full.source, 0, SIZE);
        if (result != Sender.FULL) {
            throw new IllegalStateException("trySend into a full channel returned " + result);
        }
        return result;
    }
}
