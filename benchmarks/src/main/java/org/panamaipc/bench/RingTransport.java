package org.panamaipc.bench;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/** Two panama-ipc ring channels, one each way, with one wait strategy on both sides. */
public final class RingTransport implements Transport {

    private static final long CAPACITY = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ChannelType type;
    private final String strategyName;

    /**
     * @param type         the channel type
     * @param strategyName {@code spin}, {@code yield}, {@code backoff}, {@code blocking}, or
     *                     {@code blocking-N} (spin N microseconds, then sleep)
     */
    public RingTransport(ChannelType type, String strategyName) {
        this.type = type;
        this.strategyName = strategyName;
    }

    @Override
    public String name() {
        return "ring-" + type.name().toLowerCase() + "/" + strategyName;
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
    public Side open(String id, boolean ping) {
        WaitStrategy strategy = strategy(strategyName);
        RingChannel out = RingChannel.open(ping ? toPong(id) : toPing(id));
        RingChannel in = RingChannel.open(ping ? toPing(id) : toPong(id));
        Sender sender = out.sender(strategy);
        Receiver receiver = in.receiver(strategy, false);
        return new Side() {
            @Override
            public void send(MemorySegment message, int length) throws InterruptedException {
                if (sender.trySend(1, message, 0, length) < 0 && sender.send(1, message, 0, length, TIMEOUT) < 0) {
                    throw new IllegalStateException("no room in " + out.name() + " for " + TIMEOUT);
                }
            }

            @Override
            public int receive(MemorySegment buffer) throws InterruptedException {
                int length = receiver.tryReceive(buffer, 0);
                if (length < 0) {
                    length = receiver.receive(buffer, 0, TIMEOUT);
                    if (length < 0) {
                        throw new IllegalStateException("nothing from " + in.name() + " for " + TIMEOUT);
                    }
                }
                return length;
            }

            @Override
            public String counters() {
                var sent = out.stats();
                var received = in.stats();
                return "out_full=" + sent.timesFull() + " out_sleeps=" + sent.receiverSleeps()
                        + " in_full=" + received.timesFull() + " in_sleeps=" + received.receiverSleeps();
            }

            @Override
            public void close() {
                sender.close();
                receiver.close();
                out.close();
                in.close();
            }
        };
    }
}
