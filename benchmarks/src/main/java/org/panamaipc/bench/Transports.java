package org.panamaipc.bench;

import org.panamaipc.channel.ChannelType;

import java.util.ArrayList;
import java.util.List;

/** The transports the harness knows, by the spec a peer is started with. */
public final class Transports {

    private Transports() {
    }

    /**
     * {@return the transport a spec names} panama-ipc: {@code ring:TYPE:STRATEGY}, and
     * {@code ring-anon:TYPE:STRATEGY} for the same rings set up without a name (handed over a
     * socket). What a user would pick instead: {@code unix-socket}, {@code tcp}, {@code pipe},
     * {@code agrona}, {@code mapped} or {@code mapped:SLOTS}, {@code chronicle-queue}.
     */
    public static Transport parse(String spec) {
        String[] parts = spec.split(":");
        return switch (parts[0]) {
            case "ring" -> new RingTransport(ChannelType.valueOf(parts[1]), parts[2]);
            case "ring-anon" -> new AnonymousRingTransport(ChannelType.valueOf(parts[1]), parts[2]);
            case "unix-socket" -> new UnixSocketTransport();
            case "mq" -> new MqTransport();
            case "c-mq" -> CTransport.mq();
            case "c-ring" -> CTransport.ring();
            case "tcp" -> new TcpTransport();
            case "pipe" -> new PipeTransport();
            case "agrona" -> new AgronaTransport();
            case "mapped" -> new MappedTransport(
                    parts.length > 1 ? Integer.parseInt(parts[1]) : MappedTransport.DEFAULT_SLOTS);
            case "chronicle-queue" -> new ChronicleTransport();
            default -> throw new IllegalArgumentException("unknown transport " + spec);
        };
    }

    /**
     * {@return why the transport {@code spec} cannot carry messages of {@code size} bytes, in one
     * line, or null if it can} The queues are created with messages of at most
     * {@link MqTransport#MAX_SIZE} bytes (and the kernel caps them at {@code fs.mqueue.msgsize_max}),
     * the mapped ring's slots hold {@link MappedTransport#MAX_LENGTH} bytes; the rings, sockets,
     * pipes, Agrona and Chronicle take every size the harness sends.
     */
    public static String cannotCarry(String spec, int size) {
        String kind = spec.split(":")[0];
        return switch (kind) {
            case "mq", "c-mq" -> size <= MqTransport.MAX_SIZE ? null
                    : "its queues take messages of up to " + MqTransport.MAX_SIZE + " bytes (fs.mqueue.msgsize_max is "
                    + org.panamaipc.mq.MessageQueueLimits.current().msgsizeMax() + " here)";
            case "mapped" -> size <= MappedTransport.MAX_LENGTH ? null
                    : "its slots hold messages of up to " + MappedTransport.MAX_LENGTH + " bytes";
            default -> null;
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
        specs.add("ring-anon:SPSC:spin");
        specs.add("mq");
        specs.add("c-mq");
        specs.add("unix-socket");
        specs.add("tcp");
        specs.add("pipe");
        specs.add("agrona");
        specs.add("mapped");
        specs.add("chronicle-queue");
        return specs;
    }
}
