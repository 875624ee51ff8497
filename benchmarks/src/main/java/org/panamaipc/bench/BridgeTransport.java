package org.panamaipc.bench;

import org.panamaipc.bridge.Bridge;
import org.panamaipc.bridge.BridgeConfig;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.RecordHandler;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Mailboxes between two JVMs through two bridges, as between two hosts: each JVM creates the
 * mailbox it receives from and runs a {@link Bridge} (its own embedded media driver, run by the
 * bridge's thread) that exports that mailbox and imports the other JVM's as a local stand-in, which
 * it sends to. A message goes sender → stand-in (a ring) → bridge → Aeron over loopback UDP →
 * bridge → mailbox (a ring) → receiver: beside {@code aeron:STRATEGY}, the same driver settings
 * with a user's own publication and subscription. Spec: {@code bridge:STRATEGY}; the bridge's
 * thread and the mailboxes' waits use the same strategy.
 */
public final class BridgeTransport implements Transport {

    private static final int CAPACITY = 1024;
    private final String strategy;

    BridgeTransport(String strategy) {
        this.strategy = strategy;
        AeronPorts.idle(strategy);
    }

    @Override
    public String name() {
        return "bridge/" + strategy;
    }

    @Override
    public List<String> jvmFlags() {
        return Bridge.JVM_FLAGS;
    }

    private static String in(String id, boolean ping) {
        return "/pipc-bench-" + id + "-bridge-" + (ping ? "ping" : "pong");
    }

    private static String standIn(String id, boolean ping) {
        return "/pipc-bench-" + id + "-bridge-to-" + (ping ? "pong" : "ping");
    }

    @Override
    public void setUp(String id) throws Exception {
        AeronPorts.choose(id);
    }

    @Override
    public void tearDown(String id) {
        for (boolean ping : new boolean[] {true, false}) {
            Mailbox.unlinkIfExists(in(id, ping));
            Mailbox.unlinkIfExists(standIn(id, ping));
        }
        AeronPorts.remove(id);
    }

    @Override
    public Side open(String id, boolean ping) throws Exception {
        int[] ports = AeronPorts.read(id);
        MailboxOptions options = MailboxOptions.ring().capacity(CAPACITY).maxMessageLength(Bridge.maxValueLength())
                .waitStrategy(RingTransport.strategy(strategy));
        Mailbox<MemorySegment> in = Mailbox.create(in(id, ping), options, BenchRecords.SEGMENTS);
        Bridge bridge = null;
        try {
            bridge = Bridge.start(BridgeConfig.builder()
                    .idle(AeronPorts.idle(strategy))
                    .listen(AeronPorts.channel(ports[ping ? 0 : 1]))
                    .exportMailbox(in(id, ping), AeronPorts.STREAM)
                    .importMailbox(standIn(id, ping), AeronPorts.channel(ports[ping ? 1 : 0]), AeronPorts.STREAM, options)
                    .build());
            Mailbox<MemorySegment> out = Mailbox.open(standIn(id, ping), BenchRecords.SEGMENTS, RingTransport.strategy(strategy));
            return new BridgeSide(out, in, bridge);
        } catch (RuntimeException | Error e) {
            if (bridge != null) {
                bridge.close();
            }
            in.close();
            throw e;
        }
    }

    /** One end: sends to its stand-in, receives from its mailbox; counts neither EMPTY nor 0 as a message. */
    private static final class BridgeSide implements Side {
        private final Mailbox<MemorySegment> out;
        private final Mailbox<MemorySegment> in;
        private final Bridge bridge;
        private final BenchRecords.Slices slices = new BenchRecords.Slices();
        private MemorySegment into;
        private int received;
        private final RecordHandler copyOut = (header, segment, offset, length) -> {
            MemorySegment.copy(segment, offset, into, 0, length);
            received = length;
        };

        BridgeSide(Mailbox<MemorySegment> out, Mailbox<MemorySegment> in, Bridge bridge) {
            this.out = out;
            this.in = in;
            this.bridge = bridge;
        }

        @Override
        public void send(MemorySegment message, int length) throws InterruptedException {
            MemorySegment value = slices.of(message, length);
            if (out.trySend(value) < 0 && out.send(value, MailboxTransport.TIMEOUT) < 0) {
                throw new IllegalStateException("no room in " + out.name() + " for " + MailboxTransport.TIMEOUT);
            }
        }

        @Override
        public int receive(MemorySegment buffer) throws InterruptedException {
            into = buffer;
            if (in.poll(copyOut, 1) < 1 && in.receive(copyOut, 1, MailboxTransport.TIMEOUT) < 1) {
                throw new IllegalStateException("nothing from " + in.name() + " for " + MailboxTransport.TIMEOUT);
            }
            return received;
        }

        @Override
        public String counters() {
            return bridge.counters();                   // key=value words, as the RESULT line's
        }

        @Override
        public void close() {
            try {
                out.close();
                in.close();
            } finally {
                bridge.close();
                in.unlink();
            }
        }
    }
}
