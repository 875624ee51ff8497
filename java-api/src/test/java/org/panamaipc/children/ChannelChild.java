package org.panamaipc.children;

import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import org.panamaipc.testkit.Watchdog;

import java.time.Duration;
import java.util.zip.CRC32C;

/**
 * Child JVM for the channel tests; the first argument picks the role. Every role has a deadline.
 * The message type of every message is its producer number, so a receiver knows whose it is even
 * for short messages.
 */
public final class ChannelChild {

    private static final Duration DEADLINE = Duration.ofSeconds(150);

    private ChannelChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start(args[0], DEADLINE);
        switch (args[0]) {
            case "send" -> send(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), strategy(args[4]), -1);
            case "send-then-hang" -> send(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    WaitStrategy.blocking(), Long.parseLong(args[4]));
            case "take" -> take(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "send-later" -> sendLater(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]));
            case "idle-receive" -> idleReceive(args[1], Long.parseLong(args[2]));
            case "claim-forged-then-hang" -> claimForgedThenHang(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "pad-then-hang" -> padThenHang(args[1], Integer.parseInt(args[2]));
            case "hold-repair-lock" -> holdRepairLock(args[1]);
            case "anon-echo" -> anonymousEcho(java.nio.file.Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.exit(0);
    }

    static WaitStrategy strategy(String name) {
        return switch (name) {
            case "spin" -> WaitStrategy.busySpin();
            case "yield" -> WaitStrategy.yielding();
            case "backoff" -> WaitStrategy.backoff();
            default -> WaitStrategy.blocking();
        };
    }

    /**
     * Sends messages 1..count as producer {@code producer}; with {@code hangAt} > 0, claims message
     * {@code hangAt}, writes half of it, says so and waits to be killed.
     */
    private static void send(String name, int producer, long count, WaitStrategy strategy, long hangAt)
            throws InterruptedException {
        CRC32C crc = new CRC32C();
        try (RingChannel channel = RingChannel.open(name); Sender sender = channel.sender(strategy)) {
            int max = channel.maxMessageLength();
            System.out.println("sending " + count + " as producer " + producer + ", endpoint " + sender.endpointId());
            for (long seq = 1; seq <= count; seq++) {
                int length = Payloads.length(producer, seq, max);
                long index = sender.claim(producer, length, Duration.ofSeconds(60));
                if (index < 0) {
                    System.out.println("claim of message " + seq + " failed: " + index);
                    System.exit(3);
                }
                Payloads.write(sender.buffer(), index, length, producer, seq, crc);
                if (seq == hangAt) {
                    System.out.println("claimed message " + seq + " and hanging");
                    System.out.flush();
                    Thread.sleep(DEADLINE.toMillis());
                }
                sender.commit(index);
            }
            System.out.println("sent " + count);
        }
    }

    /**
     * Takes messages until the channel says every sender has gone, marking each (producer,
     * sequence) in the bitmap segment; a bit already set is a duplicate, counted at offset 0.
     */
    private static void take(String name, String bitmapName, int producers, int perProducer) throws InterruptedException {
        CRC32C crc = new CRC32C();
        VarHandle longs = ValueLayout.JAVA_LONG.varHandle();
        try (RingChannel channel = RingChannel.open(name);
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), true);
             SharedMemory bitmap = SharedMemory.open(bitmapName)) {
            MemorySegment bits = bitmap.segment();
            int max = channel.maxMessageLength();
            long[] taken = {0};
            String[] problem = {null};
            System.out.println("taking");
            while (true) {
                int n = receiver.receive((header, buffer, offset, length) -> {
                    int producer = header.type();
                    long seq = Payloads.producerOf(buffer, offset, length) >= 0
                            ? buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) : header.sequence();
                    String wrong = Payloads.check(buffer, offset, length, producer, seq, max, crc);
                    if (wrong != null && problem[0] == null) {
                        problem[0] = wrong;
                    }
                    long bit = (long) producer * perProducer + (seq - 1);
                    long word = 64 + (bit >>> 6) * 8;
                    long mask = 1L << (bit & 63);
                    long before = (long) longs.getAndBitwiseOr(bits, word, mask);
                    if ((before & mask) != 0) {
                        longs.getAndAdd(bits, 0L, 1L);
                    }
                    taken[0]++;
                }, 64, Duration.ofSeconds(60));
                if (n == Receiver.CLOSED) {
                    break;
                }
                if (n == Receiver.EMPTY) {
                    System.out.println("nothing for 60 s after " + taken[0]);
                    System.exit(4);
                }
            }
            System.out.println("took " + taken[0] + (problem[0] != null ? ", PROBLEM: " + problem[0] : ""));
            System.exit(problem[0] == null ? 0 : 5);
        }
    }

    private static void idleReceive(String name, long millis) throws InterruptedException {
        try (RingChannel channel = RingChannel.open(name);
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            // one wait first, so class loading and compilation are over before the parent measures
            receiver.receive(arena.allocate(64), 0, Duration.ofMillis(200));
            System.out.println("waiting");
            System.out.flush();
            int result = receiver.receive(arena.allocate(64), 0, Duration.ofMillis(millis));
            System.out.println("result " + result);
        }
    }

    /**
     * Sends {@code count} messages of 16 bytes, then claims {@code length} bytes of type 0 and fills
     * the payload with forged tags: each 8-byte word holds the stream position it sits at with
     * the COMMITTED state, as if a record started there. Says so and waits to be killed. The
     * channel must be on its first lap, where a position is its index.
     */
    private static void claimForgedThenHang(String name, int count, int length) throws InterruptedException {
        try (RingChannel channel = RingChannel.open(name); Sender sender = channel.sender(WaitStrategy.blocking())) {
            for (int i = 0; i < count; i++) {
                sender.send(9, new byte[16]);
            }
            long index = sender.claim(0, length, Duration.ofSeconds(60));
            if (index < 0) {
                System.out.println("claim failed: " + index);
                System.exit(3);
            }
            MemorySegment ring = sender.buffer();
            for (long word = index; word + 8 <= index + length; word += 8) {
                ring.set(ValueLayout.JAVA_LONG, word, word | 1);
            }
            System.out.println("claimed at index " + index + " with forged tags");
            System.out.flush();
            Thread.sleep(DEADLINE.toMillis());
        }
    }

    /**
     * As a single sender, sends messages of {@code length} bytes until the next one no longer fits
     * before the end of the ring, then claims it (which writes the padding tag at once, and
     * publishes the tail only at commit), says so and waits to be killed.
     */
    private static void padThenHang(String name, int length) throws InterruptedException {
        try (RingChannel channel = RingChannel.open(name); Sender sender = channel.sender(WaitStrategy.blocking())) {
            long record = (32 + length + 7) & -8;
            long index = 0;
            int sent = 0;
            while (index + record <= channel.capacity()) {
                sender.send(1, new byte[length]);
                index += record;
                sent++;
            }
            long claimed = sender.claim(2, length, Duration.ofSeconds(60));
            if (claimed < 0) {
                System.out.println("claim failed: " + claimed);
                System.exit(3);
            }
            System.out.println("sent " + sent + ", claimed past the padding at index " + claimed);
            System.out.flush();
            Thread.sleep(DEADLINE.toMillis());
        }
    }

    /** Sends {@code count} messages, each after {@code delayMillis}, each carrying the nanoTime it was sent at. */
    private static void sendLater(String name, long delayMillis, int count) throws InterruptedException {
        try (RingChannel channel = RingChannel.open(name); Sender sender = channel.sender(WaitStrategy.blocking());
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment message = arena.allocate(8);
            System.out.println("ready");
            for (int i = 0; i < count; i++) {
                Thread.sleep(delayMillis); // long enough for the receiver to spin out and sleep
                message.set(ValueLayout.JAVA_LONG, 0, System.nanoTime());
                sender.send(1, message, 0, 8);
            }
            System.out.println("sent " + count);
        }
    }

    /**
     * Connects to the socket, receives two rings without a name (requests, replies) as the
     * descriptors of one message, opens each over its memory as {@code RingChannel.open(name)}
     * would (the seals checked first), and echoes {@code count} requests as replies of the type plus
     * 1000.
     */
    private static void anonymousEcho(java.nio.file.Path socket, int count) throws InterruptedException {
        try (org.panamaipc.socket.DescriptorSocket connection = org.panamaipc.socket.DescriptorSocket.open(socket);
             org.panamaipc.socket.Received handed = connection.receive(Duration.ofSeconds(60))) {
            if (handed == null) {
                System.out.println("nothing came over " + socket);
                System.exit(3);
            }
            try (RingChannel requests = RingChannel.open(handed.takeSharedMemory(0, RingChannel.SEALS));
                 RingChannel replies = RingChannel.open(handed.takeSharedMemory(1, RingChannel.SEALS));
                 Receiver in = requests.receiver(WaitStrategy.blocking());
                 Sender out = replies.sender(WaitStrategy.blocking())) {
                System.out.println("opened " + requests + " and " + replies);
                for (int i = 0; i < count; i++) {
                    byte[] request = in.receiveBytes(Duration.ofSeconds(60));
                    if (request == null) {
                        System.out.println("no request " + i + " within 60 s");
                        System.exit(4);
                    }
                    out.send(in.lastHeader().type() + 1000, request);
                }
                System.out.println("echoed " + count);
            }
        }
    }

    /** Takes the channel's repair lock (the registration lock), says so and keeps it until killed. */
    private static void holdRepairLock(String name) throws InterruptedException {
        try (SharedMemory memory = SharedMemory.open(name)) {
            MemorySegment lock = memory.segment().asSlice(org.panamaipc.shm.SegmentHeaderDescriptor.HEADER_SIZE
                    + org.panamaipc.channel.ChannelDescriptor.REPAIR_LOCK_OFFSET, org.panamaipc.sync.MutexDescriptor.SIZE);
            org.panamaipc.sync.IpcMutex mutex = org.panamaipc.sync.IpcMutex.wrap(lock);
            mutex.lock();
            System.out.println("holding the repair lock");
            System.out.flush();
            Thread.sleep(DEADLINE.toMillis());
        }
    }
}
