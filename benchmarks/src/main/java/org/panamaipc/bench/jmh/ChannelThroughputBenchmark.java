package org.panamaipc.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One-way throughput of a ring channel between two threads of one JVM, one sending and one
 * receiving, neither ever waiting: a send into a full ring and a receive from an empty one return
 * at once and are counted as failed (the method of JCTools' {@code QueueThroughputBackoffNone}).
 * The score of each method is the rate of all its calls; the {@code @AuxCounters} split it into
 * {@code sendsMade}/{@code sendsFailed} and {@code receivesMade}/{@code receivesFailed}, and
 * {@code receivesMade} is the message throughput.
 *
 * <p>As two processes would, each thread maps the channel itself and attaches its own endpoint
 * (allocated by that thread), so the two endpoints share nothing but the channel's memory. The
 * payload is copied in ({@code trySend} from native memory) and out ({@code tryReceive} into
 * native memory). On a machine with two CPUs, both are busy: anything else running shows.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@State(Scope.Group)
public class ChannelThroughputBenchmark {

    private static final int MESSAGE_TYPE = 7;

    /** The channel kind (one sender and one receiver attach, whatever the kind admits). */
    @Param({"SPSC", "MPSC", "MPMC"})
    public ChannelType type;

    /** The wait strategy of both endpoints: {@code spin} or {@code blocking}. */
    @Param({"spin", "blocking"})
    public String strategy;

    /** The payload length in bytes. */
    @Param({"32", "1024"})
    public int size;

    String name;
    private RingChannel created;

    @Setup(Level.Trial)
    public void create() {
        Prelink.channel(type);
        name = Names.unique("tput-" + type);
        created = RingChannel.create(name, ChannelOptions.of(type));
    }

    @TearDown(Level.Trial)
    public void unlink() {
        created.unlink();
        created.close();
    }

    /** The sending thread's own mapping, endpoint and source buffer. */
    @State(Scope.Thread)
    public static class SendSide {
        RingChannel channel;
        Sender sender;
        Arena arena;
        MemorySegment source;
        int size;

        @Setup(Level.Trial)
        public void attach(ChannelThroughputBenchmark shared) {
            channel = RingChannel.open(shared.name);
            sender = channel.sender(Strategies.of(shared.strategy));
            size = shared.size;
            arena = Arena.ofConfined();
            source = arena.allocate(size, Long.BYTES);
            source.fill((byte) 'x');
        }

        @TearDown(Level.Trial)
        public void detach() {
            sender.close();
            channel.close();
            arena.close();
        }
    }

    /** The receiving thread's own mapping, endpoint and destination buffer. */
    @State(Scope.Thread)
    public static class ReceiveSide {
        RingChannel channel;
        Receiver receiver;
        Arena arena;
        MemorySegment destination;

        @Setup(Level.Trial)
        public void attach(ChannelThroughputBenchmark shared) {
            channel = RingChannel.open(shared.name);
            receiver = channel.receiver(Strategies.of(shared.strategy), false);
            arena = Arena.ofConfined();
            destination = arena.allocate(shared.size, Long.BYTES);
        }

        @TearDown(Level.Trial)
        public void detach() {
            receiver.close();
            channel.close();
            arena.close();
        }
    }

    /** Sends made and refused (ring full), per iteration. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class SendCounters {
        public long sendsFailed;
        public long sendsMade;

        @Setup(Level.Iteration)
        public void clear() {
            sendsFailed = 0;
            sendsMade = 0;
        }
    }

    /** Receives made and found empty, per iteration. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class ReceiveCounters {
        public long receivesFailed;
        public long receivesMade;

        @Setup(Level.Iteration)
        public void clear() {
            receivesFailed = 0;
            receivesMade = 0;
        }
    }

    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public void send(SendSide side, SendCounters counters) {
        if (side.sender.trySend(MESSAGE_TYPE, side.source, 0, side.size) < 0) {
            counters.sendsFailed++;
        } else {
            counters.sendsMade++;
        }
    }

    @Benchmark
    @Group("oneWay")
    @GroupThreads(1)
    public void receive(ReceiveSide side, ReceiveCounters counters) {
        if (side.receiver.tryReceive(side.destination, 0) < 0) {
            counters.receivesFailed++;
        } else {
            counters.receivesMade++;
        }
    }
}
