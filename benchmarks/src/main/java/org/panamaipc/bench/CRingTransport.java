package org.panamaipc.bench;

import org.panamaipc.channel.ChannelType;

/**
 * The same two SPSC ring channels as {@code ring:SPSC:spin}, driven by C
 * ({@code native/src/ring_bench.c}, the ring algorithm of {@code native/include/pipc_ring_ops.h}),
 * busy-spinning: the hardware's limit for panama-ipc's rings.
 */
public final class CRingTransport implements Transport {

    private final RingTransport rings = new RingTransport(ChannelType.SPSC, "spin");

    @Override
    public String name() {
        return "c-ring";
    }

    @Override
    public String nativePeer() {
        return "ring_bench";
    }

    @Override
    public void setUp(String id) {
        rings.setUp(id);
    }

    @Override
    public void tearDown(String id) {
        rings.tearDown(id);
    }

    @Override
    public Side open(String id, boolean ping) {
        throw new UnsupportedOperationException("c-ring peers are C programs");
    }
}
