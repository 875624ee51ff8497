package org.panamaipc.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class CodecTest {

    /** Every primitive type, in an order that needs padding. */
    record Everything(byte b, long l, boolean z, short s, char c, int i, float f, double d) {
    }

    record Tick(long instrument, double price, int quantity, boolean buy) {
    }

    record Empty() {
    }

    record Nested(int a, Tick tick) {
    }

    record Listed(int a, List<String> tags) {
    }

    private static <T> T roundTrip(Codec<T> codec, T value, MemorySegment segment, long offset) {
        long written = codec.encode(value, segment, offset);
        assertTrue(written >= 0, "encode returned " + written);
        return codec.decode(segment.asSlice(offset, written));
    }

    @Test
    void shouldRoundTripBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(16);
            byte[] value = {1, 2, 3, (byte) 0xff};
            assertArrayEquals(value, roundTrip(Codec.bytes(), value, segment, 5));
            assertArrayEquals(new byte[0], roundTrip(Codec.bytes(), new byte[0], segment, 16));
            assertEquals(-17, Codec.bytes().encode(new byte[17], segment, 0), "too long: minus what it needs");
            assertEquals(OptionalLong.empty(), Codec.bytes().fixedSize());
        }
    }

    @Test
    void shouldRoundTripUtf8TextIncludingEveryEncodedLength() {
        Codec<String> utf8 = Codec.utf8();
        MemorySegment heap = MemorySegment.ofArray(new byte[64]);
        for (String text : List.of("", "plain ascii", "é and ß", "€ and 中文", "emoji \uD83D\uDE00 too", "nul\u0000inside")) {
            assertEquals(text, roundTrip(utf8, text, heap, 3), text);
            long written = utf8.encode(text, heap, 0);
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), heap.asSlice(0, written).toArray(ValueLayout.JAVA_BYTE));
        }
        // an unpaired surrogate is written as '?', as String.getBytes does
        String broken = "a\uD800b";
        long written = utf8.encode(broken, heap, 0);
        assertArrayEquals(broken.getBytes(StandardCharsets.UTF_8), heap.asSlice(0, written).toArray(ValueLayout.JAVA_BYTE));
        // too long: the whole length it needs, counted past the point where it stopped
        String long4 = "\uD83D\uDE00".repeat(5); // 20 bytes
        assertEquals(-20, utf8.encode(long4, heap.asSlice(0, 10), 0));
        assertEquals(-20, utf8.encode(long4, heap, 50));
        assertEquals(20, utf8.encode(long4, heap, 44));
    }

    @Test
    void shouldLayOutARecordAsTheCCompilerWould() {
        RecordCodec<Everything> codec = Codec.ofRecord(Everything.class);
        // b@0, pad 7, l@8, z@16, pad 1, s@18, c@20, pad 2, i@24, f@28, d@32 -> 40
        assertEquals(40, codec.byteSize());
        assertEquals(0, codec.offsetOf("b"));
        assertEquals(8, codec.offsetOf("l"));
        assertEquals(16, codec.offsetOf("z"));
        assertEquals(18, codec.offsetOf("s"));
        assertEquals(20, codec.offsetOf("c"));
        assertEquals(24, codec.offsetOf("i"));
        assertEquals(28, codec.offsetOf("f"));
        assertEquals(32, codec.offsetOf("d"));
        assertEquals(8, codec.layout().byteAlignment());
        assertEquals(40, codec.layout().byteSize());
        assertEquals(24, codec.layout().byteOffset(MemoryLayout.PathElement.groupElement("i")));
        assertEquals(OptionalLong.of(40), codec.fixedSize());
        assertThrows(IllegalArgumentException.class, () -> codec.offsetOf("nope"));

        RecordCodec<Tick> tick = Codec.ofRecord(Tick.class);
        assertEquals(24, tick.byteSize());
        assertEquals("""
                struct Tick {
                    int64_t instrument; // offset 0
                    double price; // offset 8
                    int32_t quantity; // offset 16
                    bool buy; // offset 20
                    uint8_t _pad0[3];
                };
                """, tick.cDeclaration());
        assertTrue(Codec.ofRecord(Tick.class) == tick, "derived once per class");
    }

    @Test
    void shouldRoundTripRecordsAtAnyOffsetInNativeAndHeapMemory() {
        RecordCodec<Everything> codec = Codec.ofRecord(Everything.class);
        Everything value = new Everything((byte) -5, Long.MIN_VALUE + 7, true, (short) -300, '\u20ac', 123456789,
                -1.5f, Math.PI);
        Everything other = new Everything((byte) 0, 0, false, (short) 0, 'a', 0, Float.NaN, Double.NEGATIVE_INFINITY);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(100);
            assertEquals(value, roundTrip(codec, value, segment, 0));
            assertEquals(value, roundTrip(codec, value, segment, 3), "unaligned");
            assertEquals(other, roundTrip(codec, other, segment, 41));
            assertEquals(value, roundTrip(codec, value, MemorySegment.ofArray(new byte[45]), 5), "heap");
            // the fields are where the layout says, in native byte order
            codec.encode(value, segment, 0);
            assertEquals(123456789, segment.get(ValueLayout.JAVA_INT, 24));
            assertEquals(Math.PI, segment.get(ValueLayout.JAVA_DOUBLE, 32));
            assertEquals(1, segment.get(ValueLayout.JAVA_BYTE, 16));
            assertEquals(-40, codec.encode(value, segment, 61), "too small: minus the record's size");
        }
    }

    @Test
    void shouldRefuseMalformedMessagesAndUnsupportedRecords() {
        RecordCodec<Tick> codec = Codec.ofRecord(Tick.class);
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> codec.decode(MemorySegment.ofArray(new byte[23])));
        assertTrue(e.getMessage().contains("its length 23 differs from the record's size 24"), e.getMessage());
        IllegalArgumentException listed = assertThrows(IllegalArgumentException.class,
                () -> Codec.ofRecord(Listed.class));
        assertTrue(listed.getMessage().contains("component 'tags' of " + Listed.class.getName()), listed.getMessage());
        Nested nested = new Nested(-1, new Tick(1, 2.5, 3, true));
        assertEquals(nested, roundTrip(Codec.ofRecord(Nested.class), nested, MemorySegment.ofArray(new byte[32]), 0),
                "a nested record of primitives is a nested struct");
        assertThrows(NullPointerException.class, () -> codec.encode(null, MemorySegment.ofArray(new byte[24]), 0));
        RecordCodec<Empty> empty = Codec.ofRecord(Empty.class);
        assertEquals(0, empty.byteSize());
        assertEquals(new Empty(), empty.decode(MemorySegment.ofArray(new byte[0])));
    }

    @Test
    void shouldNameTheNullParameter() {
        // docs/conventions.md: a NullPointerException naming the parameter (the byte and UTF-8 codecs
        // gave the JVM's "Cannot invoke ... because "source" is null", offsetOf named "path")
        MemorySegment target = MemorySegment.ofArray(new byte[8]);
        for (Codec<?> codec : List.<Codec<?>>of(Codec.bytes(), Codec.utf8())) {
            @SuppressWarnings("unchecked")
            Codec<Object> c = (Codec<Object>) codec;
            Object value = codec == Codec.utf8() ? "x" : new byte[1];
            assertEquals("value", assertThrows(NullPointerException.class, () -> c.encode(null, target, 0)).getMessage(), codec.toString());
            assertEquals("target", assertThrows(NullPointerException.class, () -> c.encode(value, null, 0)).getMessage(), codec.toString());
            assertEquals("source", assertThrows(NullPointerException.class, () -> c.decode(null)).getMessage(), codec.toString());
        }
        assertEquals("name", assertThrows(NullPointerException.class, () -> Codec.ofRecord(Tick.class).offsetOf(null)).getMessage());
    }

    @Test
    void shouldNameTheNullValueWhoseSizeIsAsked() {
        // docs/conventions.md: the byte and UTF-8 codecs gave the JVM's "Cannot read the array
        // length because "value" is null", a record codec returned its size for null
        for (Codec<?> codec : List.<Codec<?>>of(Codec.bytes(), Codec.utf8(), Codec.ofRecord(Tick.class))) {
            @SuppressWarnings("unchecked")
            Codec<Object> c = (Codec<Object>) codec;
            assertEquals("value", assertThrows(NullPointerException.class, () -> c.encodedSize(null)).getMessage(), codec.toString());
        }
    }

    @Test
    void shouldUseAGivenLookup() {
        RecordCodec<Tick> codec = RecordCodec.of(MethodHandles.lookup(), Tick.class);
        Tick tick = new Tick(1, 2.5, 3, true);
        assertEquals(tick, roundTrip(codec, tick, MemorySegment.ofArray(new byte[24]), 0));
    }
}
