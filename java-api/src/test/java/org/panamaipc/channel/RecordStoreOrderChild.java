package org.panamaipc.channel;

import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A child JVM for {@link RecordStoreOrderTest}: turns on the recording of the senders' stores
 * ({@link RecordWrites#TRACE_PROPERTY}) before any channel class is loaded, sends through every
 * path a sender has (SPSC copy and claim, MPSC, padding at the lap's end, an abort, arrays,
 * buffers), and prints each store it recorded as {@code STORE KIND INDEX VALUE}, one per line,
 * with {@code SENT N} lines saying how many sends each path made.
 */
public final class RecordStoreOrderChild {

    private RecordStoreOrderChild() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty(RecordWrites.TRACE_PROPERTY, "true");
        Watchdog.start("store-order", Duration.ofSeconds(60));
        String name = args[0];
        for (ChannelType type : new ChannelType[] {ChannelType.SPSC, ChannelType.MPSC}) {
            String channelName = name + "-" + type;
            try (RingChannel channel = RingChannel.create(channelName, ChannelOptions.of(type).capacity(1024).maxMessageLength(200));
                 Sender sender = channel.sender(WaitStrategy.busySpin());
                 Receiver receiver = channel.receiver(WaitStrategy.busySpin());
                 Arena arena = Arena.ofConfined()) {
                MemorySegment source = arena.allocate(200);
                MemorySegment into = arena.allocate(200);
                int sent = 0;
                // 24 rounds of four messages whose sizes do not divide the ring: laps end in padding
                for (int round = 0; round < 24; round++) {
                    sent += sent(sender.trySend(1, source, 0, 17 + round));
                    sent += sent(sender.trySend(2, new byte[40]));
                    sent += sent(sender.send(3, ByteBuffer.allocate(60), Duration.ofSeconds(5)));
                    long index = sender.claim(4, 8, Duration.ofSeconds(5));
                    sender.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, index, round);
                    if (round % 5 == 0) {
                        sender.abort(index);
                    } else {
                        sent += sent(sender.commit(index));
                    }
                    while (receiver.tryReceive(into, 0) >= 0) {
                        // drain, so the next round has room
                    }
                }
                System.out.println("SENT " + type + " " + sent);
            } finally {
                RingChannel.unlinkIfExists(channelName);
            }
        }
        for (RecordWrites.Store store : RecordWrites.drain()) {
            System.out.println("STORE " + store.kind() + " " + store.index() + " " + store.value());
        }
        System.out.flush();
        System.exit(0);
    }

    private static int sent(long result) {
        if (result < 0) {
            throw new IllegalStateException("a send into a drained ring failed: " + result);
        }
        return 1;
    }
}
