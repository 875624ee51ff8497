package org.panamaipc.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panamaipc.codec.CodecRecords.Level;
import org.panamaipc.codec.CodecRecords.Order;
import org.panamaipc.codec.CodecRecords.Quote;
import org.panamaipc.testkit.CCompiler;
import org.panamaipc.testkit.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C declarations a {@link RecordCodec} emits, compiled by gcc: a probe program prints the
 * {@code sizeof}, alignment, and every field's {@code offsetof} and size as gcc lays the struct
 * out, and the test holds them equal to the codec's layout (and shows that the comparison catches
 * a drifted declaration). A C peer built from the emitted header then reads what Java wrote into a
 * shared mapping of a file, and writes a record that Java reads.
 */
@Timeout(120)
class RecordCodecCTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Bytes only: no padding at all. */
    record Bytes(byte a, byte b, byte c) {
    }

    /** Padding after a bool, after a one-byte string, and at the end. */
    record Mixed(boolean z, double d, @MaxLength(1) String s, char c, @Length(1) float[] f) {
    }

    @TempDir
    Path dir;

    /** {@return the probe: a C program that prints the layout of {@code codec}'s struct as gcc makes it} */
    static String probe(RecordCodec<?> codec, String header) {
        String struct = "struct " + codec.type().getSimpleName();
        StringBuilder sb = new StringBuilder()
                .append("#include <stdio.h>\n#include <stddef.h>\n#include \"").append(header).append("\"\n\n")
                .append("int main(void)\n{\n")
                .append("    printf(\"sizeof=%zu\\n\", sizeof(").append(struct).append("));\n")
                .append("    printf(\"alignof=%zu\\n\", _Alignof(").append(struct).append("));\n");
        for (RecordField field : all(codec.fields())) {
            sb.append("    printf(\"").append(field.name()).append(".offset=%zu\\n\", offsetof(").append(struct)
                    .append(", ").append(field.name()).append("));\n")
                    .append("    printf(\"").append(field.name()).append(".size=%zu\\n\", sizeof(((").append(struct)
                    .append(" *) 0)->").append(field.name()).append("));\n");
        }
        return sb.append("    return 0;\n}\n").toString();
    }

    /** {@return {@code fields} and those of their nested records, depth first} */
    static List<RecordField> all(List<RecordField> fields) {
        List<RecordField> all = new ArrayList<>();
        for (RecordField field : fields) {
            all.add(field);
            all.addAll(all(field.fields()));
        }
        return all;
    }

    /** {@return the Java side, under the probe's keys, each checked against the codec's {@code layout()} too} */
    static Map<String, Long> java(RecordCodec<?> codec) {
        Map<String, Long> values = new TreeMap<>();
        values.put("sizeof", codec.byteSize());
        values.put("alignof", codec.layout().byteAlignment());
        for (RecordField field : all(codec.fields())) {
            PathElement[] path = java.util.Arrays.stream(field.name().split("\\."))
                    .map(PathElement::groupElement).toArray(PathElement[]::new);
            assertEquals(codec.layout().byteOffset(path), field.offset(), field.name());
            MemoryLayout layout = codec.layout().select(path);
            assertEquals(layout.byteSize(), field.byteSize(), field.name());
            values.put(field.name() + ".offset", field.offset());
            values.put(field.name() + ".size", field.byteSize());
        }
        return values;
    }

    /** {@return what the probe built from {@code header} (the text of {@code Name.h}) prints} */
    Map<String, Long> c(RecordCodec<?> codec, String header) throws IOException {
        String name = codec.type().getSimpleName();
        Path work = Files.createDirectories(dir.resolve(name + "-" + System.nanoTime()));
        Files.writeString(work.resolve(name + ".h"), header);
        Path source = Files.writeString(work.resolve("probe.c"), probe(codec, name + ".h"));
        Path program = CCompiler.compile(source, work.resolve("probe"));
        try (ChildProcess probe = ChildProcess.program("record-probe-" + name, program.toString())) {
            probe.assertSuccess(DEADLINE);
            Map<String, Long> values = new TreeMap<>();
            for (String line : probe.output().split("\n")) {
                int eq = line.lastIndexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
                }
            }
            return values;
        }
    }

    static List<String> compare(Map<String, Long> c, Map<String, Long> java) {
        List<String> problems = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(c.keySet());
        keys.addAll(java.keySet());
        for (String key : keys) {
            if (!c.containsKey(key)) {
                problems.add(key + ": in Java but not printed by the C probe");
            } else if (!java.containsKey(key)) {
                problems.add(key + ": printed by the C probe but not in Java");
            } else if (!c.get(key).equals(java.get(key))) {
                problems.add(key + ": C says " + c.get(key) + ", Java says " + java.get(key));
            }
        }
        return problems;
    }

    @Test
    void shouldLayOutEveryRecordAsGccLaysOutItsEmittedHeader() throws IOException {
        for (RecordCodec<?> codec : List.of(Codec.ofRecord(Order.class), Codec.ofRecord(Quote.class),
                Codec.ofRecord(Level.class), Codec.ofRecord(RecordLayoutTest.Book.class),
                Codec.ofRecord(CodecTest.Everything.class), Codec.ofRecord(CodecTest.Tick.class),
                Codec.ofRecord(Bytes.class), Codec.ofRecord(Mixed.class))) {
            Map<String, Long> c = c(codec, codec.cHeader());
            assertEquals(2 + 2 * all(codec.fields()).size(), c.size(), codec + ": the probe printed " + c);
            assertEquals(List.of(), compare(c, java(codec)), codec.toString());
        }
    }

    @Test
    void shouldReportADriftedDeclaration() throws IOException {
        RecordCodec<Order> codec = Codec.ofRecord(Order.class);
        String declaration = codec.cDeclaration();
        assertTrue(declaration.contains("int32_t levels[5];"), declaration);
        String drifted = "#include <stdbool.h>\n#include <stdint.h>\n"
                + declaration.replace("int32_t levels[5];", "int64_t levels[5];");
        List<String> problems = compare(c(codec, drifted), java(codec));
        assertTrue(problems.contains("levels.size: C says 40, Java says 20"), problems.toString());
        assertTrue(problems.contains("side.offset: C says " + (codec.offsetOf("levels") + 40) + ", Java says "
                + codec.offsetOf("side")), problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.startsWith("id.") || p.startsWith("symbol.")),
                "fields before the drift agree: " + problems);

        // the header's own assertions stop a C peer from compiling against a drifted declaration
        String header = codec.cHeader().replace("int32_t levels[5];", "int64_t levels[5];");
        AssertionError refused = assertThrows(AssertionError.class, () -> c(codec, header));
        assertTrue(refused.getMessage().contains("struct Order.side: offset differs from Java's"), refused.getMessage());
    }

    @Test
    void shouldExchangeRecordsWithACPeerBuiltFromTheEmittedHeader() throws IOException {
        RecordCodec<Order> codec = Codec.ofRecord(Order.class);
        Path program = peer(codec);
        long size = codec.byteSize();
        Path file = dir.resolve("orders");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            MemorySegment orders = channel.map(FileChannel.MapMode.READ_WRITE, 0, 3 * size, arena);
            orders.fill((byte) 0xee); // padding holds garbage: C must not read it
            assertEquals(size, codec.encode(CodecRecords.javaOrder(), orders, 0));
            RecordFieldTest.writeInPlace(CodecRecords.javaOrder(), orders, size);
            try (ChildProcess peer = ChildProcess.program("record-peer", program.toString(), file.toString())) {
                peer.assertSuccess(DEADLINE);
                assertTrue(peer.output().contains("record_peer: ok, struct Order is " + size + " bytes"), peer.output());
            }
            assertEquals(CodecRecords.cOrder(), codec.decode(orders, 2 * size));
            assertEquals(CodecRecords.cOrder(), RecordFieldTest.readInPlace(orders, 2 * size));
            assertTrue(codec.field("symbol").stringEquals(orders, 2 * size, "ABCDEFGHIJKLM"));
            assertEquals(13, codec.field("symbol").stringLength(orders, 2 * size), "a full string, no terminator");

            // and the peer does check: a field Java got wrong is named
            Order wrong = RecordLayoutTest.with(CodecRecords.javaOrder(), "ratios", new float[] {1.5f, 2.25f});
            codec.encode(wrong, orders, size);
            try (ChildProcess peer = ChildProcess.program("record-peer", program.toString(), file.toString())) {
                assertEquals(1, peer.waitFor(DEADLINE), peer.output());
                assertEquals("record_peer: slot 1: o->ratios[0] == 1.5f && o->ratios[1] == -2.25f is false\n",
                        peer.output());
            }
        }
    }

    /** {@return record_peer.c built against the header {@code codec} emits} */
    private Path peer(RecordCodec<Order> codec) throws IOException {
        Path work = Files.createDirectories(dir.resolve("peer"));
        Files.writeString(work.resolve("Order.h"), codec.cHeader());
        Path source = work.resolve("record_peer.c");
        try (InputStream in = RecordCodecCTest.class.getResourceAsStream("record_peer.c")) {
            assertTrue(in != null, "record_peer.c is not on the test class path");
            Files.copy(in, source);
        }
        return CCompiler.compile(source, work.resolve("record_peer"));
    }
}
