package org.panamaipc.cli;

import org.panamaipc.Access;
import org.panamaipc.shm.SharedMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ipc shm create|cat|write}: any POSIX shared memory, panama-ipc's or another program's.
 * {@code cat} maps it read-only and prints a hex dump; {@code write} refuses a panama-ipc segment
 * (whose users trust its layout) unless told {@code --force}.
 */
@Command(name = "shm",
        description = "Creates, dumps and writes POSIX shared memory, panama-ipc's or any other.",
        mixinStandardHelpOptions = true,
        subcommands = {ShmCommand.Create.class, ShmCommand.Cat.class, ShmCommand.Write.class, HelpCommand.class},
        footer = {"", "Examples:", "  ipc shm create /scratch 64K", "  ipc shm write /scratch --offset 16 hello",
                "  ipc shm cat /scratch --length 64", "  ipc shm cat /scratch --raw > scratch.bin"})
public final class ShmCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Created by picocli. */
    public ShmCommand() {
    }

    /** Without a subcommand: the usage, and a wrong command line. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "give a subcommand: create, cat or write");
    }

    /** {@code ipc shm create NAME SIZE}. */
    @Command(name = "create", description = {"Creates shared memory.", "SIZE bytes, zero-filled, mode 0600 unless --mode."},
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", converter = Converters.Name.class, description = "its name")
        private String name;

        @Parameters(index = "1", paramLabel = "SIZE", converter = Converters.Size.class,
                description = "its size: bytes, or with K, M, G (64K, 1M)")
        private long size;

        @Option(names = "--mode", paramLabel = "MODE", converter = Converters.Mode.class, defaultValue = "0600",
                description = "permission bits in octal (default: ${DEFAULT-VALUE})")
        private int mode;

        @Option(names = "--json", description = "print JSON")
        private boolean json;

        @Override
        public Integer call() {
            if (size <= 0) {
                throw new ParameterException(spec.commandLine(), "SIZE must be more than 0");
            }
            try (SharedMemory shm = SharedMemory.create(name, size, mode)) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(json ? Json.write(Json.object("name", name, "size", shm.size(), "mode",
                        String.format(Locale.ROOT, "0%o", mode), "created", true))
                        : "created shared memory " + name + ": " + Human.bytes(shm.size()) + ", " + Human.mode(mode));
                out.flush();
            }
            return 0;
        }
    }

    /** {@code ipc shm cat NAME [--offset N] [--length N] [--raw]}. */
    @Command(name = "cat", description = {"Prints shared memory as a hex dump, or raw.",
            "The dump shows repeated lines once, as *; --raw writes the bytes themselves. Maps it read-only."},
            mixinStandardHelpOptions = true)
    static final class Cat implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", converter = Converters.Name.class, description = "its name")
        private String name;

        @Option(names = "--offset", paramLabel = "N", converter = Converters.Size.class, defaultValue = "0",
                description = "where to start (default: 0)")
        private long offset;

        @Option(names = "--length", paramLabel = "N", converter = Converters.Size.class,
                description = "how many bytes (default: to the end)")
        private Long length;

        @Option(names = "--raw", description = "write the bytes as they are, for a file or a pipe")
        private boolean raw;

        @Option(names = "--json", description = "print JSON, the bytes in hex")
        private boolean json;

        @Override
        public Integer call() throws IOException {
            if (raw && json) {
                throw new ParameterException(spec.commandLine(), "--raw and --json exclude each other");
            }
            try (SharedMemory shm = SharedMemory.open(name, Access.READ_ONLY)) {
                MemorySegment all = shm.segment();
                long size = all.byteSize();
                if (offset > size) {
                    throw new ParameterException(spec.commandLine(), "--offset " + offset + " is past the end of "
                            + name + ", which has " + size + " bytes");
                }
                long n = length != null ? length : size - offset;
                if (n > size - offset) {
                    throw new ParameterException(spec.commandLine(), "--offset " + offset + " --length " + n
                            + " goes past the end of " + name + ", which has " + size + " bytes");
                }
                MemorySegment bytes = all.asSlice(offset, n);
                if (raw) {
                    OutputStream stdout = System.out;
                    byte[] chunk = new byte[64 * 1024];
                    for (long at = 0; at < n; at += chunk.length) {
                        int len = (int) Math.min(chunk.length, n - at);
                        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, chunk, 0, len);
                        stdout.write(chunk, 0, len);
                    }
                    stdout.flush();
                    return 0;
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    if (n > 16 << 20) {
                        throw new ParameterException(spec.commandLine(), "--json prints at most 16 MiB: give --length");
                    }
                    out.println(Json.write(Json.object("name", name, "size", size, "offset", offset, "length", n,
                            "hex", HexFormat.of().formatHex(bytes.toArray(ValueLayout.JAVA_BYTE)))));
                } else {
                    dump(out, bytes, offset);
                }
                out.flush();
            }
            return 0;
        }

        /** Writes {@code hexdump -C}'s layout: offset, 16 bytes in hex, the same as text; a repeat as {@code *}. */
        static void dump(PrintWriter out, MemorySegment bytes, long base) {
            long n = bytes.byteSize();
            byte[] line = new byte[16];
            byte[] previous = null;
            boolean starred = false;
            for (long at = 0; at < n; at += 16) {
                int len = (int) Math.min(16, n - at);
                byte[] current = len == 16 ? line : new byte[len];
                MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, current, 0, len);
                if (previous != null && len == 16 && java.util.Arrays.equals(current, previous)) {
                    if (!starred) {
                        out.println("*");
                        starred = true;
                    }
                    continue;
                }
                starred = false;
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%08x  ", base + at));
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < 16; i++) {
                    if (i < len) {
                        int b = current[i] & 0xff;
                        sb.append(String.format(Locale.ROOT, "%02x ", b));
                        text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
                    } else {
                        sb.append("   ");
                    }
                    if (i == 7) {
                        sb.append(' ');
                    }
                }
                out.println(sb + " |" + text + "|");
                previous = current.clone();
            }
            out.println(String.format(Locale.ROOT, "%08x", base + n));
        }
    }

    /** {@code ipc shm write NAME --offset N TEXT}. */
    @Command(name = "write", description = {"Writes text or bytes into shared memory.",
            "TEXT is UTF-8, or hex digits with --hex. Refuses a panama-ipc segment, whose users trust its layout, "
                    + "unless --force."},
            mixinStandardHelpOptions = true)
    static final class Write implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", converter = Converters.Name.class, description = "its name")
        private String name;

        @Parameters(index = "1", paramLabel = "TEXT", description = "what to write")
        private String text;

        @Option(names = "--offset", paramLabel = "N", converter = Converters.Size.class, defaultValue = "0",
                description = "where to write (default: 0)")
        private long offset;

        @Option(names = "--hex", description = "TEXT is hex digits, two per byte: 50494e47")
        private boolean hex;

        @Option(names = "--force", description = "write even into a panama-ipc segment")
        private boolean force;

        @Option(names = "--json", description = "print JSON")
        private boolean json;

        @Override
        public Integer call() {
            byte[] bytes;
            if (hex) {
                try {
                    bytes = HexFormat.of().parseHex(text.replace(" ", ""));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "'" + text + "' is not hex digits, two per byte");
                }
            } else {
                bytes = text.getBytes(StandardCharsets.UTF_8);
            }
            if (!force && Inspector.segmentExists(name)) {
                SegmentInfo info = Inspector.segment(name, Holders.scan());
                if (info != null && (info.status.ours() || info.status == SegmentInfo.Status.CORRUPT)) {
                    throw new IpcCommand.Failure(name + " is a panama-ipc " + LsCommand.kind(info)
                            + ": writing into it can break its users; add --force to write anyway");
                }
            }
            try (SharedMemory shm = SharedMemory.open(name, Access.READ_WRITE)) {
                long size = shm.size();
                if (offset > size || bytes.length > size - offset) {
                    throw new ParameterException(spec.commandLine(), bytes.length + " bytes at --offset " + offset
                            + " go past the end of " + name + ", which has " + size + " bytes");
                }
                MemorySegment.copy(bytes, 0, shm.segment(), ValueLayout.JAVA_BYTE, offset, bytes.length);
                PrintWriter out = spec.commandLine().getOut();
                out.println(json ? Json.write(Json.object("name", name, "offset", offset, "length", bytes.length))
                        : "wrote " + bytes.length + " bytes at offset " + offset + " of " + name);
                out.flush();
            }
            return 0;
        }
    }
}
