package org.panamaipc.attack.children;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * The messages of the fault-injection and soak attacks: each carries its proof. Message
 * {@code seq} of producer {@code producer} in a trial with seed {@code seed} has a length and
 * bytes derived from the three; it starts with the producer (4 bytes) and the sequence number
 * (8 bytes) and ends with a CRC32C of everything before it, so a receiver can tell a torn or
 * foreign message from an intact one knowing nothing but the trial seed.
 */
public final class Frames {

    /** The shortest message: producer, sequence, checksum. */
    public static final int MIN_LENGTH = 16;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private Frames() {
    }

    /** What a receiver learns from a message. */
    public record Frame(int producer, long seq, boolean intact) {
    }

    /** {@return the length of message {@code seq} of {@code producer}: {@link #MIN_LENGTH} to {@code maxLength}} */
    public static int length(long seed, int producer, long seq, int maxLength) {
        int span = maxLength - MIN_LENGTH + 1;
        long x = mix(seed ^ ((long) producer << 40) ^ seq);
        // mostly short messages, now and then one up to the maximum: many wrap-arounds either way
        int cap = (x & 7) == 0 ? span : Math.min(span, 256);
        return MIN_LENGTH + (int) Math.floorMod(x >>> 3, (long) cap);
    }

    /** Writes message {@code seq} of {@code producer}, {@code length} bytes, at {@code offset}. */
    public static void write(MemorySegment buffer, long offset, int length, long seed, int producer, long seq, CRC32C crc) {
        writeBody(buffer, offset, length, seed, producer, seq);
        crc.reset();
        crc.update(buffer.asSlice(offset, length - 4).asByteBuffer());
        buffer.set(INT, offset + length - 4, (int) crc.getValue());
    }

    /** Writes the first {@code upTo} bytes of message {@code seq} only, no checksum: a half-written record. */
    public static void writePart(MemorySegment buffer, long offset, int length, long seed, int producer, long seq, int upTo) {
        MemorySegment scratch = MemorySegment.ofArray(new byte[length]);
        writeBody(scratch, 0, length, seed, producer, seq);
        MemorySegment.copy(scratch, 0, buffer, offset, Math.min(upTo, length - 4));
    }

    private static void writeBody(MemorySegment buffer, long offset, int length, long seed, int producer, long seq) {
        buffer.set(INT, offset, producer);
        buffer.set(LONG, offset + 4, seq);
        long x = mix(seed ^ ((long) producer << 40) ^ seq ^ 0x5DEECE66DL);
        int end = length - 4;
        int i = 12;
        for (; i + 8 <= end; i += 8) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            buffer.set(LONG, offset + i, x);
        }
        for (; i < end; i++) {
            buffer.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (x >>> (8 * (i & 7))));
        }
    }

    /** Checks a received message of {@code length} bytes at {@code offset}. */
    public static Frame check(MemorySegment buffer, long offset, int length, long seed, int maxLength, CRC32C crc) {
        if (length < MIN_LENGTH || length > maxLength) {
            return new Frame(-1, -1, false);
        }
        int producer = buffer.get(INT, offset);
        long seq = buffer.get(LONG, offset + 4);
        crc.reset();
        crc.update(buffer.asSlice(offset, length - 4).asByteBuffer());
        boolean intact = buffer.get(INT, offset + length - 4) == (int) crc.getValue()
                && length == length(seed, producer, seq, maxLength);
        return new Frame(producer, seq, intact);
    }

    /** SplitMix64's finaliser. */
    public static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
