package org.panamaipc.bench;

import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.Port;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Two ports, each owned by the side that receives from it: the pong creates its port before the
 * ping starts, the ping creates its own and sends to the pong's; the pong opens the ping's port
 * at its first send. Every send of a client first reads the owner's lock word (is the owner
 * there?), which is what a port costs over a mailbox.
 */
public final class PortTransport implements Transport {

    private final org.panamaipc.message.Transport transport;
    private final String strategyName;

    PortTransport(org.panamaipc.message.Transport transport, String strategyName) {
        this.transport = transport;
        this.strategyName = strategyName;
    }

    @Override
    public String name() {
        return "port-" + transport.name().toLowerCase() + (strategyName == null ? "" : "/" + strategyName);
    }

    private static String portOf(String id, boolean ping) {
        return "/pipc-bench-" + id + "-port-" + (ping ? "ping" : "pong");
    }

    @Override
    public void tearDown(String id) {
        Port.unlinkIfExists(portOf(id, true));
        Port.unlinkIfExists(portOf(id, false));
    }

    @Override
    public Side open(String id, boolean ping) {
        WaitStrategy strategy = strategyName == null ? WaitStrategy.blocking() : RingTransport.strategy(strategyName);
        Port<MemorySegment> mine = Port.create(portOf(id, ping), MailboxTransport.options(transport)
                .waitStrategy(strategy), BenchRecords.SEGMENTS);
        String theirs = portOf(id, !ping);
        return new MailboxTransport.MailboxSide(null, mine) {
            private Port<MemorySegment> out;

            @Override
            Mailbox<MemorySegment> out() {
                if (out == null) {
                    out = openWhenThere(theirs, strategy);
                }
                return out;
            }

            @Override
            public void close() {
                if (out != null) {
                    out.close();
                }
                mine.close();
            }
        };
    }

    /** The pong's port exists before the ping starts, and the ping's before its first message. */
    private static Port<MemorySegment> openWhenThere(String name, WaitStrategy strategy) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return Port.open(name, BenchRecords.SEGMENTS, strategy);
            } catch (org.panamaipc.NotFoundException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw notYet;
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
    }
}
