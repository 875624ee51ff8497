package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.shm.SharedMemory;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The bounded buffer between two processes, the classic producer/consumer: this JVM produces items
 * into a {@link RingChannel} small enough to fill up, and a second JVM consumes them, more slowly.
 * When the ring is full the producer blocks (sleeping on a futex in the shared segment) until the
 * consumer makes room; when it is empty the consumer blocks until an item arrives. At the end the
 * producer closes its sender, the consumer drains the ring, learns that every sender has gone, and
 * checks that every item arrived exactly once and in order.
 *
 * <p>The whole exchange, without the printing:
 * {@snippet lang=java :
 * // producer (this JVM)
 * try (RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(1024));
 *      Sender sender = ring.sender(WaitStrategy.blocking())) {
 *     for (int item = 1; item <= ITEMS; item++) {
 *         sender.send(ITEM, ("item " + item).getBytes(StandardCharsets.UTF_8));   // blocks while full
 *     }
 * }
 * // consumer (the other JVM)
 * try (RingChannel ring = RingChannel.open(name);
 *      Receiver receiver = ring.receiver(WaitStrategy.blocking(), true)) {
 *     int length;
 *     while ((length = receiver.receive(buffer, 0)) != Receiver.CLOSED) {   // blocks while empty
 *         handle(buffer.asSlice(0, length));
 *     }
 * }
 * }
 */
public final class BoundedBufferDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "producer-consumer";

    /** Its former name, still accepted. */
    public static final String ALIAS = "channel";

    /** How many items the producer makes. */
    public static final int ITEMS = 24;

    /** The ring's capacity: room for about 18 of these items, so the producer will find it full. */
    static final long CAPACITY = 1024;

    /** How long the consumer takes for each item: slower than the producer, so the buffer fills. */
    static final Duration CONSUME_TIME = Duration.ofMillis(40);

    /** How long either side waits for the other at any one step. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final int ITEM = 1;
    private static final List<String> GOODS = List.of("bolt", "nut", "washer", "gear", "spring", "valve");

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public BoundedBufferDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> aliases() {
        return List.of(ALIAS);
    }

    @Override
    public String summary() {
        return "the bounded buffer: a producer JVM and a slower consumer JVM share a " + CAPACITY
                + "-byte ring channel (the default)";
    }

    /**
     * Runs one side: no argument, the whole demo (producer, starting the consumer); {@code consumer
     * NAME}, the consumer on channel NAME.
     */
    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(System.out, true);
        int exitCode;
        if (args.length == 0) {
            exitCode = new BoundedBufferDemo().run(out, Redirect.INHERIT);
        } else if (args.length == 2 && args[0].equals("consumer")) {
            exitCode = consume(args[1], out);
        } else {
            System.err.println("usage: BoundedBufferDemo [consumer NAME]");
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    // ---------------------------------------------------------------------------------- producer

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        String name = "/pipc-demo-" + ProcessHandle.current().pid() + "-ring";
        DemoSupport.Side producer = new DemoSupport.Side("producer", out);
        out.println("The bounded buffer between two JVMs. This JVM produces " + ITEMS + " items into a ring channel");
        out.println("of " + CAPACITY + " bytes in shared memory; a second JVM consumes them, taking "
                + CONSUME_TIME.toMillis() + " ms per item.");
        out.println("The ring holds only a few items, so the producer blocks when it is full, and the consumer");
        out.println("blocks when it is empty. Both sleep on a futex in the ring; neither polls.");
        out.println();
        out.flush();

        Thread unlinkOnExit = new Thread(() -> SharedMemory.unlinkIfExists(name));
        Runtime.getRuntime().addShutdownHook(unlinkOnExit);
        Process consumer = null;
        boolean created = false;
        String failure = null;
        int produced = 0;
        try (RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(CAPACITY))) {
            created = true;
            producer.say("created ring channel %s: SPSC, %d bytes of records", name, ring.capacity());
            consumer = ChildJvm.start(BoundedBufferDemo.class, List.of("consumer", name), childOutput);
            producer.say("started the consumer in a second JVM (pid %d)", consumer.pid());
            try (Sender sender = ring.sender(WaitStrategy.blocking())) {
                produced = produce(sender, ring, producer, consumer);
                producer.say("produced all %d items; closing my end, so the consumer learns there is no more",
                        produced);
            }
            if (!ChildJvm.stop(consumer, TIMEOUT.multipliedBy(2))) {
                failure = "the consumer did not finish within " + TIMEOUT.multipliedBy(2).toSeconds() + " s; killed it";
            } else if (consumer.exitValue() != 0) {
                failure = "the consumer reports a problem (exit code " + consumer.exitValue() + ")";
            }
        } catch (IpcException | IOException | DemoFailure e) {
            failure = e.getMessage();
        } finally {
            ChildJvm.stop(consumer, TIMEOUT);
            if (created) {
                SharedMemory.unlinkIfExists(name);
            }
            DemoSupport.removeShutdownHook(unlinkOnExit);
            DemoSupport.copyChildOutput(childOutput, consumer, out);
        }
        out.println();
        if (failure == null) {
            out.printf("Check: all %d items arrived once and in order (the consumer checked each); %s is removed.%n",
                    ITEMS, name);
            out.println("Next: `ipc demo shm` shows the shared memory and futexes underneath, and");
            out.println("demos/src/main/java/org/panamaipc/demos/BoundedBufferDemo.java reads as a tutorial.");
            out.flush();
            return 0;
        }
        out.printf("Check FAILED after %d of %d items: %s%n", produced, ITEMS, failure);
        out.flush();
        return 1;
    }

    private static int produce(Sender sender, RingChannel ring, DemoSupport.Side producer, Process consumer)
            throws InterruptedException {
        for (int item = 1; item <= ITEMS; item++) {
            byte[] text = describe(item).getBytes(StandardCharsets.UTF_8);
            long sequence = sender.trySend(ITEM, text);
            if (sequence == Sender.FULL) {
                long since = System.nanoTime();
                producer.say("ring full (%d bytes in use): waiting for the consumer to make room", used(ring));
                // wait in short slices, to notice at once if the consumer JVM has ended
                while ((sequence = sender.send(ITEM, text, Duration.ofMillis(100))) == Sender.FULL) {
                    if (!consumer.isAlive()) {
                        throw new DemoFailure("the consumer has ended");
                    }
                    if (System.nanoTime() - since > TIMEOUT.toNanos()) {
                        throw new DemoFailure("no room for " + TIMEOUT.toSeconds() + " s");
                    }
                }
                if (sequence < 0) {
                    throw new DemoFailure("the consumer has gone");
                }
                producer.say("room again after %s", DemoSupport.elapsed(System.nanoTime() - since));
            } else if (sequence < 0) {
                throw new DemoFailure("the consumer has gone");
            }
            producer.say("produced item %2d: \"%s\" (%d bytes in the ring)", item, describe(item), used(ring));
        }
        return ITEMS;
    }

    private static long used(RingChannel ring) {
        var stats = ring.stats();
        return stats.tail() - stats.head();
    }

    static String describe(int item) {
        return "item " + item + ": " + GOODS.get(item % GOODS.size()) + " #" + (1000 + item * 7);
    }

    // ---------------------------------------------------------------------------------- consumer

    /** Consumes from channel {@code name} until the producer has gone; {@return 0 if every item came once, in order} */
    static int consume(String name, PrintWriter out) throws InterruptedException {
        DemoSupport.Side consumer = new DemoSupport.Side("consumer", out);
        try (RingChannel ring = RingChannel.open(name);
             Receiver receiver = ring.receiver(WaitStrategy.blocking(), true);
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(ring.maxMessageLength());
            consumer.say("opened %s; waiting for items", name);
            int expected = 1;
            while (true) {
                int length = receiver.receive(buffer, 0, TIMEOUT);
                if (length == Receiver.CLOSED) {
                    break;
                }
                if (length == Receiver.EMPTY) {
                    consumer.say("FAILED: nothing arrived for %d s", TIMEOUT.toSeconds());
                    return 1;
                }
                String text = new String(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                if (!text.equals(describe(expected))) {
                    consumer.say("FAILED: expected \"%s\", got \"%s\"", describe(expected), text);
                    return 1;
                }
                consumer.say("consumed item %2d: \"%s\"", expected, text);
                expected++;
                Thread.sleep(CONSUME_TIME.toMillis()); // the work the item stands for
            }
            int got = expected - 1;
            if (got != ITEMS) {
                consumer.say("FAILED: the producer has gone after %d of %d items", got, ITEMS);
                return 1;
            }
            consumer.say("the producer has gone and the ring is empty: %d of %d items, each once, in order", got, ITEMS);
            return 0;
        } catch (IpcException e) {
            consumer.say("FAILED: %s", e.getMessage());
            return 1;
        }
    }

    /** The exchange went wrong. */
    private static final class DemoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message) {
            super(message);
        }
    }
}
