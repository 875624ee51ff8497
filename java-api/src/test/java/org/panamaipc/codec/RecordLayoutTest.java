package org.panamaipc.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.codec.CodecRecords.Level;
import org.panamaipc.codec.CodecRecords.Order;
import org.panamaipc.codec.CodecRecords.Quote;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records with arrays, bounded strings and nested records: their layout, their C declaration, what
 * is refused when the codec is made and when a value is encoded. {@link RecordCodecCTest} holds the
 * layouts equal to what gcc makes of the declarations.
 */
@Timeout(30)
class RecordLayoutTest {

    record Prices(double bid, double ask) {
    }

    /** The example of RecordCodec's Javadoc. */
    record Book(long id, @MaxLength(12) String symbol, @Length(4) int[] levels, Prices quote) {
    }

    record Text(@MaxLength(4) String text) {
    }

    record WithList(int a, List<String> tags) {
    }

    record WithObject(Object thing) {
    }

    record UnboundedString(String name) {
    }

    record UnsizedArray(int[] values) {
    }

    record EmptyArray(@Length(0) int[] values) {
    }

    record EmptyString(@MaxLength(0) String name) {
    }

    record LengthOnInt(@Length(4) int value) {
    }

    record MaxLengthOnArray(@MaxLength(4) byte[] value) {
    }

    record ArrayOfStrings(@Length(2) String[] names) {
    }

    record ArrayOfArrays(@Length(2) int[][] grid) {
    }

    record Huge(@Length(Integer.MAX_VALUE) long[] values) {
    }

    record Padded(int _pad0) {
    }

    record Nothing() {
    }

    record HoldsNothing(int a, Nothing nothing) {
    }

    record Outer(int a, Inner inner) {
    }

    record Inner(int b, Outer outer) {
    }

    record HoldsBadInner(long id, WithList inner) {
    }

    record Keyword(int unsigned) {
    }

    static final class Other {
        record Prices(int cents) {
        }
    }

    record Clash(Prices a, Other.Prices b) {
    }

    @Test
    void shouldLayOutArraysStringsAndNestedRecordsAsTheCCompilerWould() {
        RecordCodec<Book> codec = Codec.ofRecord(Book.class);
        // id@0, symbol@8 (12 bytes), levels@20 (4-aligned, 16 bytes) to 36, pad 4, quote@40 (8-aligned), 56
        assertEquals(56, codec.byteSize());
        assertEquals(Map.of("id", 0L, "symbol", 8L, "levels", 20L, "quote", 40L, "quote.bid", 40L, "quote.ask", 48L),
                Map.of("id", codec.offsetOf("id"), "symbol", codec.offsetOf("symbol"), "levels", codec.offsetOf("levels"),
                        "quote", codec.offsetOf("quote"), "quote.bid", codec.offsetOf("quote.bid"),
                        "quote.ask", codec.offsetOf("quote.ask")));
        assertEquals(8, codec.layout().byteAlignment());
        assertEquals(56, codec.layout().byteSize());
        assertEquals(48, codec.layout().byteOffset(PathElement.groupElement("quote"), PathElement.groupElement("ask")));
        assertEquals(28, codec.layout().byteOffset(PathElement.groupElement("levels"), PathElement.sequenceElement(2)));
        assertEquals("""
                struct Prices {
                    double bid; // offset 0
                    double ask; // offset 8
                };
                struct Book {
                    int64_t id; // offset 0
                    char symbol[12]; // offset 8, UTF-8, NUL-padded
                    int32_t levels[4]; // offset 20
                    uint8_t _pad0[4];
                    struct Prices quote; // offset 40
                };
                """, codec.cDeclaration());
        String header = codec.cHeader();
        assertTrue(header.startsWith("/* The C mirror of panama-ipc's RecordCodec.of(" + Book.class.getCanonicalName() + ".class)"), header);
        assertTrue(header.contains("#ifndef PIPC_RECORD_BOOK_H\n#define PIPC_RECORD_BOOK_H\n"), header);
        assertTrue(header.contains("_Static_assert(sizeof(struct Book) == 56, "), header);
        assertTrue(header.contains("_Static_assert(offsetof(struct Book, quote) == 40, "), header);
        assertTrue(header.contains("_Static_assert(offsetof(struct Prices, ask) == 8, "), header);
        assertTrue(header.indexOf("struct Prices {") < header.indexOf("struct Book {"), "nested first");
    }

    @Test
    void shouldDeclareEachNestedStructOnceBeforeItsFirstUse() {
        String c = Codec.ofRecord(Order.class).cDeclaration();
        assertEquals(List.of("Level", "Quote", "Order"), Arrays.stream(c.split("\n"))
                .filter(line -> line.startsWith("struct ")).map(line -> line.split(" ")[1]).toList());
        assertTrue(c.contains("    struct Level best; // offset 24\n"), c);
        assertTrue(c.contains("    int16_t sizes[3]; // offset 16\n"), c);
        assertTrue(c.contains("    bool flags[3]; // offset "), c);
        assertTrue(c.contains("    uint16_t code[3]; // offset "), c);
    }

    @Test
    void shouldRoundTripEveryKindOfComponentAtAnyOffset() {
        RecordCodec<Order> codec = Codec.ofRecord(Order.class);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(3 * codec.byteSize() + 8);
            for (Order order : List.of(CodecRecords.javaOrder(), CodecRecords.cOrder())) {
                for (long offset : new long[] {0, 3, codec.byteSize() + 5}) {
                    segment.fill((byte) 0x5a);
                    assertEquals(codec.byteSize(), codec.encode(order, segment, offset));
                    assertEquals(order, codec.decode(segment, offset), "at " + offset);
                    assertEquals(order, codec.decode(segment.asSlice(offset, codec.byteSize())));
                }
            }
            MemorySegment heap = MemorySegment.ofArray(new byte[(int) codec.byteSize() + 1]);
            codec.encode(CodecRecords.javaOrder(), heap, 1);
            assertEquals(CodecRecords.javaOrder(), codec.decode(heap, 1), "heap");
            assertEquals(-codec.byteSize(), codec.encode(CodecRecords.javaOrder(), heap, 2), "too small: minus the size");
        }
    }

    @Test
    void shouldStoreStringsAsUtf8PaddedWithNulsAndReadThemUpToTheFirstNul() {
        RecordCodec<Text> codec = Codec.ofRecord(Text.class);
        MemorySegment segment = MemorySegment.ofArray(new byte[6]);
        segment.fill((byte) 'x');
        codec.encode(new Text("\u00e9a"), segment, 1);
        assertArrayEquals(new byte[] {'x', (byte) 0xc3, (byte) 0xa9, 'a', 0, 'x'}, segment.toArray(ValueLayout.JAVA_BYTE),
                "UTF-8, then zeros to the end of the field, nothing after it");
        codec.encode(new Text("\u20ac!"), segment, 1);
        assertArrayEquals(new byte[] {'x', (byte) 0xe2, (byte) 0x82, (byte) 0xac, '!', 'x'},
                segment.toArray(ValueLayout.JAVA_BYTE), "a string of exactly the bound has no terminator");
        assertEquals(new Text("\u20ac!"), codec.decode(segment, 1));
        codec.encode(new Text(""), segment, 1);
        assertEquals(new Text(""), codec.decode(segment, 1));
        // written by someone else: bytes after the first NUL are not part of the string, bad UTF-8 is U+FFFD
        segment.asSlice(1, 4).copyFrom(MemorySegment.ofArray(new byte[] {'o', 'k', 0, 'z'}));
        assertEquals(new Text("ok"), codec.decode(segment, 1));
        segment.asSlice(1, 4).copyFrom(MemorySegment.ofArray(new byte[] {'a', (byte) 0xff, (byte) 0xc3, 'b'}));
        assertEquals(new Text(new String(new byte[] {'a', (byte) 0xff, (byte) 0xc3, 'b'}, StandardCharsets.UTF_8)),
                codec.decode(segment, 1));
        assertEquals(new Text("a\ufffd\ufffdb"), codec.decode(segment, 1));
        // an unpaired surrogate is written as '?', as String.getBytes writes it
        codec.encode(new Text("a\ud800"), segment, 1);
        assertEquals(new Text("a?"), codec.decode(segment, 1));
    }

    private static void assertRefused(Class<? extends Record> type, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codec.ofRecord(type));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' is not in: " + e.getMessage());
        }
    }

    @Test
    void shouldRefuseARecordThatCannotBeLaidOutNamingTheComponent() {
        assertRefused(WithList.class, "component 'tags' of " + WithList.class.getName() + ": java.util.List is not "
                + "a supported type; use a primitive, a fixed-length primitive array with @Length, a String with "
                + "@MaxLength, or a record of those");
        assertRefused(WithObject.class, "component 'thing' of " + WithObject.class.getName(), "java.lang.Object is not");
        assertRefused(UnboundedString.class, "component 'name' of ", "a String needs its most bytes of UTF-8, as in "
                + "@MaxLength(32) String name");
        assertRefused(UnsizedArray.class, "component 'values' of ", "an array needs its length, as in @Length(16) int[] values");
        assertRefused(EmptyArray.class, "component 'values' of ", "@Length(0) must be at least 1");
        assertRefused(EmptyString.class, "component 'name' of ", "@MaxLength(0) must be at least 1");
        assertRefused(LengthOnInt.class, "component 'value' of ", "@Length applies to a primitive array, not to int");
        assertRefused(MaxLengthOnArray.class, "component 'value' of ", "@MaxLength applies to a String, not to byte[]");
        assertRefused(ArrayOfStrings.class, "component 'names' of ", "java.lang.String[] is not a supported type");
        assertRefused(ArrayOfArrays.class, "component 'grid' of ", "int[][] is not a supported type");
        assertRefused(Huge.class, "component 'values' of ", "would take more than 2147483647 bytes");
        assertRefused(Padded.class, "component '_pad0' of ", "kept for the padding");
        assertRefused(HoldsNothing.class, "component 'nothing' of " + HoldsNothing.class.getName(), "C has no empty struct");
        assertRefused(Outer.class, "component 'inner' of " + Outer.class.getName() + ": component 'outer' of "
                + Inner.class.getName() + ": " + Outer.class.getName() + " would contain itself");
        assertRefused(HoldsBadInner.class, "component 'inner' of " + HoldsBadInner.class.getName()
                + ": component 'tags' of " + WithList.class.getName());
        assertEquals(0, Codec.ofRecord(Nothing.class).byteSize(), "an empty record alone is fine: 0 bytes");
    }

    @Test
    void shouldRefuseToEncodeWhatItCouldNotGiveBackNamingTheComponent() {
        RecordCodec<Order> codec = Codec.ofRecord(Order.class);
        MemorySegment segment = MemorySegment.ofArray(new byte[(int) codec.byteSize()]);
        Order good = CodecRecords.javaOrder();
        String of = " of " + Order.class.getName();

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(with(good, "symbol", "Gr\u00fc\u00dfe \u20ac\u20ac"), segment, 0));
        assertEquals("component 'symbol'" + of + ": length=14 bytes of UTF-8 exceeds @MaxLength(13)", tooLong.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(with(good, "symbol", "ab\u0000c"), segment, 0));
        assertTrue(nul.getMessage().startsWith("component 'symbol'" + of + ": the string holds a NUL at index=2"),
                nul.getMessage());
        IllegalArgumentException shortArray = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(with(good, "levels", new int[4]), segment, 0));
        assertEquals("component 'levels'" + of + ": length=4 differs from @Length(5)", shortArray.getMessage());
        IllegalArgumentException longFlags = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(with(good, "flags", new boolean[4]), segment, 0));
        assertEquals("component 'flags'" + of + ": length=4 differs from @Length(3)", longFlags.getMessage());
        Quote badQuote = new Quote(1, 2, new short[2], new Level(1, (short) 1));
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(with(good, "quote", badQuote), segment, 0));
        assertEquals("component 'sizes' of " + Quote.class.getName() + ": length=2 differs from @Length(3)",
                nested.getMessage());

        for (String component : List.of("symbol", "levels", "quote", "flags")) {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> codec.encode(with(good, component, null), segment, 0));
            assertEquals("component '" + component + "'" + of + " is null", e.getMessage());
        }
        assertEquals(codec.byteSize(), codec.encode(good, segment, 0), "the codec still works");
        assertEquals(good, codec.decode(segment));
    }

    /** {@return {@code order} with component {@code name} replaced by {@code value}} */
    static Order with(Order order, String name, Object value) {
        try {
            var components = Order.class.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getName().equals(name) ? value : components[i].getAccessor().invoke(order);
            }
            return Order.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldRefuseADeclarationThatCWouldNotCompile() {
        IllegalStateException keyword = assertThrows(IllegalStateException.class,
                () -> Codec.ofRecord(Keyword.class).cDeclaration());
        assertTrue(keyword.getMessage().contains("component 'unsigned' of " + Keyword.class.getName()
                + ": unsigned is a C keyword"), keyword.getMessage());
        RecordCodec<Clash> clash = Codec.ofRecord(Clash.class);
        assertEquals(24, clash.byteSize(), "Java has no trouble with it");
        IllegalStateException twice = assertThrows(IllegalStateException.class, clash::cHeader);
        assertTrue(twice.getMessage().contains("would both be declared as struct Prices"), twice.getMessage());
    }
}
