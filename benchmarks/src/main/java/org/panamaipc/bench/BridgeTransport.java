package org.panamaipc.bench;

import org.panamaipc.bridge.Bridge;
import org.panamaipc.bridge.BridgeConfig;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;

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

    private static final class BridgeSide extends MailboxTransport.MailboxSide {
        private final Bridge bridge;
        private final Mailbox<MemorySegment> in;

        BridgeSide(Mailbox<MemorySegment> out, Mailbox<MemorySegment> in, Bridge bridge) {
            super(out, in);
            this.bridge = bridge;
            this.in = in;
        }

        @Override
        public String counters() {
            return bridge.counters().replace(' ', ',');
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                bridge.close();
                in.unlink();
            }
        }
    }
}
