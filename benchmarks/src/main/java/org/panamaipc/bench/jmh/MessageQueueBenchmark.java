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
import org.panamaipc.Outcome;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One message through a POSIX message queue and back out, by the same thread: {@code trySend}
 * then {@code tryReceive}, two system calls ({@code mq_timedsend}, {@code mq_timedreceive}) and
 * the kernel's copy in and out. The queue holds up to 10 messages of up to 8192 bytes, the
 * default {@code fs.mqueue.msg_max} and {@code msgsize_max}, so it is created without privileges
 * on any default Linux.
 *
 * <ul>
 * <li>{@link #segment()}: from a native segment of exactly the message and into a native segment:
 *     the kernel reads and writes them directly.</li>
 * <li>{@link #array()}: from a {@code byte[]} and into a heap segment over a {@code byte[]}: each
 *     side copies through the thread's native scratch buffer.</li>
 * <li>{@link #message()}: from a native segment, received as a new {@link Message}: allocates the
 *     message and its payload array by design.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class MessageQueueBenchmark {

    private static final int MAX_MESSAGES = 10;
    private static final int MAX_MESSAGE_LENGTH = 8192;
    private static final int PRIORITY = 1;

    /** The message length in bytes. */
    @Param({"32", "1024"})
    public int size;

    private MessageQueue queue;
    private Arena arena;
    private MemorySegment nativeMessage;
    private MemorySegment nativeInto;
    private byte[] arrayMessage;
    private MemorySegment heapInto;

    @Setup(Level.Trial)
    public void setUp() {
        Prelink.messageQueue();
        queue = MessageQueue.create(Names.unique("mq"), QueueOptions.of(MAX_MESSAGES, MAX_MESSAGE_LENGTH));
        arena = Arena.ofConfined();
        nativeMessage = arena.allocate(size, Long.BYTES);
        nativeMessage.fill((byte) 'x');
        nativeInto = arena.allocate(MAX_MESSAGE_LENGTH, Long.BYTES);
        arrayMessage = new byte[size];
        Arrays.fill(arrayMessage, (byte) 'x');
        heapInto = MemorySegment.ofArray(new byte[MAX_MESSAGE_LENGTH]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        queue.unlink();
        queue.close();
        arena.close();
    }

    /** {@return the length received and the priority from the header, which costs no allocation} */
    @Benchmark
    public long segment() {
        if (queue.trySend(nativeMessage, PRIORITY) != 0) {
            throw new IllegalStateException("trySend failed on a queue that is emptied after every send");
        }
        return checked(queue.tryReceive(nativeInto));
    }

    /** {@return the length received and the priority from the header} */
    @Benchmark
    public long array() {
        if (queue.trySend(arrayMessage, PRIORITY) != 0) {
            throw new IllegalStateException("trySend failed on a queue that is emptied after every send");
        }
        return checked(queue.tryReceive(heapInto));
    }

    /** {@return the message received} */
    @Benchmark
    public Message message() {
        if (queue.trySend(nativeMessage, PRIORITY) != 0) {
            throw new IllegalStateException("trySend failed on a queue that is emptied after every send");
        }
        Message message = queue.tryReceive();
        if (message == null) {
            throw new IllegalStateException("tryReceive found nothing after a send");
        }
        return message;
    }

    private long checked(int received) {
        if (received == Outcome.EMPTY) {
            throw new IllegalStateException("tryReceive found nothing after a send");
        }
        return received + queue.lastHeader().priority();
    }
}
