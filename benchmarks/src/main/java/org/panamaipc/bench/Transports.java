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
     * socket), {@code ring-split:TYPE:STRATEGY} for bytes written and read in two parts as the
     * typed records are (the reference that tells the typed layer's cost from the records' shape).
     * What a user would pick instead: {@code unix-socket}, {@code tcp}, {@code pipe},
     * {@code agrona}, {@code mapped} or {@code mapped:SLOTS}, {@code chronicle-queue}. Between hosts:
     * {@code aeron:STRATEGY} beside {@code bridge:STRATEGY} (loopback UDP).
     */
    public static Transport parse(String spec) {
        String[] parts = spec.split(":");
        return switch (parts[0]) {
            case "ring" -> new RingTransport(ChannelType.valueOf(parts[1]), parts[2]);
            case "ring-split" -> new RingTransport(ChannelType.valueOf(parts[1]), parts[2], true);
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
            case "aeron" -> new AeronTransport(parts.length > 1 ? parts[1] : "spin");
            case "bridge" -> new BridgeTransport(parts.length > 1 ? parts[1] : "spin");
            case "typed", "typed-bare", "mailbox", "mailbox-bare", "port", "endpoint" -> MessagingTransports.parse(parts);
            case "rendezvous" -> new RendezvousTransport();
            case "broadcast" -> new BroadcastTransport();
            case "unbounded" -> new UnboundedTransport();
            default -> throw new IllegalArgumentException("unknown transport " + spec);
        };
    }

    /**
     * {@return what is wrong with {@code spec}, in one line, or null if it names a transport} Checked
     * before a run starts, so that a mistyped spec is refused at once rather than failing case by
     * case: its kind, its channel type and its wait strategy must exist, and every part be there.
     */
    public static String problem(String spec) {
        String[] parts = spec.split(":", -1);
        try {
            parse(spec);
            switch (parts[0]) {
                case "ring", "ring-split", "ring-anon", "typed", "typed-bare" -> RingTransport.strategy(parts[2]);
                case "mailbox", "mailbox-bare", "port", "endpoint" -> {
                    if (parts.length > 2) {
                        RingTransport.strategy(parts[2]);
                    }
                }
                default -> { }
            }
            return null;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            String why = e instanceof ArrayIndexOutOfBoundsException ? "a part is missing" : e.getMessage();
            return spec + " is not a transport (" + why + "); the specs of a full run are " + String.join(", ", all());
        }
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
            case "aeron", "bridge" -> size <= org.panamaipc.bridge.Bridge.maxValueLength() ? null
                    : "a bridge carries a message in one Aeron frame: at most " + org.panamaipc.bridge.Bridge.maxValueLength()
                    + " bytes (raw Aeron beside it is held to the same)";
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
        specs.add("ring-split:SPSC:spin");               // the typed records' access pattern, without the typed layer
        specs.addAll(MessagingTransports.specs());
        // between hosts: the bridge beside raw Aeron, the same driver settings, loopback UDP
        specs.add("aeron:yield");
        specs.add("bridge:yield");
        specs.add("rendezvous");
        specs.add("broadcast");
        specs.add("unbounded");
        return specs;
    }
}
