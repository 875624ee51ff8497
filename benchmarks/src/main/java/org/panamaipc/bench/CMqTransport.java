package org.panamaipc.bench;

/**
 * The same two message queues as {@link MqTransport}, driven by C ({@code native/src/mq_bench.c}):
 * the floor for panama-ipc's message queues.
 */
public final class CMqTransport implements Transport {

    private final MqTransport queues = new MqTransport();

    @Override
    public String name() {
        return "c-mq";
    }

    @Override
    public String nativePeer() {
        return "mq_bench";
    }

    @Override
    public void setUp(String id) {
        queues.setUp(id);
    }

    @Override
    public void tearDown(String id) {
        queues.tearDown(id);
    }

    @Override
    public Side open(String id, boolean ping) {
        throw new UnsupportedOperationException("c-mq peers are C programs");
    }
}
