package org.panamaipc.bridge;

import org.panamaipc.message.MailboxOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Bridge} does: the channel it listens on, the local mailboxes and ports it delivers
 * into (exports), the remote ones it presents here (imports), and which media driver it uses.
 * Names map to addresses by this configuration only; nothing is discovered.
 *
 * {@snippet lang=java :
 * BridgeConfig config = BridgeConfig.builder()
 *         .listen("aeron:udp?endpoint=0.0.0.0:40124")                     // where the other host sends to
 *         .exportMailbox("/jobs", 10)                                     // stream 10 goes into the local /jobs
 *         .importPort("/printer", "aeron:udp?endpoint=hostB:40124", 12,   // hostB's /printer, presented here
 *                 MailboxOptions.ring())
 *         .build();
 * }
 *
 * <p>The same as a file ({@link #parse(Path)}), one directive a line, {@code #} starting a comment:
 * <pre>
 * listen aeron:udp?endpoint=0.0.0.0:40124
 * driver embedded                      # or: driver /dev/shm/aeron-root (a running media driver's directory)
 * idle backoff                         # or: spin, yield
 * export mailbox /jobs 10
 * export port /printer 12
 * import mailbox /results aeron:udp?endpoint=hostB:40124 11 capacity=1024 max-length=1024
 * import port /printer aeron:udp?endpoint=hostB:40124 12
 * </pre>
 * A stream id ({@code 1} to {@code 2^31-1}) pairs an import on one host with an export on the other:
 * the importing bridge sends to the exporting bridge's {@code listen} channel on that stream.
 *
 * @param listen    the channel this bridge receives on, or {@code null} if it exports nothing
 * @param driverDir the directory of an external media driver, or {@code null} for an embedded one
 * @param idle      how the bridge's thread waits when there is nothing to do
 * @param exports   what arrives here and where it goes
 * @param imports   what this host sends to others, and the local mailboxes it is sent from
 */
public record BridgeConfig(String listen, Path driverDir, Idle idle, List<Export> exports, List<Import> imports) {

    /** Mailbox or port: what a name is on its own host. */
    public enum Kind {
        /** A {@link org.panamaipc.message.Mailbox}. */
        MAILBOX,
        /** A {@link org.panamaipc.message.Port}: gone with its owner. */
        PORT
    }

    /** How the bridge's thread waits when it has nothing to do. */
    public enum Idle {
        /** Spins, yields, then parks up to 1 ms: little CPU when idle (the default). */
        BACKOFF,
        /** Yields the CPU between rounds: lower latency, a CPU's worth of yielding. */
        YIELD,
        /** Spins: the lowest latency, a whole CPU. */
        SPIN
    }

    /**
     * Messages arriving on {@code streamId} go into the local mailbox or port {@code name}.
     *
     * @param kind     mailbox or port
     * @param name     the local name
     * @param streamId the Aeron stream id the importing host sends on
     */
    public record Export(Kind kind, String name, int streamId) {
        public Export {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            checkStream(streamId);
        }
    }

    /**
     * The remote mailbox or port {@code name}, reached at {@code channel} on {@code streamId}, is
     * presented here as a local one of the same name, created with {@code options}.
     *
     * @param kind     mailbox or port
     * @param name     the name, here and there
     * @param channel  the remote bridge's listen channel, {@code aeron:udp?endpoint=host:port}
     * @param streamId the stream the remote bridge exports the name on
     * @param options  how the local stand-in is created (capacity, longest value, mode)
     */
    public record Import(Kind kind, String name, String channel, int streamId, MailboxOptions options) {
        public Import {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(options, "options");
            checkChannel(channel, "channel");
            checkStream(streamId);
        }
    }

    public BridgeConfig {
        Objects.requireNonNull(idle, "idle");
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
        if (listen != null) {
            checkChannel(listen, "listen");
        }
        if (!exports.isEmpty() && listen == null) {
            throw new IllegalArgumentException("exports=" + exports.size() + " need a listen channel");
        }
    }

    /** {@return a builder with no exports, no imports, an embedded driver and {@link Idle#BACKOFF}} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the configuration the file {@code path} holds}
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the line if a directive is wrong
     */
    public static BridgeConfig parse(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return parse(Files.readAllLines(path), path.toString());
    }

    /** {@return the configuration {@code lines} hold; {@code where} names them in messages} */
    public static BridgeConfig parse(List<String> lines, String where) {
        Builder builder = builder();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split("\\s+");
            try {
                directive(builder, words);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + ":" + number + ": " + e.getMessage() + " in '" + line + "'", e);
            }
        }
        return builder.build();
    }

    private static void directive(Builder builder, String[] words) {
        switch (words[0]) {
            case "listen" -> builder.listen(arguments(words, 2)[1]);
            case "driver" -> {
                String where = arguments(words, 2)[1];
                builder.driver(where.equals("embedded") ? null : Path.of(where));
            }
            case "idle" -> builder.idle(Idle.valueOf(arguments(words, 2)[1].toUpperCase(java.util.Locale.ROOT)));
            case "export" -> {
                arguments(words, 4);
                builder.exports.add(new Export(kind(words[1]), words[2], Integer.parseInt(words[3])));
            }
            case "import" -> {
                if (words.length < 5) {
                    throw new IllegalArgumentException("import takes KIND NAME CHANNEL STREAM [capacity=N] [max-length=N]");
                }
                MailboxOptions options = MailboxOptions.ring();
                for (int i = 5; i < words.length; i++) {
                    String[] pair = words[i].split("=", 2);
                    int value = Integer.parseInt(pair.length == 2 ? pair[1] : "");
                    options = switch (pair[0]) {
                        case "capacity" -> options.capacity(value);
                        case "max-length" -> options.maxMessageLength(value);
                        case "mode" -> options.mode(Integer.parseInt(pair[1], 8));
                        default -> throw new IllegalArgumentException("unknown option " + pair[0]);
                    };
                }
                builder.imports.add(new Import(kind(words[1]), words[2], words[3], Integer.parseInt(words[4]), options));
            }
            default -> throw new IllegalArgumentException("unknown directive " + words[0]);
        }
    }

    private static String[] arguments(String[] words, int count) {
        if (words.length != count) {
            throw new IllegalArgumentException(words[0] + " takes " + (count - 1) + " argument(s)");
        }
        return words;
    }

    private static Kind kind(String word) {
        return switch (word) {
            case "mailbox" -> Kind.MAILBOX;
            case "port" -> Kind.PORT;
            default -> throw new IllegalArgumentException("kind=" + word + " is neither mailbox nor port");
        };
    }

    private static void checkStream(int streamId) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("streamId=" + streamId + " must be positive");
        }
    }

    private static void checkChannel(String channel, String what) {
        if (!channel.startsWith("aeron:udp?")) {
            throw new IllegalArgumentException(what + "=" + channel + " is not an Aeron UDP channel (aeron:udp?endpoint=host:port)");
        }
    }

    /** Builds a {@link BridgeConfig}; every method returns the builder. */
    public static final class Builder {
        private String listen;
        private Path driverDir;
        private Idle idle = Idle.BACKOFF;
        private final List<Export> exports = new ArrayList<>();
        private final List<Import> imports = new ArrayList<>();

        private Builder() {
        }

        /** Receives on {@code channel} ({@code aeron:udp?endpoint=host:port}). */
        public Builder listen(String channel) {
            this.listen = Objects.requireNonNull(channel, "channel");
            return this;
        }

        /** Uses the media driver running in {@code aeronDir}, or an embedded one if {@code null}. */
        public Builder driver(Path aeronDir) {
            this.driverDir = aeronDir;
            return this;
        }

        /** Waits as {@code idle} says when there is nothing to do. */
        public Builder idle(Idle idle) {
            this.idle = Objects.requireNonNull(idle, "idle");
            return this;
        }

        /** Delivers what arrives on {@code streamId} into the local mailbox {@code name}. */
        public Builder exportMailbox(String name, int streamId) {
            exports.add(new Export(Kind.MAILBOX, name, streamId));
            return this;
        }

        /** Delivers what arrives on {@code streamId} into the local port {@code name}, while its owner is there. */
        public Builder exportPort(String name, int streamId) {
            exports.add(new Export(Kind.PORT, name, streamId));
            return this;
        }

        /** Presents the remote mailbox {@code name} (at {@code channel}, {@code streamId}) as a local mailbox. */
        public Builder importMailbox(String name, String channel, int streamId, MailboxOptions options) {
            imports.add(new Import(Kind.MAILBOX, name, channel, streamId, options));
            return this;
        }

        /** Presents the remote port {@code name} (at {@code channel}, {@code streamId}) as a local port. */
        public Builder importPort(String name, String channel, int streamId, MailboxOptions options) {
            imports.add(new Import(Kind.PORT, name, channel, streamId, options));
            return this;
        }

        /** {@return the configuration} */
        public BridgeConfig build() {
            return new BridgeConfig(listen, driverDir, idle, exports, imports);
        }
    }
}
