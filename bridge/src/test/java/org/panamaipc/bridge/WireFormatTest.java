package org.panamaipc.bridge;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wire format on its own: every header a frame carries reads back exactly, whether the format
 * wrote it short or whole, and a frame that is not one a bridge wrote is refused whole rather than
 * read past its end. (That frames cross between two JVMs is {@link BridgeAcrossJvmsTest}'s.)
 */
class WireFormatTest {

    record Entry(int type, int source, int pid, long sequence, long sendTime, byte[] value) {
    }

    /** Packs {@code entries} into one frame at {@code offset}, as the forwarder does. {@return its length} */
    private static int pack(UnsafeBuffer buffer, int offset, List<Entry> entries) {
        WireFormat.Packer packer = new WireFormat.Packer();
        WireFormat.putFrameHeader(buffer, offset);
        packer.startFrame();
        int at = offset + WireFormat.FRAME_HEADER_LENGTH;
        for (Entry e : entries) {
            int flags = packer.flags(e.type, e.source, e.pid, e.sequence, e.sendTime);
            int value = packer.put(buffer, at, flags, e.value.length, e.type, e.source, e.pid, e.sequence, e.sendTime);
            buffer.putBytes(value, e.value);
            WireFormat.addEntry(buffer, offset);
            at = value + e.value.length;
        }
        return at - offset;
    }

    private static List<Entry> unpack(UnsafeBuffer buffer, int offset, int length) {
        int count = WireFormat.validate(buffer, offset, length);
        assertTrue(count > 0, "a frame the packer wrote is refused");
        WireFormat.Unpacker unpacker = new WireFormat.Unpacker();
        unpacker.startFrame(buffer, offset);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            unpacker.next();
            byte[] value = new byte[unpacker.length];
            buffer.getBytes(unpacker.value, value);
            entries.add(new Entry(unpacker.type, unpacker.source, unpacker.sourcePid, unpacker.sequence,
                    unpacker.sendTime, value));
        }
        return entries;
    }

    private static UnsafeBuffer buffer(int capacity) {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
    }

    @Test
    void shouldReadBackEveryHeaderExactlyWhetherWrittenShortOrWhole() {
        byte[] v = {1, 2, 3};
        List<Entry> entries = List.of(
                new Entry(7, 3, 100, 1, 1_000, v),
                new Entry(7, 3, 100, 2, 1_050, v),                        // next of its sender: 7 bytes
                new Entry(7, 4, 100, 1, 1_040, new byte[0]),               // another sender, earlier clock
                new Entry(8, 3, 100, 3, 1_060, v),                         // back to the first: not next of the last
                new Entry(8, 3, 100, 5, 1_060 + (1L << 31), v),            // a gap in sequence, a distance past an int
                new Entry(8, 3, 101, 6, Long.MIN_VALUE, v),                // same source, another pid
                new Entry(-1, -1, -1, Long.MAX_VALUE, Long.MAX_VALUE, new byte[1000]),
                new Entry(-1, -1, -1, Long.MIN_VALUE, Long.MAX_VALUE - 5, v)); // the sequence wraps
        UnsafeBuffer buffer = buffer(4096);
        int length = pack(buffer, 16, entries);
        List<Entry> read = unpack(buffer, 16, length);
        assertEquals(entries.size(), read.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry want = entries.get(i);
            Entry got = read.get(i);
            assertEquals(List.of(want.type, want.source, want.pid, want.sequence, want.sendTime),
                    List.of(got.type, got.source, got.pid, got.sequence, got.sendTime), "entry " + i);
            assertEquals(java.util.Arrays.toString(want.value), java.util.Arrays.toString(got.value), "entry " + i);
        }
    }

    @Test
    void shouldWriteAStreamFromOneSenderInSevenBytesOfHeaderAMessage() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(new Entry(1, 9, 4242, 100 + i, 5_000_000_000L + 300L * i, new byte[32]));
        }
        int length = pack(buffer(1024), 0, entries);
        assertEquals(WireFormat.FRAME_HEADER_LENGTH + WireFormat.MAX_ENTRY_HEADER_LENGTH + 32
                + 9 * (WireFormat.MIN_ENTRY_HEADER_LENGTH + 32), length);
    }

    @Test
    void shouldRefuseFramesABridgeDidNotWrite() {
        List<Entry> entries = List.of(new Entry(1, 2, 3, 4, 5, new byte[8]), new Entry(1, 2, 3, 5, 6, new byte[8]));
        UnsafeBuffer buffer = buffer(256);
        int length = pack(buffer, 0, entries);
        assertEquals(2, WireFormat.validate(buffer, 0, length));

        assertEquals(-1, WireFormat.validate(buffer, 0, length - 1), "a frame cut short");
        assertEquals(-1, WireFormat.validate(buffer, 0, length + 1), "a byte after the last entry");
        assertEquals(-1, WireFormat.validate(buffer, 0, 3), "shorter than a frame's header");

        int first = WireFormat.FRAME_HEADER_LENGTH;
        int second = first + WireFormat.MAX_ENTRY_HEADER_LENGTH + 8;
        mutate(buffer, 0, length, WireFormat.MAGIC_OFFSET, (byte) 'Q', "wrong magic");
        mutate(buffer, 0, length, WireFormat.COUNT_OFFSET, (byte) 0, "no entries");
        mutate(buffer, 0, length, WireFormat.COUNT_OFFSET, (byte) 3, "more entries than there are");
        mutate(buffer, 0, length, first + 2, (byte) WireFormat.SAME_TYPE, "a first entry that refers to one before it");
        mutate(buffer, 0, length, second + 2, (byte) 0x8F, "an unknown flag");
        mutate(buffer, 0, length, second, (byte) 9, "a value that runs past the frame");
        mutate(buffer, 0, length, second + 1, (byte) 0xFF, "a length of more than 32 KiB");
    }

    private static void mutate(UnsafeBuffer buffer, int offset, int length, int at, byte value, String what) {
        byte was = buffer.getByte(offset + at);
        buffer.putByte(offset + at, value);
        try {
            assertEquals(-1, WireFormat.validate(buffer, offset, length), what);
        } finally {
            buffer.putByte(offset + at, was);
        }
    }

    /**
     * Random frames and random corruptions of real ones: {@code validate} refuses or accepts
     * without throwing, and every entry of a frame it accepts lies inside the frame, which the
     * buffer's bounds check would otherwise report.
     */
    @Test
    void shouldNeverReadPastAFrameWhateverItsBytes() {
        SplittableRandom random = new SplittableRandom(17);
        UnsafeBuffer pristine = buffer(512);
        int accepted = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            int frameLength;
            UnsafeBuffer frame = buffer(512);
            if (trial % 2 == 0) {
                List<Entry> entries = new ArrayList<>();
                int n = 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    entries.add(new Entry(random.nextInt(3), random.nextInt(2), 7, i + random.nextInt(2),
                            random.nextLong(1L << 33), new byte[random.nextInt(40)]));
                }
                frameLength = pack(pristine, 0, entries);
                frame.putBytes(0, pristine, 0, frameLength);
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    frame.putByte(random.nextInt(frameLength), (byte) random.nextInt(256));
                }
            } else {
                frameLength = random.nextInt(300);
                for (int i = 0; i < frameLength; i++) {
                    frame.putByte(i, (byte) random.nextInt(256));
                }
                frame.putInt(0, WireFormat.MAGIC, WireFormat.ORDER);
                frame.putInt(4, 1 + random.nextInt(4), WireFormat.ORDER);
            }
            // a view of exactly the frame: a read past it throws IndexOutOfBoundsException
            UnsafeBuffer exact = new UnsafeBuffer(frame, 0, frameLength);
            int count = WireFormat.validate(exact, 0, frameLength);
            if (count > 0) {
                accepted++;
                WireFormat.Unpacker unpacker = new WireFormat.Unpacker();
                unpacker.startFrame(exact, 0);
                for (int i = 0; i < count; i++) {
                    unpacker.next();
                    assertTrue(unpacker.value + unpacker.length <= frameLength, "trial " + trial);
                }
            }
        }
        // most corruptions of a real frame fall in its values and leave it well formed: the walk ran on those
        assertTrue(accepted > 2_000, accepted + " frames accepted");
    }
}
