package org.panamaipc.cli;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHeader;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ipc channel create|send|recv}: a panama-ipc ring channel from the shell. {@code send}
 * and {@code recv} attach as an endpoint for one command, so they follow the channel's rules: an
 * SPSC channel takes one sender and one receiver at a time.
 */
@Command(name = "channel",
        description = "Creates a panama-ipc ring channel, sends to it and receives from it.",
        mixinStandardHelpOptions = true,
        subcommands = {ChannelCommand.Create.class, ChannelCommand.Send.class, ChannelCommand.Receive.class,
                HelpCommand.class},
        footer = {"", "Examples:", "  ipc channel create /quotes --type MPSC --capacity 64K",
                "  ipc channel send /quotes 'EURUSD 1.0842'", "  ipc channel recv /quotes --count 10 --timeout 5s"})
public final class ChannelCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Created by picocli. */
    public ChannelCommand() {
    }

    /** Without a subcommand: a wrong command line. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "give a subcommand: create, send or recv");
    }

    /** {@code ipc channel create NAME [--type T] [--capacity N] [--max-length N]}. */
    @Command(name = "create", description = {"Creates a ring channel.", "Mode 0600 unless --mode."},
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", converter = Converters.Name.class, description = "its name")
        private String name;

        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "SPSC", converter = ChannelTypes.class,
                description = "SPSC, MPSC or MPMC: how many senders and receivers (default: ${DEFAULT-VALUE})")
        private ChannelType type;

        @Option(names = "--capacity", paramLabel = "BYTES", converter = Converters.Size.class,
                description = "bytes of records, a power of two from 1K (default: 1M)")
        private Long capacity;

        @Option(names = "--max-length", paramLabel = "BYTES", converter = Converters.Size.class,
                description = "the longest message (default: 64K, or what fits: a little under half the capacity)")
        private Long maxLength;

        @Option(names = "--slots", paramLabel = "N",
                description = "how many endpoints may be attached at once, 2 to 1024 (default: 16)")
        private Integer slots;

        @Option(names = "--mode", paramLabel = "MODE", converter = Converters.Mode.class, defaultValue = "0600",
                description = "permission bits in octal (default: ${DEFAULT-VALUE})")
        private int mode;

        @Option(names = "--json", description = "print JSON")
        private boolean json;

        @Override
        public Integer call() {
            ChannelOptions options;
            try {
                options = ChannelOptions.of(type).mode(mode);
                if (capacity != null) {
                    options = options.capacity(capacity);
                }
                if (maxLength != null) {
                    if (maxLength > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException("maxMessageLength=" + maxLength + " is too large");
                    }
                    options = options.maxMessageLength(maxLength.intValue());
                }
                if (slots != null) {
                    options = options.endpointSlots(slots);
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            try (RingChannel ring = RingChannel.create(name, options)) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(json ? Json.write(Json.object("name", name, "type", ring.type().name(), "capacity",
                        ring.capacity(), "maxMessageLength", ring.maxMessageLength(), "mode",
                        String.format(Locale.ROOT, "0%o", mode)))
                        : "created channel " + name + ": " + ring.type() + ", " + Human.bytes(ring.capacity())
                        + " of records, messages up to " + Human.bytes(ring.maxMessageLength()) + ", " + Human.mode(mode));
                out.flush();
            }
            return 0;
        }
    }

    /**
     * Fails at once, saying what it is instead, if {@code name} is not a ring channel: another
     * panama-ipc kind, another program's shared memory, a queue, or nothing. A channel whose live
     * creator has not finished it is left to {@code RingChannel.open}, which waits for it.
     */
    static void requireChannel(String name) {
        if (!Inspector.segmentExists(name)) {
            throw new IpcCommand.Failure("no channel is called " + name
                    + (Inspector.queueExists(name) ? " (" + name + " is a message queue: ipc mq)" : ""));
        }
        SegmentInfo info = Inspector.segment(name, Holders.none());
        if (info == null) {
            throw new IpcCommand.Failure("no channel is called " + name + " (it was removed just now)");
        }
        boolean channel = info.kind == org.panamaipc.shm.SegmentKind.CHANNEL;
        if (channel && (info.status == SegmentInfo.Status.OK
                || info.status == SegmentInfo.Status.NOT_READY && info.creatorAlive)) {
            return;
        }
        String what = switch (info.status) {
            case FOREIGN -> "it is shared memory, not panama-ipc's";
            case EMPTY -> "it is empty shared memory";
            case UNREADABLE, CORRUPT, NOT_READY -> info.problem;
            case OK, UNKNOWN_KIND -> "it is a panama-ipc " + LsCommand.kind(info);
        };
        throw new IpcCommand.Failure(name + " is not a usable ring channel: " + what);
    }

    /** Reads SPSC, MPSC or MPMC in any case. */
    static final class ChannelTypes implements picocli.CommandLine.ITypeConverter<ChannelType> {
        @Override
        public ChannelType convert(String value) {
            try {
                return ChannelType.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a channel type: give SPSC, MPSC or MPMC");
            }
        }
    }

    /** {@code ipc channel send NAME TEXT [--message-type N]}. */
    @Command(name = "send", description = {"Sends a message to a ring channel.",
            "Attaches as a sender, sends TEXT (UTF-8), detaches. Waits while the ring is full, as long as it takes "
                    + "or --timeout; the message stays in the ring for a receiver."},
            mixinStandardHelpOptions = true)
    static final class Send implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", converter = Converters.Name.class, description = "the channel")
        private String name;

        @Parameters(index = "1", paramLabel = "TEXT", description = "the message")
        private String text;

        @Option(names = "--message-type", paramLabel = "N", defaultValue = "1",
                description = "the message's type, a number the receiver sees (default: ${DEFAULT-VALUE})")
        private int messageType;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.Time.class,
                description = "how long to wait while the ring is full (default: as long as it takes)")
        private Duration timeout;

        @Option(names = "--json", description = "print JSON")
        private boolean json;

        @Override
        public Integer call() throws InterruptedException {
            byte[] message = text.getBytes(StandardCharsets.UTF_8);
            requireChannel(name);
            try (RingChannel ring = RingChannel.open(name); Sender sender = ring.sender(WaitStrategy.blocking())) {
                if (message.length > sender.maxMessageLength()) {
                    throw new IpcCommand.Failure("the message has " + message.length + " bytes; channel " + name
                            + " takes at most " + sender.maxMessageLength());
                }
                long sequence = sender.send(messageType, message, timeout == null ? MqCommand.FOREVER : timeout);
                if (sequence == Sender.FULL) {
                    throw new IpcCommand.Failure("channel " + name + " is full: no room within "
                            + Human.duration(timeout == null ? MqCommand.FOREVER : timeout));
                }
                if (sequence == Sender.CLOSED) {
                    throw new IpcCommand.Failure("channel " + name + " is full and its receivers have gone");
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println(json ? Json.write(Json.object("name", name, "sequence", sequence, "source",
                        sender.endpointId(), "type", messageType, "length", message.length))
                        : "sent " + message.length + " bytes to " + name + " as message " + sequence + " of endpoint "
                        + sender.endpointId() + " (type " + messageType + ")");
                out.flush();
            }
            return 0;
        }
    }

    /** {@code ipc channel recv NAME [--count N] [--timeout D]}. */
    @Command(name = "recv", aliases = "receive",
            description = {"Receives messages from a ring channel.",
                    "Attaches as a receiver and prints each message with its header: "
                            + "`type 1, source 0, sequence 3: EURUSD 1.0842`. Waits as long as it takes, or --timeout."},
            mixinStandardHelpOptions = true)
    static final class Receive implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", converter = Converters.Name.class, description = "the channel")
        private String name;

        @Mixin
        private ReceiveOptions options;

        @Override
        public Integer call() throws InterruptedException {
            int count = options.count();
            PrintWriter out = spec.commandLine().getOut();
            requireChannel(name);
            try (RingChannel ring = RingChannel.open(name);
                 Receiver receiver = ring.receiver(WaitStrategy.blocking(), false);
                 Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(Math.max(1, ring.maxMessageLength()));
                for (int i = 0; i < count; i++) {
                    int length = receiver.receive(buffer, 0, options.timeoutOrForever());
                    if (length < 0) {
                        throw new IpcCommand.Failure("no message on channel " + name + " within "
                                + Human.duration(options.timeoutOrForever()) + options.countSoFar(i));
                    }
                    byte[] bytes = buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
                    MessageHeader header = receiver.lastHeader();
                    out.println(options.json() ? Json.write(Json.object("name", name, "type", header.type(), "source",
                            header.source(), "sequence", header.sequence(), "length", length, "text",
                            new String(bytes, StandardCharsets.UTF_8)))
                            : "type " + header.type() + ", source " + header.source() + ", sequence " + header.sequence()
                            + ": " + Human.text(bytes));
                    out.flush();
                }
            }
            return 0;
        }
    }
}
