package org.panamaipc.bench;

import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.broadcast.Subscriber;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * Two panama-ipc broadcasts with one subscriber each, one each way, under
 * {@link SlowSubscriberPolicy#BLOCK} (a lossy broadcast may drop the pong's answer). The figures
 * for more subscribers come from {@link BroadcastBench}.
 */
public final class BroadcastTransport implements Transport {

    /** Messages each ring holds. */
    static final long CAPACITY = 4096;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "broadcast/1-subscriber";
    }

    private static String toPong(String id) {
        return "/pipc-bench-" + id + "-bc-a";
    }

    private static String toPing(String id) {
        return "/pipc-bench-" + id + "-bc-b";
    }

    @Override
    public void setUp(String id) {
        BroadcastOptions options = BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(CAPACITY)
                .maxMessageLength(Bench.MAX_SIZE).subscriberSlots(2);
        Broadcast.create(toPong(id), options).close();
        Broadcast.create(toPing(id), options).close();
    }

    @Override
    public void tearDown(String id) {
        Broadcast.unlinkIfExists(toPong(id));
        Broadcast.unlinkIfExists(toPing(id));
    }

    @Override
    public Side open(String id, boolean ping) {
        Broadcast out = Broadcast.open(ping ? toPong(id) : toPing(id));
        Broadcast in = Broadcast.open(ping ? toPing(id) : toPong(id));
        // subscribe before publishing: the other side answers only what it was sent
        Subscriber subscriber = in.subscribe();
        Publisher publisher = out.publisher();
        return new Side() {
            @Override
            public void send(MemorySegment message, int length) throws InterruptedException {
                if (publisher.trySend(1, message, 0, length) < 0 && publisher.send(1, message, 0, length, TIMEOUT) < 0) {
                    throw new IllegalStateException("no room in " + out.name() + " for " + TIMEOUT);
                }
            }

            @Override
            public int receive(MemorySegment buffer) throws InterruptedException {
                int length = subscriber.tryReceive(buffer, 0);
                if (length < 0) {
                    length = subscriber.receive(buffer, 0, TIMEOUT);
                    if (length < 0) {
                        throw new IllegalStateException("nothing from " + in.name() + " for " + TIMEOUT + ": " + length);
                    }
                }
                return length;
            }

            @Override
            public String counters() {
                return "out_full=" + publisher.timesFull() + " in_lost=" + subscriber.lost();
            }

            @Override
            public void close() {
                out.close();
                in.close();
            }
        };
    }
}
