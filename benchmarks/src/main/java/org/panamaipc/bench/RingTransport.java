package org.panamaipc.bench;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHandler;
import org.panamaipc.channel.MessageHeader;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/** Two panama-ipc ring channels, one each way, with one wait strategy on both sides. */
public final class RingTransport implements Transport {

    private static final long CAPACITY = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ChannelType type;
    private final String strategyName;
    private final boolean split;

    /**
     * @param type         the channel type
     * @param strategyName {@code spin}, {@code yield}, {@code backoff}, {@code blocking}, or
     *                     {@code blocking-N} (spin N microseconds, then sleep)
     */
    public RingTransport(ChannelType type, String strategyName) {
        this(type, strategyName, false);
    }

    /**
     * @param split whether each message is written and read in two parts, as the typed benchmark's
     *              records are ({@code ring-split:TYPE:STRATEGY}): its first 8 bytes (a record's
     *              sequence number) and then the rest, claimed and committed in place and read by a
     *              handler in place; the bytes path with the typed records' access pattern, without
     *              the typed layer ({@link TypedRingTransport})
     */
    RingTransport(ChannelType type, String strategyName, boolean split) {
        this.type = type;
        this.strategyName = strategyName;
        this.split = split;
    }

    @Override
    public String name() {
        return (split ? "ring-split-" : "ring-") + type.name().toLowerCase() + "/" + strategyName;
    }

    static WaitStrategy strategy(String name) {
        return switch (name) {
            case "spin" -> WaitStrategy.busySpin();
            case "yield" -> WaitStrategy.yielding();
            case "backoff" -> WaitStrategy.backoff();
            case "blocking" -> WaitStrategy.blocking();
            default -> {
                if (name.startsWith("blocking-")) { // blocking-N: spin N microseconds before sleeping
                    yield WaitStrategy.blocking(Duration.ofNanos(1_000L * Long.parseLong(name.substring(9))));
                }
                throw new IllegalArgumentException("unknown wait strategy " + name);
            }
        };
    }

    private static String toPong(String id) {
        return "/pipc-bench-" + id + "-a";
    }

    private static String toPing(String id) {
        return "/pipc-bench-" + id + "-b";
    }

    @Override
    public void setUp(String id) {
        ChannelOptions options = ChannelOptions.of(type).capacity(CAPACITY).maxMessageLength(64 * 1024);
        RingChannel.create(toPong(id), options).close();
        RingChannel.create(toPing(id), options).close();
    }

    @Override
    public void tearDown(String id) {
        SharedMemory.unlinkIfExists(toPong(id));
        SharedMemory.unlinkIfExists(toPing(id));
    }

    @Override
    public Side openProducer(String id) {
        if (!type.manySenders() || split) {             // a producer would send the whole message at once
            throw new UnsupportedOperationException(name() + " takes one producer");
        }
        RingChannel out = RingChannel.open(toPong(id));
        Sender sender = out.sender(strategy(strategyName));
        return new RingSide(sender, null) {
            @Override
            public void close() {
                sender.close();
                out.close();
            }
        };
    }

    @Override
    public Side open(String id, boolean ping) {
        WaitStrategy strategy = strategy(strategyName);
        RingChannel out = RingChannel.open(ping ? toPong(id) : toPing(id));
        RingChannel in = RingChannel.open(ping ? toPing(id) : toPong(id));
        Sender sender = out.sender(strategy);
        Receiver receiver = in.receiver(strategy, false);
        if (split) {
            return new SplitSide(sender, receiver, out, in);
        }
        return new RingSide(sender, receiver) {
            @Override
            public void close() {
                closeAll(sender, receiver, out, in);
            }

            @Override
            public String counters() {
                var sent = out.stats();
                var received = in.stats();
                return "out_full=" + sent.timesFull() + " out_sleeps=" + sent.receiverSleeps()
                        + " in_full=" + received.timesFull() + " in_sleeps=" + received.receiverSleeps();
            }

        };
    }

    /**
     * One side over a ring sender and receiver, shared with {@link AnonymousRingTransport}: every
     * send and receive tries first and waits only if it must; batches go through the ring's
     * batch send and a poll whose handler copies each message out, as a copying receive does.
     */
    abstract static class RingSide implements Side, MessageHandler {
        private final Sender sender;
        private final Receiver receiver;
        private MemorySegment into;
        private boolean heldControl;

        RingSide(Sender sender, Receiver receiver) {
            this.sender = sender;
            this.receiver = receiver;
        }

        @Override
        public void send(MemorySegment message, int length) throws InterruptedException {
            if (sender.trySend(1, message, 0, length) < 0 && sender.send(1, message, 0, length, TIMEOUT) < 0) {
                throw new IllegalStateException("no room in the ring for " + TIMEOUT);
            }
        }

        @Override
        public int receive(MemorySegment buffer) throws InterruptedException {
            int length = receiver.tryReceive(buffer, 0);
            if (length < 0) {
                length = receiver.receive(buffer, 0, TIMEOUT);
                if (length < 0) {
                    throw new IllegalStateException("nothing from the ring for " + TIMEOUT);
                }
            }
            return length;
        }

        @Override
        public void sendBatch(MemorySegment[] messages, int count, int length) throws InterruptedException {
            for (int sent = 0; sent < count; ) {
                long went = sender.trySend(1, messages, sent, count - sent);
                if (went < 0) {
                    went = sender.send(1, messages, sent, count - sent, TIMEOUT);
                    if (went < 0) {
                        throw new IllegalStateException("no room in the ring for " + TIMEOUT);
                    }
                }
                sent += (int) went;
            }
        }

        @Override
        public int receiveBatch(MemorySegment buffer, int limit) throws InterruptedException {
            into = buffer;
            heldControl = false;
            int n = receiver.poll(this, limit);
            if (n < 0) {
                n = receiver.receive(this, limit, TIMEOUT);
                if (n < 0) {
                    throw new IllegalStateException("nothing from the ring for " + TIMEOUT);
                }
            }
            return n;
        }

        @Override
        public void onMessage(MessageHeader header, MemorySegment buffer, long offset, int length) {
            if (heldControl) {
                return; // keep the batch's control word, not the producers' messages after it
            }
            MemorySegment.copy(buffer, offset, into, 0, length);
            heldControl = length >= Long.BYTES && into.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) < 0;
        }
    }

    /** One side of {@code ring-split}: the first 8 bytes and the rest of each message in two copies, in place. */
    private static final class SplitSide implements Side {
        private static final long HEAD = Long.BYTES;
        private final Sender sender;
        private final Receiver receiver;
        private final RingChannel out;
        private final RingChannel in;
        private MemorySegment into;
        private int received;
        private final MessageHandler copyOut = (header, segment, offset, length) -> {
            into.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset));
            MemorySegment.copy(segment, offset + HEAD, into, HEAD, length - HEAD);
            received = length;
        };

        SplitSide(Sender sender, Receiver receiver, RingChannel out, RingChannel in) {
            this.sender = sender;
            this.receiver = receiver;
            this.out = out;
            this.in = in;
        }

        @Override
        public void send(MemorySegment message, int length) throws InterruptedException {
            long index = sender.tryClaim(1, length);
            if (index < 0 && (index = sender.claim(1, length, TIMEOUT)) < 0) {
                throw new IllegalStateException("no room in the ring for " + TIMEOUT);
            }
            MemorySegment ring = sender.buffer();
            ring.set(ValueLayout.JAVA_LONG_UNALIGNED, index, message.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
            MemorySegment.copy(message, HEAD, ring, index + HEAD, length - HEAD);
            sender.commit(index);
        }

        @Override
        public int receive(MemorySegment buffer) throws InterruptedException {
            into = buffer;
            if (receiver.poll(copyOut, 1) < 1 && receiver.receive(copyOut, 1, TIMEOUT) < 1) {
                throw new IllegalStateException("nothing from the ring for " + TIMEOUT);
            }
            return received;
        }

        @Override
        public void close() {
            closeAll(sender, receiver, out, in);
        }
    }

    /** Closes one side's endpoints, then its two channels. */
    private static void closeAll(Sender sender, Receiver receiver, RingChannel out, RingChannel in) {
        sender.close();
        receiver.close();
        out.close();
        in.close();
    }
}
