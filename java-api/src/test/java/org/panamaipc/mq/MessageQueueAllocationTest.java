package org.panamaipc.mq;

import org.panamaipc.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.MqChild.Tick;
import org.panamaipc.codec.Codec;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In steady state, sends and receives into caller memory allocate nothing: measured with the
 * JVM's per-thread allocation counter over many round trips after a warm-up. The bound allows a
 * few stray objects of the JVM's own (a JIT deoptimisation, a class loaded), not one per message.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class MessageQueueAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;
    /** Far below one object (16 bytes at least) per round trip. */
    private static final long ALLOWED_BYTES = 4096;
    /** The most measured rounds: the JIT has compiled the path long before the last. */
    private static final int ROUNDS = 10;

    /**
     * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes}, through reflection:
     * the tests compile inside the module {@code org.panamaipc}, which does not read
     * {@code java.management}, and run on the class path, where everything is readable.
     */
    private static long allocatedBytes() {
        try {
            Object threads = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean").invoke(null);
            Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes");
            return (long) allocated.invoke(threads);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JVM does not count allocated bytes per thread", e);
        }
    }

    @FunctionalInterface
    private interface RoundTrip {
        void run(int i);
    }

    /**
     * {@return the fewest bytes one measured round of round trips allocated} Steady state is
     * after the JIT has compiled the path with escape analysis, which on a busy machine can come
     * late: up to {@link #ROUNDS} rounds are measured, stopping at the first within the bound. A
     * path that allocates per message does so in every round.
     */
    private static long allocatedBy(RoundTrip roundTrip) {
        for (int i = 0; i < WARM_UP; i++) {
            roundTrip.run(i);
        }
        allocatedBytes(); // the reflective path warmed up too
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && fewest > ALLOWED_BYTES; round++) {
            long before = allocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                roundTrip.run(i);
            }
            fewest = Math.min(fewest, allocatedBytes() - before);
        }
        return fewest;
    }

    @Test
    void shouldNotAllocatePerMessageInSteadyState() {
        String name = TestNames.unique("mq-alloc");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64)); Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(48);
            MemorySegment in = arena.allocate(64);
            byte[] array = new byte[40];
            MemorySegment heapIn = MemorySegment.ofArray(new byte[64]);
            ByteBuffer bufferOut = ByteBuffer.allocateDirect(32);
            ByteBuffer bufferIn = ByteBuffer.allocate(64);

            long segments = allocatedBy(i -> {
                assertEquals(0, queue.trySend(out, i & 7));
                if (queue.tryReceive(in) != 48 || queue.lastHeader().priority() != (i & 7)) {
                    throw new AssertionError("no message, or not the one sent: " + queue.lastHeader());
                }
            });
            long arrays = allocatedBy(i -> {
                queue.trySend(array, 1);
                queue.tryReceive(heapIn);
            });
            long buffers = allocatedBy(i -> {
                queue.trySend(bufferOut.clear(), 2);
                queue.tryReceive(bufferIn.clear());
            });
            long empty = allocatedBy(i -> queue.tryReceive(in));
            System.out.printf("bytes allocated over %d round trips: segments %d, arrays %d, buffers %d,"
                    + " empty polls %d%n", MEASURED, segments, arrays, buffers, empty);
            assertTrue(segments < ALLOWED_BYTES, "native segments: " + segments + " bytes");
            assertTrue(arrays < ALLOWED_BYTES, "byte arrays and heap segments: " + arrays + " bytes");
            assertTrue(buffers < ALLOWED_BYTES, "byte buffers: " + buffers + " bytes");
            assertTrue(empty < ALLOWED_BYTES, "tryReceive on an empty queue: " + empty + " bytes");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldNotAllocateInTheBlockingForms() throws InterruptedException {
        String name = TestNames.unique("mq-alloc-block");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64)); Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(48);
            MemorySegment in = arena.allocate(64);
            Duration timeout = Duration.ofSeconds(5);
            // room and a message are there, so nothing waits; the calls still take the blocking path
            long blocking = allocatedBy(i -> {
                try {
                    queue.send(out, 1);
                    queue.receive(in);
                    queue.send(out, 2, timeout);
                    if (queue.receive(in, timeout) == Outcome.EMPTY) {
                        throw new AssertionError("no message");
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            System.out.printf("bytes allocated over %d blocking round trips: %d%n", MEASURED, blocking);
            assertTrue(blocking < ALLOWED_BYTES, "blocking forms: " + blocking + " bytes");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldNotAllocateToSendARecord() {
        String name = TestNames.unique("mq-alloc-rec");
        Tick tick = Tick.number(3);
        try (TypedMessageQueue<Tick> queue = TypedMessageQueue.create(name, 4, Codec.ofRecord(Tick.class));
             Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(queue.queue().maxMessageLength());
            long sends = allocatedBy(i -> {
                queue.trySend(tick, 0);
                queue.queue().tryReceive(in);
            });
            System.out.printf("bytes allocated over %d typed record sends: %d%n", MEASURED, sends);
            assertTrue(sends < ALLOWED_BYTES, "typed sends: " + sends + " bytes");
            assertEquals(0, queue.trySend(tick, 0));
            assertEquals(tick, queue.tryReceive());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }
}
