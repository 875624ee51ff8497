package org.panamaipc.bench;

import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.endpoint.Endpoint;
import org.panamaipc.endpoint.EndpointRegistry;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.RecordHandler;

import java.lang.foreign.MemorySegment;

/**
 * Named endpoints in a registry: the pong registers {@code "pong"}, the ping {@code "ping"}; the
 * ping sends to {@code "pong"} by name and the pong answers to each message's source (its reply
 * address), never naming the ping: the two paths of direct communication, over ports on rings.
 */
public final class EndpointTransport implements Transport {

    private final String strategyName;

    EndpointTransport(String strategyName) {
        this.strategyName = strategyName;
    }

    @Override
    public String name() {
        return "endpoint-ring/" + strategyName;
    }

    private static String registry(String id) {
        return "/pipc-bench-" + id + "-registry";
    }

    @Override
    public void setUp(String id) {
        EndpointRegistry.create(registry(id), 4).close();
    }

    @Override
    public void tearDown(String id) {
        EndpointRegistry.unlinkIfExists(registry(id));
        org.panamaipc.message.Port.unlinkIfExists(registry(id) + ".ping");
        org.panamaipc.message.Port.unlinkIfExists(registry(id) + ".pong");
    }

    @Override
    public Side open(String id, boolean ping) {
        WaitStrategy strategy = RingTransport.strategy(strategyName);
        EndpointRegistry registry = EndpointRegistry.open(registry(id));
        MailboxOptions options = MailboxTransport.options(org.panamaipc.message.Transport.RING).waitStrategy(strategy);
        Endpoint<MemorySegment> me = registry.register(ping ? "ping" : "pong", options, BenchRecords.SEGMENTS);
        return new Side() {
            private final BenchRecords.Slices slices = new BenchRecords.Slices();
            private long replyTo;
            private MemorySegment into;
            private int received;
            private final RecordHandler copyOut = (header, segment, offset, length) -> {
                MemorySegment.copy(segment, offset, into, 0, length);
                received = length;
                replyTo = header.replyTo();
            };

            @Override
            public void send(MemorySegment message, int length) throws InterruptedException {
                MemorySegment value = slices.of(message, length);
                long sent = ping ? me.trySend("pong", value) : me.tryReply(replyTo, value);
                if (sent < 0) {
                    sent = ping ? me.send("pong", value, MailboxTransport.TIMEOUT)
                            : me.reply(replyTo, value, MailboxTransport.TIMEOUT);
                    if (sent < 0) {
                        throw new IllegalStateException("could not send for " + MailboxTransport.TIMEOUT + ": " + sent);
                    }
                }
            }

            @Override
            public int receive(MemorySegment buffer) throws InterruptedException {
                into = buffer;
                if (me.poll(copyOut, 1) < 1 && me.receive(copyOut, 1, MailboxTransport.TIMEOUT) < 1) { // EMPTY: nothing came
                    throw new IllegalStateException("nothing for " + me.name() + " for " + MailboxTransport.TIMEOUT);
                }
                return received;
            }

            @Override
            public void close() {
                me.close();
                registry.close();
            }
        };
    }
}
