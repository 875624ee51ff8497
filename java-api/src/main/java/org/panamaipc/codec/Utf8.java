package org.panamaipc.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 straight into and out of a segment, allocating nothing except for a decoded
 * {@code String}: the plain form of {@link Codec#utf8()} and the NUL-padded fields of a
 * {@link RecordCodec}. An unpaired surrogate is written as {@code '?'}, as
 * {@link String#getBytes(java.nio.charset.Charset)} writes it; malformed input decodes to U+FFFD.
 */
final class Utf8 {

    /** Zeros to copy from when padding a field. */
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[256]);

    private Utf8() {
    }

    /**
     * Writes {@code value} from {@code offset} on, in at most {@code room} bytes.
     *
     * @return the number of bytes written; or, if the value needs more than {@code room}, minus the
     *         number it needs (the bytes in the room may have changed)
     */
    static long write(String value, MemorySegment target, long offset, long room) {
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

    /**
     * Writes {@code value} into the {@code max}-byte field at {@code offset}, and zeros after it to
     * the end of the field.
     *
     * @param field the field, named by the messages of the exceptions (described only then)
     * @throws NullPointerException     if {@code value} is null
     * @throws IllegalArgumentException if the value needs more than {@code max} bytes, or holds a
     *                                  NUL, which the field could not give back; nothing is written
     */
    static void writePadded(String value, MemorySegment target, long offset, int max, Member field) {
        if (value == null) {
            throw new NullPointerException(field.describe() + " is null");
        }
        int nul = value.indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException(field.describe() + ": the string holds a NUL at index=" + nul
                    + ", which a NUL-padded field cannot give back");
        }
        // at most 3 bytes a char: count only a string that might not fit, so that a refused one writes nothing
        if ((long) value.length() * 3 > max) {
            long needed = remainingBytes(value, 0);
            if (needed > max) {
                throw new IllegalArgumentException(field.describe() + ": length=" + needed
                        + " bytes of UTF-8 exceeds @MaxLength(" + max + ")");
            }
        }
        long written = write(value, target, offset, max);
        long position = offset + written;
        long zeros = max - written;
        while (zeros > 0) {
            long chunk = Math.min(zeros, ZEROS.byteSize());
            MemorySegment.copy(ZEROS, 0, target, position, chunk);
            position += chunk;
            zeros -= chunk;
        }
    }

    /** {@return the number of bytes before the first NUL of the {@code max}-byte field at {@code offset}, or {@code max}} */
    static int paddedLength(MemorySegment source, long offset, int max) {
        for (int i = 0; i < max; i++) {
            if (source.get(ValueLayout.JAVA_BYTE, offset + i) == 0) {
                return i;
            }
        }
        return max;
    }

    /** {@return the string of the {@code max}-byte NUL-padded field at {@code offset}} */
    static String readPadded(MemorySegment source, long offset, int max) {
        int length = paddedLength(source, offset, max);
        byte[] bytes = new byte[length];
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * {@return whether the {@code max}-byte NUL-padded field at {@code offset} holds the UTF-8 of
     * {@code value}} Compares as it goes, allocating nothing.
     */
    static boolean paddedEquals(MemorySegment source, long offset, int max, CharSequence value) {
        long position = 0;
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
            if (c == 0 || position + bytes > max) {
                return false;
            }
            for (int k = bytes - 1; k >= 0; k--) {
                int expected = switch (bytes) {
                    case 1 -> c;
                    case 2 -> k == 1 ? 0xc0 | c >> 6 : 0x80 | c & 0x3f;
                    case 3 -> k == 2 ? 0xe0 | c >> 12 : 0x80 | c >> 6 * k & 0x3f;
                    default -> k == 3 ? 0xf0 | c >> 18 : 0x80 | c >> 6 * k & 0x3f;
                };
                if (source.get(ValueLayout.JAVA_BYTE, offset + position + (bytes - 1 - k)) != (byte) expected) {
                    return false;
                }
            }
            position += bytes;
        }
        return position == max || source.get(ValueLayout.JAVA_BYTE, offset + position) == 0;
    }
}
