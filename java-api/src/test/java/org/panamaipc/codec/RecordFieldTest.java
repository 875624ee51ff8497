package org.panamaipc.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.codec.CodecRecords.Level;
import org.panamaipc.codec.CodecRecords.Order;
import org.panamaipc.codec.CodecRecords.Quote;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and writing single fields of an encoding in place, through {@link RecordField}. */
@Timeout(30)
class RecordFieldTest {

    private static final RecordCodec<Order> CODEC = Codec.ofRecord(Order.class);

    /** {@return every field of {@code order} read in place, in the shape of the record} */
    static Order readInPlace(MemorySegment s, long at) {
        int[] levels = new int[5];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = CODEC.field("levels").getInt(s, at, i);
        }
        short[] sizes = new short[3];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = CODEC.field("quote.sizes").getShort(s, at, i);
        }
        RecordField flags = CODEC.field("flags");
        RecordField code = CODEC.field("code");
        RecordField raw = CODEC.field("raw");
        return new Order(CODEC.field("kind").getByte(s, at), CODEC.field("id").getLong(s, at),
                CODEC.field("symbol").getString(s, at), CODEC.field("buy").getBoolean(s, at), levels,
                CODEC.field("side").getChar(s, at),
                new Quote(CODEC.field("quote.bid").getDouble(s, at), CODEC.field("quote.ask").getDouble(s, at), sizes,
                        new Level(CODEC.field("quote.best.price").getInt(s, at),
                                CODEC.field("quote.best.size").getShort(s, at))),
                CODEC.field("weight").getFloat(s, at),
                new boolean[] {flags.getBoolean(s, at, 0), flags.getBoolean(s, at, 1), flags.getBoolean(s, at, 2)},
                new double[] {CODEC.field("marks").getDouble(s, at, 0), CODEC.field("marks").getDouble(s, at, 1)},
                new char[] {code.getChar(s, at, 0), code.getChar(s, at, 1), code.getChar(s, at, 2)},
                new byte[] {raw.getByte(s, at, 0), raw.getByte(s, at, 1), raw.getByte(s, at, 2), raw.getByte(s, at, 3)},
                new long[] {CODEC.field("ids").getLong(s, at, 0), CODEC.field("ids").getLong(s, at, 1)},
                new float[] {CODEC.field("ratios").getFloat(s, at, 0), CODEC.field("ratios").getFloat(s, at, 1)},
                CODEC.field("tail").getShort(s, at));
    }

    /** Writes every field of {@code o} in place. */
    static void writeInPlace(Order o, MemorySegment s, long at) {
        CODEC.field("kind").setByte(s, at, o.kind());
        CODEC.field("id").setLong(s, at, o.id());
        CODEC.field("symbol").setString(s, at, o.symbol());
        CODEC.field("buy").setBoolean(s, at, o.buy());
        for (int i = 0; i < 5; i++) {
            CODEC.field("levels").setInt(s, at, i, o.levels()[i]);
        }
        CODEC.field("side").setChar(s, at, o.side());
        CODEC.field("quote.bid").setDouble(s, at, o.quote().bid());
        CODEC.field("quote.ask").setDouble(s, at, o.quote().ask());
        for (int i = 0; i < 3; i++) {
            CODEC.field("quote.sizes").setShort(s, at, i, o.quote().sizes()[i]);
            CODEC.field("flags").setBoolean(s, at, i, o.flags()[i]);
            CODEC.field("code").setChar(s, at, i, o.code()[i]);
        }
        CODEC.field("quote.best.price").setInt(s, at, o.quote().best().price());
        CODEC.field("quote.best.size").setShort(s, at, o.quote().best().size());
        CODEC.field("weight").setFloat(s, at, o.weight());
        for (int i = 0; i < 2; i++) {
            CODEC.field("marks").setDouble(s, at, i, o.marks()[i]);
            CODEC.field("ids").setLong(s, at, i, o.ids()[i]);
            CODEC.field("ratios").setFloat(s, at, i, o.ratios()[i]);
        }
        for (int i = 0; i < 4; i++) {
            CODEC.field("raw").setByte(s, at, i, o.raw()[i]);
        }
        CODEC.field("tail").setShort(s, at, o.tail());
    }

    @Test
    void shouldReadEveryFieldInPlaceAsDecodeReadsIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(CODEC.byteSize() + 7);
            for (Order order : List.of(CodecRecords.javaOrder(), CodecRecords.cOrder())) {
                CODEC.encode(order, segment, 7);
                assertEquals(order, readInPlace(segment, 7));
            }
        }
    }

    @Test
    void shouldReadAnyBytesWithoutFailingAndAsDecodeReadsThem() {
        // what a broken or hostile peer may write: every byte pattern is some record, never an exception
        java.util.Random random = new java.util.Random(12);
        byte[] bytes = new byte[(int) CODEC.byteSize()];
        MemorySegment segment = MemorySegment.ofArray(bytes);
        for (int i = 0; i < 2000; i++) {
            random.nextBytes(bytes);
            if (i % 3 == 0) { // small values too, so that NULs and 0/1 booleans occur
                for (int k = 0; k < bytes.length; k++) {
                    bytes[k] &= 3;
                }
            }
            Order decoded = CODEC.decode(segment);
            assertEquals(decoded, readInPlace(segment, 0));
            assertTrue(decoded.symbol().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 3 * 13);
        }
    }

    @Test
    void shouldWriteEveryFieldInPlaceAsEncodeWritesIt() {
        MemorySegment segment = MemorySegment.ofArray(new byte[(int) CODEC.byteSize() + 3]);
        MemorySegment encoded = MemorySegment.ofArray(new byte[(int) CODEC.byteSize()]);
        for (Order order : List.of(CodecRecords.javaOrder(), CodecRecords.cOrder())) {
            segment.fill((byte) -1);
            writeInPlace(order, segment, 3);
            assertEquals(order, CODEC.decode(segment, 3));
            // byte for byte as encode writes them, padding apart
            encoded.fill((byte) -1);
            CODEC.encode(order, encoded, 0);
            assertArrayEquals(encoded.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    segment.asSlice(3).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void shouldDescribeEachFieldAndResolvePathsIntoNestedRecords() {
        assertEquals(List.of("kind", "id", "symbol", "buy", "levels", "side", "quote", "weight", "flags", "marks", "code",
                "raw", "ids", "ratios", "tail"), CODEC.fields().stream().map(RecordField::name).toList());
        RecordField quote = CODEC.field("quote");
        assertEquals(Quote.class, quote.type());
        assertEquals(List.of("quote.bid", "quote.ask", "quote.sizes", "quote.best"),
                quote.fields().stream().map(RecordField::name).toList());
        RecordField price = CODEC.field("quote.best.price");
        assertEquals(quote.offset() + Codec.ofRecord(Quote.class).offsetOf("best"), price.offset());
        assertEquals(price.offset(), quote.fields().get(3).fields().get(0).offset());
        assertEquals(int.class, price.type());
        assertEquals(4, price.byteSize());
        assertEquals(1, price.length());
        RecordField symbol = CODEC.field("symbol");
        assertEquals(String.class, symbol.type());
        assertEquals(13, symbol.length());
        assertEquals(13, symbol.byteSize());
        RecordField levels = CODEC.field("levels");
        assertEquals(int[].class, levels.type());
        assertEquals(5, levels.length());
        assertEquals(20, levels.byteSize());
        assertEquals(List.of(), levels.fields());
        assertTrue(price.toString().contains("quote.best.price: int at " + price.offset()), price.toString());
        for (String bad : List.of("nope", "quote.nope", "quote.best.price.more", "", "quote.", ".quote")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODEC.field(bad), bad);
            assertEquals("path=" + bad + " names no component of " + Order.class.getName(), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> CODEC.field(null));
    }

    @Test
    void shouldRefuseAnAccessorOfAnotherTypeAndAnIndexOutOfRange() {
        MemorySegment segment = MemorySegment.ofArray(new byte[(int) CODEC.byteSize()]);
        CODEC.encode(CodecRecords.javaOrder(), segment, 0);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> CODEC.field("quote.bid").getInt(segment, 0));
        assertEquals("field=quote.bid of " + Order.class.getName() + " is of type double; getInt does not apply to it",
                wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CODEC.field("id").getLong(segment, 0, 0), "not an array");
        assertThrows(IllegalArgumentException.class, () -> CODEC.field("levels").getInt(segment, 0), "an array");
        assertThrows(IllegalArgumentException.class, () -> CODEC.field("levels").getLong(segment, 0, 0), "int[]");
        assertThrows(IllegalArgumentException.class, () -> CODEC.field("quote").getLong(segment, 0), "a record");
        assertThrows(IllegalArgumentException.class, () -> CODEC.field("id").getString(segment, 0));
        assertThrows(IllegalArgumentException.class, () -> CODEC.field("id").setString(segment, 0, "x"));
        assertThrows(IllegalArgumentException.class, () -> CODEC.field("symbol").setDouble(segment, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> CODEC.field("levels").getInt(segment, 0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> CODEC.field("levels").setInt(segment, 0, -1, 0));
        RecordField tail = CODEC.field("tail");
        assertThrows(IndexOutOfBoundsException.class,
                () -> tail.getShort(segment.asSlice(0, tail.offset() + 1), 0), "past the end of the segment");
        assertThrows(IndexOutOfBoundsException.class, () -> CODEC.field("symbol").getString(segment, CODEC.byteSize()));
        assertEquals("segment", assertThrows(NullPointerException.class,
                () -> CODEC.field("id").getLong(null, 0)).getMessage());
        assertEquals("segment", assertThrows(NullPointerException.class,
                () -> CODEC.field("levels").setInt(null, 0, 1, 1)).getMessage());
        assertEquals("segment", assertThrows(NullPointerException.class,
                () -> CODEC.field("symbol").stringEquals(null, 0, "x")).getMessage());
        assertEquals("target", assertThrows(NullPointerException.class,
                () -> CODEC.encode(CodecRecords.javaOrder(), null, 0)).getMessage());
        assertEquals("source", assertThrows(NullPointerException.class, () -> CODEC.decode(null, 0)).getMessage());
        assertEquals(CodecRecords.javaOrder(), CODEC.decode(segment), "nothing was written by a refused call");
    }

    @Test
    void shouldCompareAndMeasureStringsWithoutDecodingThem() {
        RecordField symbol = CODEC.field("symbol");
        MemorySegment segment = MemorySegment.ofArray(new byte[(int) CODEC.byteSize()]);
        for (String text : List.of("", "A", "Gr\u00fc\u00dfe \u20ac", "ABCDEFGHIJKLM", "\uD83D\uDE00 emoji!!")) {
            symbol.setString(segment, 0, text);
            assertEquals(text, symbol.getString(segment, 0));
            assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, symbol.stringLength(segment, 0));
            assertTrue(symbol.stringEquals(segment, 0, text), text);
            assertTrue(symbol.stringEquals(segment, 0, new StringBuilder(text)), "any CharSequence");
            assertFalse(symbol.stringEquals(segment, 0, text + "x"), "longer");
            if (!text.isEmpty()) {
                assertFalse(symbol.stringEquals(segment, 0, text.substring(0, text.length() - 1)), "shorter");
                assertFalse(symbol.stringEquals(segment, 0, "Z" + text.substring(1)), "differs");
            }
        }
        symbol.setString(segment, 0, "Gr\u00fc\u00dfe");
        assertFalse(symbol.stringEquals(segment, 0, "Gr\u00fc\u00dfE"));
        assertFalse(symbol.stringEquals(segment, 0, "Gr\u00fc\u00df\u00e9"), "a 2-byte char where a 1-byte one is");
        assertFalse(symbol.stringEquals(segment, 0, "Gr\u00fc\u00dfe\u0000"), "a NUL is never held");
        assertFalse(symbol.stringEquals(segment, 0, "ABCDEFGHIJKLMN"), "longer than the field");
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> symbol.setString(segment, 0, "ABCDEFGHIJKLMN"));
        assertEquals("component 'symbol' of " + Order.class.getName() + ": length=14 bytes of UTF-8 exceeds @MaxLength(13)",
                tooLong.getMessage());
        assertEquals("Gr\u00fc\u00dfe", symbol.getString(segment, 0), "a refused string writes nothing");
        NullPointerException npe = assertThrows(NullPointerException.class, () -> symbol.setString(segment, 0, null));
        assertEquals("value", npe.getMessage());
        assertEquals("value", assertThrows(NullPointerException.class,
                () -> symbol.stringEquals(segment, 0, null)).getMessage());
    }
}
