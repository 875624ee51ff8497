package org.panamaipc.bench;

import org.panamaipc.channel.ChannelType;

import java.util.ArrayList;
import java.util.List;

/** The transports the harness knows, by the spec a peer is started with. */
public final class Transports {

    private Transports() {
    }

    /** {@return the transport a spec names: {@code ring:SPSC:blocking}, {@code unix-socket}} */
    public static Transport parse(String spec) {
        String[] parts = spec.split(":");
        return switch (parts[0]) {
            case "ring" -> new RingTransport(ChannelType.valueOf(parts[1]), parts[2]);
            case "unix-socket" -> new UnixSocketTransport();
            case "mq" -> new MqTransport();
            case "c-mq" -> new CMqTransport();
            case "c-ring" -> new CRingTransport();
            default -> throw new IllegalArgumentException("unknown transport " + spec);
        };
    }

    /** {@return the specs of every transport, in the order results are shown} */
    public static List<String> all() {
        List<String> specs = new ArrayList<>();
        specs.add("c-ring");
        for (String strategy : List.of("spin", "yield", "backoff", "blocking")) {
            specs.add("ring:SPSC:" + strategy);
        }
        specs.add("ring:MPSC:spin");
        specs.add("ring:MPMC:spin");
        specs.add("ring:MPSC:blocking");
        specs.add("mq");
        specs.add("c-mq");
        specs.add("unix-socket");
        return specs;
    }
}
