package org.panamaipc.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

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
        long room = target.byteSize() - offset;
        long position = offset;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            int c = value.charAt(i);
            int bytes;
            if (c < 0x80) {
                bytes = 1;
            } else if (c < 0x800) {
                bytes = 2;
            } else if (Character.isHighSurrogate((char) c) && i + 1 < length
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                c = Character.toCodePoint((char) c, value.charAt(++i));
                bytes = 4;
            } else if (Character.isSurrogate((char) c)) {
                c = '?';
                bytes = 1;
            } else {
                bytes = 3;
            }
            if (position - offset + bytes > room) {
                return -(position - offset + bytes + remainingBytes(value, i + 1));
            }
            switch (bytes) {
                case 1 -> target.set(ValueLayout.JAVA_BYTE, position, (byte) c);
                case 2 -> {
                    target.set(ValueLayout.JAVA_BYTE, position, (byte) (0xc0 | c >> 6));
                    target.set(ValueLayout.JAVA_BYTE, position + 1, (byte) (0x80 | c & 0x3f));
                }
                case 3 -> {
                    target.set(ValueLayout.JAVA_BYTE, position, (byte) (0xe0 | c >> 12));
                    target.set(ValueLayout.JAVA_BYTE, position + 1, (byte) (0x80 | c >> 6 & 0x3f));
                    target.set(ValueLayout.JAVA_BYTE, position + 2, (byte) (0x80 | c & 0x3f));
                }
                default -> {
                    target.set(ValueLayout.JAVA_BYTE, position, (byte) (0xf0 | c >> 18));
                    target.set(ValueLayout.JAVA_BYTE, position + 1, (byte) (0x80 | c >> 12 & 0x3f));
                    target.set(ValueLayout.JAVA_BYTE, position + 2, (byte) (0x80 | c >> 6 & 0x3f));
                    target.set(ValueLayout.JAVA_BYTE, position + 3, (byte) (0x80 | c & 0x3f));
                }
            }
            position += bytes;
        }
        return position - offset;
    }

    /** {@return the UTF-8 length of {@code value} from char {@code from} on} */
    static long remainingBytes(String value, int from) {
        long total = 0;
        int length = value.length();
        for (int i = from; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                total += 1;
            } else if (c < 0x800) {
                total += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                total += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                total += 1;
            } else {
                total += 3;
            }
        }
        return total;
    }

    @Override
    public String decode(MemorySegment source) {
        return new String(source.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Codec.utf8()";
    }
}
