package org.panamaipc.bench;

import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.RecordHandler;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * Two mailboxes, one each way, over a ring (MPMC, like {@code ring:MPMC} beside it) or a message
 * queue (like {@code mq}). The harness's bytes are the value ({@link BenchRecords#SEGMENTS}), so a
 * mailbox carries what its transport carries alone plus the envelope (pid, send time, reply
 * address) and the codec's call: the cost of the mailbox layer. The bare variant
 * ({@code mailbox-bare:ring:STRATEGY}) is a mailbox without the envelope
 * ({@link MailboxOptions#withoutEnvelope()}).
 */
public final class MailboxTransport implements Transport {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int RING_CAPACITY = 1024;
    private static final int MAX_SIZE = 4096;

    private final org.panamaipc.message.Transport transport;
    private final String strategyName;
    private final boolean enveloped;

    MailboxTransport(org.panamaipc.message.Transport transport, String strategyName, boolean enveloped) {
        this.transport = transport;
        this.strategyName = strategyName;
        this.enveloped = enveloped;
    }

    @Override
    public String name() {
        return (enveloped ? "mailbox-" : "mailbox-bare-") + transport.name().toLowerCase() + (strategyName == null ? "" : "/" + strategyName);
    }

    static MailboxOptions options(org.panamaipc.message.Transport transport) {
        return transport == org.panamaipc.message.Transport.RING
                ? MailboxOptions.ring().capacity(RING_CAPACITY).maxMessageLength(MAX_SIZE)
                : MailboxOptions.queue().capacity(MqTransport.DEPTH).maxMessageLength(MAX_SIZE);
    }

    private String toPong(String id) {
        return "/pipc-bench-" + id + (enveloped ? "-mbox-a" : "-bare-mbox-a");
    }

    private String toPing(String id) {
        return "/pipc-bench-" + id + (enveloped ? "-mbox-b" : "-bare-mbox-b");
    }

    @Override
    public void setUp(String id) {
        MailboxOptions options = enveloped ? options(transport) : options(transport).withoutEnvelope();
        Mailbox.create(toPong(id), options, BenchRecords.SEGMENTS).close();
        Mailbox.create(toPing(id), options, BenchRecords.SEGMENTS).close();
    }

    @Override
    public void tearDown(String id) {
        Mailbox.unlinkIfExists(toPong(id));
        Mailbox.unlinkIfExists(toPing(id));
    }

    @Override
    public Side open(String id, boolean ping) {
        WaitStrategy strategy = strategyName == null ? WaitStrategy.blocking() : RingTransport.strategy(strategyName);
        Mailbox<MemorySegment> out = Mailbox.open(ping ? toPong(id) : toPing(id), BenchRecords.SEGMENTS, strategy);
        Mailbox<MemorySegment> in = Mailbox.open(ping ? toPing(id) : toPong(id), BenchRecords.SEGMENTS, strategy);
        return new MailboxSide(out, in);
    }

    /** One end over two mailboxes (or ports: any {@link Mailbox}). */
    static class MailboxSide implements Side {
        private final Mailbox<MemorySegment> out;
        private final Mailbox<MemorySegment> in;
        private final BenchRecords.Slices slices = new BenchRecords.Slices();
        private MemorySegment into;
        private int received;
        private final RecordHandler copyOut = (header, segment, offset, length) -> {
            MemorySegment.copy(segment, offset, into, 0, length);
            received = length;
        };

        MailboxSide(Mailbox<MemorySegment> out, Mailbox<MemorySegment> in) {
            this.out = out;
            this.in = in;
        }

        Mailbox<MemorySegment> out() {
            return out;
        }

        @Override
        public void send(MemorySegment message, int length) throws Exception {
            MemorySegment value = slices.of(message, length);
            if (out().trySend(value) < 0 && out().send(value, TIMEOUT) < 0) {
                throw new IllegalStateException("no room in " + out().name() + " for " + TIMEOUT);
            }
        }

        @Override
        public int receive(MemorySegment buffer) throws InterruptedException {
            into = buffer;
            if (in.poll(copyOut, 1) < 1 && in.receive(copyOut, 1, TIMEOUT) < 1) { // EMPTY: nothing came
                throw new IllegalStateException("nothing from " + in.name() + " for " + TIMEOUT);
            }
            return received;
        }

        @Override
        public void close() {
            out.close();
            in.close();
        }
    }
}
