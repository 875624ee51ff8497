package org.panamaipc.attack.children;

import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32C;

/**
 * A producer or consumer of the soak: {@code ring-produce|mq-produce NAME BITMAP PRODUCER SEED SECONDS MAX}
 * sends {@link Frames} messages for SECONDS (at most MAX), then prints {@code sent N};
 * {@code ring-consume|mq-consume NAME BITMAP ID SEED MAX DIR} receives until the producers are done
 * ({@code DIR/senders-done}) and everything is taken, checking each message's checksum and that
 * each producer's sequence numbers rise, and marking (producer, seq) in the shared bitmap BITMAP:
 * a bit already set is a duplicate. The bitmap's first bytes count duplicates, torn messages,
 * order violations and phantoms ({@link #DUPLICATES} and after).
 */
public final class SoakPeer {

    /** Bitmap offset: messages received twice (long). */
    public static final long DUPLICATES = 0;
    /** Bitmap offset: messages whose checksum or length failed (long). */
    public static final long TORN = 8;
    /** Bitmap offset: messages that came before an earlier one of the same producer (and priority) (long). */
    public static final long DISORDERED = 16;
    /** Bitmap offset: messages of no producer, or beyond what any sent (long). */
    public static final long PHANTOMS = 24;
    /** Bitmap offset: where producer 0's bits start; bit (seq - 1) of producer p is at BITS + p * bytesPerProducer. */
    public static final long BITS = 64;
    /** Producers of a soak. */
    public static final int PRODUCERS = 3;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final Duration STEP = Duration.ofMillis(100);

    private SoakPeer() {
    }

    /** {@return the bytes of bitmap per producer for at most {@code max} messages each, a multiple of 8} */
    public static long bytesPerProducer(long max) {
        return (max + 63) / 64 * 8;
    }

    public static void main(String[] args) {
        Watchdog.start("soak " + args[0], Duration.ofMinutes(30));
        try {
            switch (args[0]) {
                case "ring-produce", "mq-produce" -> produce(args);
                case "ring-consume", "mq-consume" -> consume(args);
                default -> throw new IllegalArgumentException("unknown role " + args[0]);
            }
        } catch (Throwable t) {
            Peers.fail(t);
        }
        System.exit(0);
    }

    private static void produce(String[] args) throws InterruptedException {
        boolean ring = args[0].startsWith("ring");
        String name = args[1];
        int producer = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        long seconds = Long.parseLong(args[5]);
        long end;
        long max = Long.parseLong(args[6]);
        CRC32C crc = new CRC32C();
        try (Arena arena = Arena.ofConfined()) {
            long sent = 0;
            if (ring) {
                try (RingChannel channel = RingChannel.open(name); Sender sender = channel.sender()) {
                    int maxLength = channel.maxMessageLength();
                    MemorySegment local = arena.allocate(maxLength, 8);
                    Peers.say("ready");
                    // the time counts from here (a loaded machine may take seconds to get this far);
                    // at least one batch of 256 goes whatever the time
                    end = System.nanoTime() + seconds * 1_000_000_000L;
                    while (sent < max && (sent == 0 || (sent & 255) != 0 || System.nanoTime() - end < 0)) {
                        long seq = sent + 1;
                        int length = Frames.length(seed, producer, seq, maxLength);
                        if ((seq & 1) == 0) {
                            long index = sender.claim(producer, length, Duration.ofSeconds(30));
                            if (index < 0) {
                                Peers.hang("producer " + producer + " could not claim message " + seq + ": " + index);
                            }
                            Frames.write(sender.buffer(), index, length, seed, producer, seq, crc);
                            sender.commit(index);
                        } else {
                            Frames.write(local, 0, length, seed, producer, seq, crc);
                            if (sender.send(producer, local, 0, length, Duration.ofSeconds(30)) < 0) {
                                Peers.hang("producer " + producer + " could not send message " + seq);
                            }
                        }
                        sent = seq;
                    }
                }
            } else {
                try (MessageQueue queue = MessageQueue.open(name)) {
                    int maxLength = queue.maxMessageLength();
                    MemorySegment local = arena.allocate(maxLength, 8);
                    Peers.say("ready");
                    // the time counts from here (a loaded machine may take seconds to get this far);
                    // at least one batch of 256 goes whatever the time
                    end = System.nanoTime() + seconds * 1_000_000_000L;
                    while (sent < max && (sent == 0 || (sent & 255) != 0 || System.nanoTime() - end < 0)) {
                        long seq = sent + 1;
                        int length = Frames.length(seed, producer, seq, maxLength);
                        Frames.write(local, 0, length, seed, producer, seq, crc);
                        if (queue.send(local.asSlice(0, length), MqPeer.priority(seed, producer, seq), Duration.ofSeconds(30)) < 0) {
                            Peers.hang("producer " + producer + " could not send message " + seq);
                        }
                        sent = seq;
                    }
                }
            }
            Peers.say("sent " + sent);
        }
    }

    private static void consume(String[] args) throws InterruptedException {
        boolean ring = args[0].startsWith("ring");
        String name = args[1];
        long seed = Long.parseLong(args[4]);
        long max = Long.parseLong(args[5]);
        Path dir = Path.of(args[6]);
        long perProducer = bytesPerProducer(max);
        CRC32C crc = new CRC32C();
        long[] last = new long[PRODUCERS * 8];
        long received = 0;
        try (SharedMemory bitmap = SharedMemory.open(args[2]); Arena arena = Arena.ofConfined()) {
            MemorySegment bits = bitmap.segment();
            if (ring) {
                try (RingChannel channel = RingChannel.open(name); Receiver receiver = channel.receiver(
                        org.panamaipc.channel.WaitStrategy.blocking(), true)) {
                    int maxLength = channel.maxMessageLength();
                    MemorySegment into = arena.allocate(maxLength, 8);
                    Peers.say("ready");
                    long doneSince = 0;
                    while (true) {
                        int n = receiver.receive(into, 0, STEP);
                        if (n >= 0) {
                            account(bits, into, n, seed, maxLength, perProducer, max, last, 0, crc);
                            received++;
                        } else if (n == Receiver.CLOSED && Peers.sendersDone(dir)) {
                            break;
                        } else if (Peers.sendersDone(dir)) {
                            doneSince = doneSince == 0 ? System.nanoTime() : doneSince;
                            if (System.nanoTime() - doneSince > Peers.CLOSE_DEADLINE.toNanos()) {
                                Peers.hang("consumer: producers done " + Peers.CLOSE_DEADLINE + " ago, no CLOSED: " + channel.stats());
                            }
                        }
                    }
                }
            } else {
                try (MessageQueue queue = MessageQueue.open(name)) {
                    int maxLength = queue.maxMessageLength();
                    Peers.say("ready");
                    long emptySince = 0;
                    while (true) {
                        Message m = queue.receive(STEP);
                        if (m != null) {
                            emptySince = 0;
                            MemorySegment payload = MemorySegment.ofArray(m.payload());
                            account(bits, payload, m.length(), seed, maxLength, perProducer, max, last, m.priority(), crc);
                            received++;
                        } else if (Peers.sendersDone(dir)) {
                            emptySince = emptySince == 0 ? System.nanoTime() : emptySince;
                            if (System.nanoTime() - emptySince > 2 * STEP.toNanos()) {
                                break;
                            }
                        }
                    }
                }
            }
        }
        Peers.say("received " + received);
    }

    private static void account(MemorySegment bits, MemorySegment buffer, int length, long seed, int maxLength,
                                long perProducer, long max, long[] last, int priority, CRC32C crc) {
        Frames.Frame f = Frames.check(buffer, 0, length, seed, maxLength, crc);
        if (!f.intact()) {
            LONG.getAndAdd(bits, TORN, 1L);
            return;
        }
        if (f.producer() < 0 || f.producer() >= PRODUCERS || f.seq() < 1 || f.seq() > max) {
            LONG.getAndAdd(bits, PHANTOMS, 1L);
            return;
        }
        int stream = f.producer() * 8 + (priority & 7);
        if (f.seq() <= last[stream]) {
            LONG.getAndAdd(bits, DISORDERED, 1L);
        }
        last[stream] = f.seq();
        long bit = f.seq() - 1;
        long word = BITS + f.producer() * perProducer + (bit >>> 6) * 8;
        long mask = 1L << (bit & 63);
        long before = (long) LONG.getAndBitwiseOr(bits, word, mask);
        if ((before & mask) != 0) {
            LONG.getAndAdd(bits, DUPLICATES, 1L);
        }
    }
}
