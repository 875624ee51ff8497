package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The first exchange between two JVMs through shared memory. A producer creates a small POSIX
 * shared-memory segment, starts a consumer in a second JVM, and sends it five text messages, one at
 * a time; the consumer acknowledges each before the next is written. Neither side polls: each one
 * sleeps on a futex word in the segment until the other has written and woken it.
 *
 * <h2>The segment</h2>
 * <pre>
 *   offset  field      written by   meaning
 *        0  attached   consumer     its pid, once it has mapped the segment     (futex word)
 *       64  sent       producer     number of the last message written, from 1  (futex word)
 *      128  acked      consumer     number of the last message it has read      (futex word)
 *      192  sentAt     producer     System.nanoTime() just before publishing the message
 *      200  length     producer     length of the text in bytes (UTF-8)
 *      204  text       producer     the text, at most 4096 - 204 bytes
 * </pre>
 * Each futex word has a cache line (64 bytes) to itself, so the two sides do not slow each other
 * down by writing next to what the other reads. Only numbers live in the segment, never addresses:
 * each process maps it at an address of its own.
 *
 * <h2>The protocol</h2>
 * One message slot, stop-and-wait. For message {@code n} the producer writes the text, then
 * release-stores {@code sent = n} and wakes the consumer. The release store is what publishes the
 * text: a consumer that reads {@code sent == n} with an acquire load also sees the text written
 * before it. The consumer reads the text, then release-stores {@code acked = n} and wakes the
 * producer, which only then overwrites the slot with message {@code n + 1}.
 *
 * <p>Every wait has a deadline ({@link #TIMEOUT}) and sleeps in short slices, so that a side
 * notices when the other process has died instead of waiting for it forever.
 *
 * <h2>Running it</h2>
 * {@code ./ipc demo} (or {@code ./ipc demo shm}), or directly:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp CLASSPATH org.panamaipc.demos.SharedMemoryPingPong
 * </pre>
 * which runs the producer, and the producer starts
 * {@code SharedMemoryPingPong consumer /pipc-demo-PID} itself.
 */
public final class SharedMemoryPingPong implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "shm";

    /** How long either side waits for the other at each step before it gives up. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    static final List<String> MESSAGES = List.of(
            "Hello from the other JVM!",
            "These bytes never went through a socket or a pipe.",
            "They sit in /dev/shm, mapped into both processes.",
            "A futex woke you as soon as each one was ready.",
            "That's all. Goodbye!");

    private static final long SEGMENT_SIZE = 4096;
    private static final long ATTACHED_OFFSET = 0;
    private static final long SENT_OFFSET = 64;
    private static final long ACKED_OFFSET = 128;
    private static final long SENT_AT_OFFSET = 192;
    private static final long LENGTH_OFFSET = 200;
    private static final long TEXT_OFFSET = 204;
    private static final int MAX_TEXT = (int) (SEGMENT_SIZE - TEXT_OFFSET);

    /** How often a waiting side checks that the other process is still alive. */
    private static final long PEER_CHECK_NANOS = Duration.ofMillis(100).toNanos();

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public SharedMemoryPingPong() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "two JVMs exchange " + MESSAGES.size()
                + " messages through POSIX shared memory, woken by futexes";
    }

    /**
     * Runs one side: with no arguments (or {@code producer}) the producer, which starts the
     * consumer itself; with {@code consumer NAME} the consumer of the segment {@code NAME}.
     * Exits with 0 on success, 1 on failure, 2 on wrong arguments.
     */
    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(System.out, true);
        int exitCode;
        if (args.length == 0 || (args.length == 1 && args[0].equals("producer"))) {
            exitCode = new SharedMemoryPingPong().run(out, Redirect.INHERIT);
        } else if (args.length == 2 && args[0].equals("consumer")) {
            exitCode = consume(args[1], out);
        } else {
            System.err.println("usage: SharedMemoryPingPong [producer | consumer NAME]");
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    // ---------------------------------------------------------------------------------- producer

    /** Runs the producer side, which creates the segment and starts the consumer in a second JVM. */
    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        String name = "/pipc-demo-" + ProcessHandle.current().pid();
        DemoSupport.Side producer = new DemoSupport.Side("producer", out);
        out.println("Two JVMs talk through shared memory. This JVM is the producer; it starts a second");
        out.println("JVM as the consumer. Both map the same " + SEGMENT_SIZE + "-byte segment of /dev/shm; the");
        out.println("producer writes " + MESSAGES.size() + " messages into it, one at a time, and the consumer "
                + "acknowledges each.");
        out.println("Neither side polls: each sleeps on a futex word until the other wakes it.");
        out.println("The first hand-offs are slow while both JVMs load and compile this code; watch the times drop.");
        out.println();
        out.flush();

        // Ctrl-C ends both JVMs (they share the terminal); this still removes the segment's name
        Thread unlinkOnExit = new Thread(() -> SharedMemory.unlinkIfExists(name));
        Runtime.getRuntime().addShutdownHook(unlinkOnExit);
        Process consumer = null;
        boolean created = false;
        int inOrder = 0;
        String failure = null;
        try (SharedMemory shm = SharedMemory.create(name, SEGMENT_SIZE)) {
            created = true;
            producer.say("created shared memory %s (%d bytes, mode 0600: only your user can open it)", name, SEGMENT_SIZE);
            consumer = ChildJvm.start(SharedMemoryPingPong.class, List.of("consumer", name), childOutput);
            producer.say("started the consumer in a second JVM (pid %d); waiting for it to map the segment",
                    consumer.pid());
            inOrder = produce(shm.segment(), consumer, producer);
            if (!ChildJvm.stop(consumer, TIMEOUT)) {
                failure = "the consumer did not exit within " + TIMEOUT.toSeconds() + " s; killed it";
            } else if (consumer.exitValue() != 0) {
                failure = "the consumer exited with code " + consumer.exitValue();
            } else {
                producer.say("the consumer has exited; removing %s", name);
            }
        } catch (IpcException | DemoFailure | IOException e) {
            failure = e.getMessage();
        } finally {
            ChildJvm.stop(consumer, TIMEOUT); // kills it if it is still running after all
            if (created) {
                SharedMemory.unlinkIfExists(name);
            }
            DemoSupport.removeShutdownHook(unlinkOnExit);
            DemoSupport.copyChildOutput(childOutput, consumer, out);
        }
        return check(out, name, inOrder, failure);
    }

    /** Sends every message and waits for its acknowledgement; {@return how many were acknowledged in order} */
    private static int produce(MemorySegment memory, Process consumer, DemoSupport.Side producer) throws InterruptedException {
        Futex attached = Futex.of(memory, ATTACHED_OFFSET);
        Futex sent = Futex.of(memory, SENT_OFFSET);
        Futex acked = Futex.of(memory, ACKED_OFFSET);
        BooleanSupplier consumerAlive = consumer::isAlive;

        long startedAt = System.nanoTime();
        int consumerPid = await(attached, 0, consumerAlive, "the consumer to map the segment");
        producer.say("the consumer (pid %d) has mapped the segment, %s after it was started",
                consumerPid, DemoSupport.elapsed(System.nanoTime() - startedAt));

        int inOrder = 0;
        for (int n = 1; n <= MESSAGES.size(); n++) {
            String message = MESSAGES.get(n - 1);
            byte[] text = message.getBytes(StandardCharsets.UTF_8);
            producer.say("sending #%d \"%s\"", n, message);
            MemorySegment.copy(text, 0, memory, JAVA_BYTE, TEXT_OFFSET, text.length);
            memory.set(JAVA_INT, LENGTH_OFFSET, text.length);
            long sentAt = System.nanoTime();
            memory.set(JAVA_LONG, SENT_AT_OFFSET, sentAt);
            sent.setRelease(n); // publishes the text and length written above
            sent.wake(1);

            int ack = await(acked, n - 1, consumerAlive, "the acknowledgement of #" + n);
            if (ack != n) {
                throw new DemoFailure("expected the acknowledgement of #" + n + " but the consumer acknowledged #" + ack);
            }
            inOrder++;
            producer.say("#%d acknowledged, round trip %s", n, DemoSupport.elapsed(System.nanoTime() - sentAt));
        }
        return inOrder;
    }

    private static int check(PrintWriter out, String name, int inOrder, String failure) {
        out.println();
        if (failure == null && inOrder == MESSAGES.size()) {
            out.printf("Check: %d of %d messages arrived in order, each acknowledged; %s is removed.%n",
                    inOrder, MESSAGES.size(), name);
            out.println("Next: read how it works in demos/src/main/java/org/panamaipc/demos/SharedMemoryPingPong.java,");
            out.println("or check this machine with `ipc doctor`.");
            out.flush();
            return 0;
        }
        out.printf("Check FAILED: %d of %d messages arrived in order; %s%n", inOrder, MESSAGES.size(),
                failure != null ? failure : "the exchange stopped early");
        out.flush();
        return 1;
    }

    // ---------------------------------------------------------------------------------- consumer

    /** Runs the consumer side on the segment {@code name}; {@return the exit code, 0 on success} */
    static int consume(String name, PrintWriter out) throws InterruptedException {
        DemoSupport.Side consumer = new DemoSupport.Side("consumer", out);
        ProcessHandle producerProcess = ProcessHandle.current().parent().orElse(ProcessHandle.current());
        BooleanSupplier producerAlive = producerProcess::isAlive;
        try (SharedMemory shm = SharedMemory.open(name)) {
            MemorySegment memory = shm.segment();
            Futex attached = Futex.of(memory, ATTACHED_OFFSET);
            Futex sent = Futex.of(memory, SENT_OFFSET);
            Futex acked = Futex.of(memory, ACKED_OFFSET);

            consumer.say("mapped %s; telling the producer I am here", name);
            attached.setRelease((int) ProcessHandle.current().pid());
            attached.wake(1);

            for (int n = 1; n <= MESSAGES.size(); n++) {
                int seq = await(sent, n - 1, producerAlive, "message #" + n);
                long arrivedAt = System.nanoTime();
                if (seq != n) {
                    throw new DemoFailure("expected message #" + n + " but the producer published #" + seq);
                }
                int length = memory.get(JAVA_INT, LENGTH_OFFSET);
                if (length < 0 || length > MAX_TEXT) { // never trust a length read from shared memory
                    throw new DemoFailure("message #" + n + " has length=" + length + ", outside 0.." + MAX_TEXT);
                }
                String text = new String(memory.asSlice(TEXT_OFFSET, length).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
                long sentAt = memory.get(JAVA_LONG, SENT_AT_OFFSET);
                consumer.say("received #%d \"%s\", %s after it was sent", n, text, DemoSupport.elapsed(arrivedAt - sentAt));
                acked.setRelease(n);
                acked.wake(1);
            }
            consumer.say("all %d messages received; goodbye", MESSAGES.size());
            return 0;
        } catch (IpcException | DemoFailure e) {
            consumer.say("FAILED: %s", e.getMessage());
            return 1;
        }
    }

    // ---------------------------------------------------------------------------------- both sides

    /**
     * Waits until the futex word no longer holds {@code old}, and returns what it holds then. Sleeps
     * in the kernel meanwhile, waking every 100 ms to check that the other process is alive, and
     * gives up after {@link #TIMEOUT}.
     */
    private static int await(Futex word, int old, BooleanSupplier peerAlive, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int value;
        while ((value = word.value()) == old) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DemoFailure("gave up waiting for " + what + " after " + TIMEOUT.toSeconds() + " s");
            }
            if (!peerAlive.getAsBoolean()) {
                value = word.value(); // it may have written just before it ended
                if (value != old) {
                    return value;
                }
                throw new DemoFailure("the other process ended while waiting for " + what);
            }
            word.waitNanos(old, Math.min(left, PEER_CHECK_NANOS));
        }
        return value;
    }

    /** The exchange went wrong: the other side died, answered out of order, or was too slow. */
    private static final class DemoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message) {
            super(message);
        }
    }
}
