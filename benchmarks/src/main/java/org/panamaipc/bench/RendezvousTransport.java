package org.panamaipc.bench;

import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousOptions;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * Two panama-ipc rendezvous (links of capacity zero), one each way: every send returns only once
 * the other side has taken the message, so a throughput run measures hand-overs, one at a time.
 */
public final class RendezvousTransport implements Transport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "rendezvous";
    }

    private static String toPong(String id) {
        return "/pipc-bench-" + id + "-rv-a";
    }

    private static String toPing(String id) {
        return "/pipc-bench-" + id + "-rv-b";
    }

    @Override
    public void setUp(String id) {
        RendezvousOptions options = RendezvousOptions.of(Bench.MAX_SIZE).senderSlots(2).receiverSlots(2);
        Rendezvous.create(toPong(id), options).close();
        Rendezvous.create(toPing(id), options).close();
    }

    @Override
    public void tearDown(String id) {
        Rendezvous.unlinkIfExists(toPong(id));
        Rendezvous.unlinkIfExists(toPing(id));
    }

    @Override
    public Side open(String id, boolean ping) {
        Rendezvous out = Rendezvous.open(ping ? toPong(id) : toPing(id));
        Rendezvous in = Rendezvous.open(ping ? toPing(id) : toPong(id));
        RendezvousSender sender = out.sender();
        RendezvousReceiver receiver = in.receiver();
        return new Side() {
            @Override
            public void send(MemorySegment message, int length) throws InterruptedException {
                if (sender.send(1, message, 0, length, TIMEOUT) < 0) {
                    throw new IllegalStateException("nobody took a message from " + out.name() + " for " + TIMEOUT);
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
                return "withdrawn=" + sender.withdrawn() + " handed_back=" + out.handedBack();
            }

            @Override
            public void close() {
                out.close(); // closes the sender
                in.close();  // and the receiver
            }
        };
    }
}
