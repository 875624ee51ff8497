package org.panamaipc.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Strings as UTF-8, without a terminator or a length prefix: the message's length is the string's.
 * Encoding writes byte by byte into the target, allocating nothing; an unpaired surrogate becomes
 * {@code '?'}, as {@link String#getBytes(java.nio.charset.Charset)} does. Decoding replaces
 * malformed input with U+FFFD. See {@link Codec#utf8()}.
 */
final class Utf8Codec implements Codec<String> {

    static final Utf8Codec INSTANCE = new Utf8Codec();

    private Utf8Codec() {
    }

    @Override
    public long encode(String value, MemorySegment target, long offset) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(target, "target");
        return Utf8.write(value, target, offset, target.byteSize() - offset);
    }

    @Override
    public long encodedSize(String value) {
        Objects.requireNonNull(value, "value");
        return Utf8.remainingBytes(value, 0);
    }

    @Override
    public String decode(MemorySegment source) {
        Objects.requireNonNull(source, "source");
        return new String(source.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Codec.utf8()";
    }
}
