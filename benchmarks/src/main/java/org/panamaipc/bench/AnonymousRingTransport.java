package org.panamaipc.bench;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.Received;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Two panama-ipc ring channels as {@link RingTransport} has them, but set up without any name: the
 * pong lays both out in anonymous sealed memory ({@link RingChannel#anonymous}) and hands them to
 * the ping over a Unix-domain socket ({@link DescriptorSocket}), which opens them over the memory
 * it received ({@link RingChannel#open(org.panamaipc.shm.SharedMemory)}). Once set up, the
 * messages go through the rings exactly as through named ones; this row shows they go as fast.
 */
public final class AnonymousRingTransport implements Transport {

    private static final long CAPACITY = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ChannelType type;
    private final String strategyName;

    /**
     * @param type         the channel type
     * @param strategyName a wait strategy as {@link RingTransport} names them
     */
    public AnonymousRingTransport(ChannelType type, String strategyName) {
        this.type = type;
        this.strategyName = strategyName;
    }

    @Override
    public String name() {
        return "ring-anon-" + type.name().toLowerCase() + "/" + strategyName;
    }

    private static Path socket(String id) {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipc-bench-" + id + "-rings.sock");
    }

    @Override
    public void tearDown(String id) {
        try {
            DescriptorServer.unlinkIfExists(socket(id));
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    @Override
    public Side open(String id, boolean ping) throws Exception {
        WaitStrategy strategy = RingTransport.strategy(strategyName);
        if (!ping) {
            ChannelOptions options = ChannelOptions.of(type).capacity(CAPACITY).maxMessageLength(64 * 1024);
            RingChannel toPong = RingChannel.anonymous(options);
            RingChannel toPing = RingChannel.anonymous(options);
            DescriptorServer server = DescriptorServer.create(socket(id));
            // the ping connects once this side is ready: hand it both rings then, whenever that is
            Thread handOver = new Thread(() -> {
                try (DescriptorSocket client = server.accept()) {
                    client.send(ByteBuffer.wrap(new byte[] {'r'}), Attachments.of(toPong.memory()).and(toPing.memory()));
                } catch (InterruptedException | RuntimeException e) {
                    System.err.println("no rings handed over: " + e);
                }
            }, "ring-handover");
            handOver.setDaemon(true);
            handOver.start();
            return side(toPing, toPong, strategy, server);
        }
        try (DescriptorSocket connection = DescriptorSocket.open(socket(id));
             Received rings = connection.receive(TIMEOUT)) {
            if (rings == null) {
                throw new IllegalStateException("no rings from the pong within " + TIMEOUT);
            }
            RingChannel toPong = RingChannel.open(rings.takeSharedMemory(0, RingChannel.SEALS));
            RingChannel toPing = RingChannel.open(rings.takeSharedMemory(1, RingChannel.SEALS));
            return side(toPong, toPing, strategy, null);
        }
    }

    private static Side side(RingChannel out, RingChannel in, WaitStrategy strategy, DescriptorServer server) {
        Sender sender = out.sender(strategy);
        Receiver receiver = in.receiver(strategy, false);
        return new RingTransport.RingSide(sender, receiver) {
            @Override
            public String counters() {
                var sent = out.stats();
                var received = in.stats();
                return "out_full=" + sent.timesFull() + " out_sleeps=" + sent.receiverSleeps()
                        + " in_full=" + received.timesFull() + " in_sleeps=" + received.receiverSleeps();
            }

            @Override
            public void close() {
                out.close(); // closes the sender and the receiver with the channels
                in.close();
                if (server != null) {
                    server.close();
                    DescriptorServer.unlinkIfExists(server.path());
                }
            }
        };
    }
}
