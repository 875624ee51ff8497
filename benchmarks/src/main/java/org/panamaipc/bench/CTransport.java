package org.panamaipc.bench;

import org.panamaipc.channel.ChannelType;

/**
 * A transport whose two peers are a C program from {@code native/} over the same OS objects a Java
 * transport uses, which creates and removes them: the floor the Java side is compared with.
 *
 * <ul>
 * <li>{@code c-ring}: the SPSC rings of {@code ring:SPSC:spin}, driven by {@code native/src/ring_bench.c}
 *     (the algorithm of {@code native/include/pipc_ring_ops.h}), busy-spinning;</li>
 * <li>{@code c-mq}: the message queues of {@link MqTransport}, driven by {@code native/src/mq_bench.c}.</li>
 * </ul>
 */
public final class CTransport implements Transport {

    private final String name;
    private final String program;
    private final Transport objects;

    private CTransport(String name, String program, Transport objects) {
        this.name = name;
        this.program = program;
        this.objects = objects;
    }

    /** {@return the C ring} */
    static CTransport ring() {
        return new CTransport("c-ring", "ring_bench", new RingTransport(ChannelType.SPSC, "spin"));
    }

    /** {@return the C message queues} */
    static CTransport mq() {
        return new CTransport("c-mq", "mq_bench", new MqTransport());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String nativePeer() {
        return program;
    }

    @Override
    public void setUp(String id) throws Exception {
        objects.setUp(id);
    }

    @Override
    public void tearDown(String id) {
        objects.tearDown(id);
    }

    @Override
    public Side open(String id, boolean ping) {
        throw new UnsupportedOperationException(name + " peers are C programs");
    }
}
