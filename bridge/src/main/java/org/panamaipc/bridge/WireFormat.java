package org.panamaipc.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.panamaipc.message.Header;

import java.nio.ByteOrder;

/**
 * The layout of what crosses the wire: one Aeron message (never fragmented) is a frame of one or
 * more whole messages, each the sender's message header and then the value's encoding as the codec
 * wrote it, byte for byte. A forwarding bridge packs what it takes from its stand-in into as few
 * frames as fit Aeron's payload, and writes each header in as few bytes as say it exactly: a field
 * that the entry before it in the same frame determines is left out and a flag says so. In a
 * stream from one sender of one type, sent less than 2.1 s apart, that leaves 7 bytes of header a
 * message (the length, the flags and the send time's distance from the one before), so that 34
 * messages of 32 bytes share one datagram of Aeron's default MTU where a frame of Aeron's own per
 * message fits 22; a message whose sender differs from the one before it takes 27 or 31. A
 * bridge refuses a mailbox whose longest value, with the frame's header and an entry's longest,
 * does not fit one Aeron frame ({@link Bridge#maxValueLength()}).
 *
 * <pre>
 *  a frame:
 *   0  magic 'PIB3' (a frame, layout 3)              int
 *   4  count: messages in this frame (>= 1)          int
 *   8  entry 1, entry 2, ... one after the other, unpadded
 *
 *  an entry:
 *   0  value length                                  unsigned short
 *   2  flags                                         byte: SAME_TYPE 1, NEXT_OF_SENDER 2, TIME_DELTA 4
 *   3  type                                          int, unless SAME_TYPE
 *      source (the sender's endpoint id)             int  \
 *      source pid (on its own host)                  int   } unless NEXT_OF_SENDER
 *      sequence (1, 2, 3, ... per source)            long /
 *      send time (CLOCK_MONOTONIC ns of its host)    long, or with TIME_DELTA an int:
 *                                                    the distance from the entry before's
 *      value: the codec's encoding, length bytes
 * </pre>
 *
 * <ul>
 * <li>{@code SAME_TYPE}: the type is the entry before's.</li>
 * <li>{@code NEXT_OF_SENDER}: the source and its pid are the entry before's, and the sequence is
 *     one more than its.</li>
 * <li>{@code TIME_DELTA}: the send time is the entry before's plus a signed 32-bit distance.</li>
 * </ul>
 *
 * The first entry of a frame has no flags; a frame stands alone, so one lost or refused never
 * changes how another reads. Within a frame a field read wrong would carry into the entries that
 * refer back to it; Aeron has no checksum of its own and relies on UDP's for that. Both hosts must
 * run the same layout: a frame of another (layout 2's magic is {@code PIB2}) is refused whole.
 *
 * <p>All fields are little-endian. The header is the one the forwarding bridge read from its local
 * mailbox ({@link Header}), and the receiving bridge delivers each message with it
 * ({@link org.panamaipc.message.ForwardingSender}), so the receiver sees who sent it; the reply
 * address is not carried, since it names an entry of a registry on the sender's host, nor is a
 * queue's priority.
 */
final class WireFormat {

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** "PIB3" read as a little-endian int. */
    static final int MAGIC = 'P' | 'I' << 8 | 'B' << 16 | '3' << 24;

    static final int MAGIC_OFFSET = 0;
    static final int COUNT_OFFSET = 4;
    /** Bytes of a frame's header: where its first entry starts. */
    static final int FRAME_HEADER_LENGTH = 8;

    static final int SAME_TYPE = 1;
    static final int NEXT_OF_SENDER = 2;
    static final int TIME_DELTA = 4;
    private static final int KNOWN_FLAGS = SAME_TYPE | NEXT_OF_SENDER | TIME_DELTA;

    /** Bytes of an entry's header at most: every field written whole. */
    static final int MAX_ENTRY_HEADER_LENGTH = 2 + 1 + 4 + 4 + 4 + 8 + 8;
    /** Bytes of an entry's header at least: the length, the flags and a distance in time. */
    static final int MIN_ENTRY_HEADER_LENGTH = 2 + 1 + 4;

    /** What a frame of one message adds to its value at most: the longest value is Aeron's payload less this. */
    static final int HEADER_LENGTH = FRAME_HEADER_LENGTH + MAX_ENTRY_HEADER_LENGTH;

    private WireFormat() {
    }

    /** Writes the header of a frame at {@code offset}, with no entries yet. */
    static void putFrameHeader(MutableDirectBuffer buffer, int offset) {
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC, ORDER);
        buffer.putInt(offset + COUNT_OFFSET, 0, ORDER);
    }

    static int count(DirectBuffer buffer, int frame) {
        return buffer.getInt(frame + COUNT_OFFSET, ORDER);
    }

    /** Counts one more entry in the frame at {@code frame}. */
    static void addEntry(MutableDirectBuffer buffer, int frame) {
        buffer.putInt(frame + COUNT_OFFSET, count(buffer, frame) + 1, ORDER);
    }

    /**
     * {@return how many messages the frame of {@code frameLength} bytes at {@code offset} holds, or
     * -1 if it is not a well-formed frame of a bridge (wrong magic, no entries, unknown flags, a first
     * entry that refers to one before it, an entry that runs past the frame, or bytes left after the
     * last)} Checked whole, before anything of it is delivered.
     */
    static int validate(DirectBuffer buffer, int offset, int frameLength) {
        if (frameLength < FRAME_HEADER_LENGTH + MIN_ENTRY_HEADER_LENGTH
                || buffer.getInt(offset + MAGIC_OFFSET, ORDER) != MAGIC) {
            return -1;
        }
        int count = count(buffer, offset);
        if (count < 1) {
            return -1;
        }
        int end = offset + frameLength;
        int at = offset + FRAME_HEADER_LENGTH;
        for (int i = 0; i < count; i++) {
            if (end - at < MIN_ENTRY_HEADER_LENGTH) {
                return -1;
            }
            int flags = buffer.getByte(at + 2) & 0xFF;
            if ((flags & ~KNOWN_FLAGS) != 0 || (i == 0 && flags != 0)) {
                return -1;
            }
            int header = headerLength(flags);
            int length = buffer.getShort(at, ORDER) & 0xFFFF;
            if (header > end - at || length > end - at - header) {
                return -1;
            }
            at += header + length;
        }
        return at == end ? count : -1;
    }

    /** {@return the bytes of an entry's header with these flags} */
    static int headerLength(int flags) {
        return MAX_ENTRY_HEADER_LENGTH
                - ((flags & SAME_TYPE) != 0 ? 4 : 0)
                - ((flags & NEXT_OF_SENDER) != 0 ? 16 : 0)
                - ((flags & TIME_DELTA) != 0 ? 4 : 0);
    }

    /**
     * Writes the entries of one frame at a time, each header against the entry before it in the
     * same frame. {@link #startFrame()} forgets that entry; {@code flags} then {@code put} write one.
     */
    static final class Packer {
        private boolean previous;
        private int type;
        private int source;
        private int sourcePid;
        private long sequence;
        private long sendTime;

        /** The next entry is a frame's first: it is written whole. */
        void startFrame() {
            previous = false;
        }

        /** {@return the flags of an entry with this header after the last one put} */
        int flags(int type, int source, int sourcePid, long sequence, long sendTime) {
            if (!previous) {
                return 0;
            }
            long distance = sendTime - this.sendTime;
            return (type == this.type ? SAME_TYPE : 0)
                    | (source == this.source && sourcePid == this.sourcePid && sequence == this.sequence + 1 ? NEXT_OF_SENDER : 0)
                    | ((int) distance == distance ? TIME_DELTA : 0);
        }

        /** {@return the flags of {@code header}'s entry after the last one put} */
        int flags(Header header) {
            return flags(header.type(), header.source(), header.sourcePid(), header.sequence(), header.sendTime());
        }

        /**
         * Writes the header of an entry of a {@code length}-byte value at {@code offset}, with the
         * {@code flags} that {@code flags} gave for it. {@return where its value goes}
         */
        int put(MutableDirectBuffer buffer, int offset, int flags, int length,
                int type, int source, int sourcePid, long sequence, long sendTime) {
            buffer.putShort(offset, (short) length, ORDER);
            buffer.putByte(offset + 2, (byte) flags);
            int at = offset + 3;
            if ((flags & SAME_TYPE) == 0) {
                buffer.putInt(at, type, ORDER);
                at += 4;
            }
            if ((flags & NEXT_OF_SENDER) == 0) {
                buffer.putInt(at, source, ORDER);
                buffer.putInt(at + 4, sourcePid, ORDER);
                buffer.putLong(at + 8, sequence, ORDER);
                at += 16;
            }
            if ((flags & TIME_DELTA) != 0) {
                buffer.putInt(at, (int) (sendTime - this.sendTime), ORDER);
                at += 4;
            } else {
                buffer.putLong(at, sendTime, ORDER);
                at += 8;
            }
            previous = true;
            this.type = type;
            this.source = source;
            this.sourcePid = sourcePid;
            this.sequence = sequence;
            this.sendTime = sendTime;
            return at;
        }

        /** {@code put} of {@code header}'s fields. */
        int put(MutableDirectBuffer buffer, int offset, int flags, int length, Header header) {
            return put(buffer, offset, flags, length,
                    header.type(), header.source(), header.sourcePid(), header.sequence(), header.sendTime());
        }
    }

    /**
     * Reads the entries of a frame that {@link #validate} accepted, one after the other: after
     * {@link #next}, the fields are the entry's, its value {@link #length} bytes at {@link #value}.
     */
    static final class Unpacker {
        private DirectBuffer buffer;
        private int at;
        int length;
        int type;
        int source;
        int sourcePid;
        long sequence;
        long sendTime;
        int value;

        /** Starts at the first entry of the frame at {@code frame}. */
        void startFrame(DirectBuffer buffer, int frame) {
            this.buffer = buffer;
            this.at = frame + FRAME_HEADER_LENGTH;
        }

        /** Reads the next entry. */
        void next() {
            length = buffer.getShort(at, ORDER) & 0xFFFF;
            int flags = buffer.getByte(at + 2);
            int field = at + 3;
            if ((flags & SAME_TYPE) == 0) {
                type = buffer.getInt(field, ORDER);
                field += 4;
            }
            if ((flags & NEXT_OF_SENDER) == 0) {
                source = buffer.getInt(field, ORDER);
                sourcePid = buffer.getInt(field + 4, ORDER);
                sequence = buffer.getLong(field + 8, ORDER);
                field += 16;
            } else {
                sequence++;
            }
            if ((flags & TIME_DELTA) != 0) {
                sendTime += buffer.getInt(field, ORDER);
                field += 4;
            } else {
                sendTime = buffer.getLong(field, ORDER);
                field += 8;
            }
            value = field;
            at = field + length;
        }
    }
}
