package org.panamaipc.bench;

import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.unbounded.MemoryCapExceededException;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedOptions;
import org.panamaipc.unbounded.UnboundedReceiver;
import org.panamaipc.unbounded.UnboundedSender;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * Two panama-ipc unbounded links, one each way: a 1 MiB ring whose sends never wait; what does not
 * fit spills into 4 MiB segments. In a throughput run a sender faster than its receiver spills,
 * and at the 256 MiB cap it yields until the receiver has made room (counted as {@code capped}),
 * so {@code tput} measures the ring and the spill together; a round trip never spills.
 */
public final class UnboundedTransport implements Transport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "unbounded";
    }

    private static String toPong(String id) {
        return "/pipc-bench-" + id + "-ub-a";
    }

    private static String toPing(String id) {
        return "/pipc-bench-" + id + "-ub-b";
    }

    @Override
    public void setUp(String id) {
        // the ring first: the default one is too small for the largest message
        UnboundedOptions options = new UnboundedOptions(1 << 20, Bench.MAX_SIZE, 4 << 20, 256L << 20, 0600);
        UnboundedLink.create(toPong(id), options).close();
        UnboundedLink.create(toPing(id), options).close();
    }

    @Override
    public void tearDown(String id) {
        UnboundedLink.unlinkIfExists(toPong(id));
        UnboundedLink.unlinkIfExists(toPing(id));
    }

    @Override
    public Side open(String id, boolean ping) {
        UnboundedLink out = UnboundedLink.open(ping ? toPong(id) : toPing(id));
        UnboundedLink in = UnboundedLink.open(ping ? toPing(id) : toPong(id));
        UnboundedSender sender = out.sender();
        UnboundedReceiver receiver = in.receiver(WaitStrategy.blocking());
        return new Side() {
            private long capped;

            @Override
            public void send(MemorySegment message, int length) {
                while (true) {
                    try {
                        sender.trySend(1, message, 0, length);
                        return;
                    } catch (MemoryCapExceededException e) {
                        capped++;
                        Thread.yield();
                    }
                }
            }

            @Override
            public int receive(MemorySegment buffer) throws InterruptedException {
                int length = receiver.receive(buffer, 0, TIMEOUT);
                if (length < 0) {
                    throw new IllegalStateException("nothing from " + in.name() + " for " + TIMEOUT + ": " + length);
                }
                return length;
            }

            @Override
            public String counters() {
                return "spilled=" + out.spilled() + " capped=" + capped;
            }

            @Override
            public void close() {
                out.close();
                in.close();
            }
        };
    }
}
