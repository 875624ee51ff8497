package org.panamaipc.children;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * Deterministic test messages that carry their own proof: the payload of message {@code sequence}
 * of producer {@code producer} has a length and bytes derived from both, starts with the sequence
 * number and the producer, and ends with a CRC32C of everything before it. A receiver can check a
 * message without knowing anything but what it carries.
 */
public final class Payloads {

    /** Messages shorter than this carry pattern bytes only. */
    public static final int FRAMED = 16;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private Payloads() {
    }

    /** {@return the length of message {@code sequence} of {@code producer}: 1 to {@code maxLength}} */
    public static int length(int producer, long sequence, int maxLength) {
        return 1 + (int) Math.floorMod(mix(producer * 0x1_0000_0001L + sequence), (long) maxLength);
    }

    static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /** Writes message {@code sequence} of {@code producer}, {@code length} bytes, at {@code offset}. */
    public static void write(MemorySegment buffer, long offset, int length, int producer, long sequence, CRC32C crc) {
        long x = mix(sequence * 31 + producer);
        if (length < FRAMED) {
            for (int i = 0; i < length; i++) {
                buffer.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (x >>> (8 * (i & 7))));
            }
            return;
        }
        buffer.set(LONG, offset, sequence);
        buffer.set(INT, offset + 8, producer);
        int end = length - 4;
        int i = 12;
        for (; i + 8 <= end; i += 8) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            buffer.set(LONG, offset + i, x);
        }
        for (; i < end; i++) {
            buffer.set(ValueLayout.JAVA_BYTE, offset + i, (byte) i);
        }
        crc.reset();
        crc.update(buffer.asSlice(offset, end).asByteBuffer());
        buffer.set(INT, offset + end, (int) crc.getValue());
    }

    /**
     * Checks a received message. {@return null if it is message {@code sequence} of
     * {@code producer}, intact; else what is wrong}
     */
    public static String check(MemorySegment buffer, long offset, int length, int producer, long sequence,
                               int maxLength, CRC32C crc) {
        int expectedLength = length(producer, sequence, maxLength);
        if (length != expectedLength) {
            return "producer " + producer + " message " + sequence + ": length " + length + ", expected " + expectedLength;
        }
        if (length < FRAMED) {
            long x = mix(sequence * 31 + producer);
            for (int i = 0; i < length; i++) {
                if (buffer.get(ValueLayout.JAVA_BYTE, offset + i) != (byte) (x >>> (8 * (i & 7)))) {
                    return "producer " + producer + " message " + sequence + ": byte " + i + " differs";
                }
            }
            return null;
        }
        long carried = buffer.get(LONG, offset);
        int from = buffer.get(INT, offset + 8);
        if (carried != sequence || from != producer) {
            return "expected producer " + producer + " message " + sequence + ", it says producer " + from
                    + " message " + carried;
        }
        int end = length - 4;
        crc.reset();
        crc.update(buffer.asSlice(offset, end).asByteBuffer());
        if (buffer.get(INT, offset + end) != (int) crc.getValue()) {
            return "producer " + producer + " message " + sequence + ": checksum differs (torn or corrupt)";
        }
        return null;
    }

    /** {@return the producer a framed message names, or -1 for a short one} */
    public static int producerOf(MemorySegment buffer, long offset, int length) {
        return length < FRAMED ? -1 : buffer.get(INT, offset + 8);
    }
}
