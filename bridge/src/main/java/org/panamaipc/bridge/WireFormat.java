package org.panamaipc.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The layout of what crosses the wire: one Aeron message (never fragmented) is a frame of one or
 * more whole messages, each the sender's message header and then the value's encoding as the codec
 * wrote it, byte for byte. A forwarding bridge packs what it takes from its stand-in in one duty
 * cycle into as few frames as fit Aeron's payload, so that a message costs a 32-byte entry header
 * rather than an Aeron frame of its own. A bridge refuses a mailbox whose longest value, with the
 * frame's and the entry's headers, does not fit one Aeron frame ({@link Bridge#maxValueLength()}).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  magic 'PIB2' (a frame, layout 2)             |  0
 *  +---------------------------------------------------------------+
 *  |                 count: messages in this frame (>= 1)          |  4
 *  +---------------------------------------------------------------+
 *  |                 entry 1, then entry 2, ... (8-byte aligned)   |  8
 *  +---------------------------------------------------------------+
 *
 *  an entry:
 *  +---------------------------------------------------------------+
 *  |                        value length                           |  0
 *  +---------------------------------------------------------------+
 *  |                             type                              |  4
 *  +---------------------------------------------------------------+
 *  |               source (the sender's endpoint id)               |  8
 *  +---------------------------------------------------------------+
 *  |                  source pid (on its own host)                 | 12
 *  +---------------------------------------------------------------+
 *  |                  sequence (1, 2, 3, ... per source)           | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |        send time (CLOCK_MONOTONIC ns of the sender's host)    | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |       value: the codec's encoding ..., padded to 8 bytes      | 32
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * All fields are little-endian. The header is the one the forwarding bridge read from its local
 * mailbox ({@link org.panamaipc.message.Header}), and the receiving bridge delivers each message
 * with it ({@link org.panamaipc.message.ForwardingSender}), so the receiver sees who sent it; the
 * reply address is not carried, since it names an entry of a registry on the sender's host, nor
 * is a queue's priority.
 */
final class WireFormat {

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** "PIB2" read as a little-endian int. */
    static final int MAGIC = 'P' | 'I' << 8 | 'B' << 16 | '2' << 24;

    static final int MAGIC_OFFSET = 0;
    static final int COUNT_OFFSET = 4;
    /** Bytes of a frame's header: where its first entry starts. */
    static final int FRAME_HEADER_LENGTH = 8;

    static final int LENGTH_OFFSET = 0;
    static final int TYPE_OFFSET = 4;
    static final int SOURCE_OFFSET = 8;
    static final int SOURCE_PID_OFFSET = 12;
    static final int SEQUENCE_OFFSET = 16;
    static final int SEND_TIME_OFFSET = 24;
    /** Bytes of an entry's header: where its value starts. */
    static final int ENTRY_HEADER_LENGTH = 32;
    static final int ENTRY_ALIGNMENT = 8;

    /** What a frame of one message adds to its value: the longest value is Aeron's payload less this. */
    static final int HEADER_LENGTH = FRAME_HEADER_LENGTH + ENTRY_HEADER_LENGTH;

    private WireFormat() {
    }

    /** {@return the bytes an entry of a {@code length}-byte value takes, padding included} */
    static int entryLength(int length) {
        return (ENTRY_HEADER_LENGTH + length + ENTRY_ALIGNMENT - 1) & -ENTRY_ALIGNMENT;
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

    /** Writes the header of an entry at {@code offset}. */
    static void putEntryHeader(MutableDirectBuffer buffer, int offset, org.panamaipc.message.Header header, int length) {
        buffer.putInt(offset + LENGTH_OFFSET, length, ORDER);
        buffer.putInt(offset + TYPE_OFFSET, header.type(), ORDER);
        buffer.putInt(offset + SOURCE_OFFSET, header.source(), ORDER);
        buffer.putInt(offset + SOURCE_PID_OFFSET, header.sourcePid(), ORDER);
        buffer.putLong(offset + SEQUENCE_OFFSET, header.sequence(), ORDER);
        buffer.putLong(offset + SEND_TIME_OFFSET, header.sendTime(), ORDER);
    }

    /**
     * {@return how many messages the frame of {@code frameLength} bytes at {@code offset} holds, or
     * -1 if it is not a well-formed frame of a bridge (wrong magic, no entries, an entry that runs
     * past the frame, or bytes left after the last)} Checked whole, before anything of it is delivered.
     */
    static int validate(DirectBuffer buffer, int offset, int frameLength) {
        if (frameLength < HEADER_LENGTH || buffer.getInt(offset + MAGIC_OFFSET, ORDER) != MAGIC) {
            return -1;
        }
        int count = count(buffer, offset);
        if (count < 1) {
            return -1;
        }
        int end = offset + frameLength;
        int at = offset + FRAME_HEADER_LENGTH;
        for (int i = 0; i < count; i++) {
            if (end - at < ENTRY_HEADER_LENGTH) {
                return -1;
            }
            int length = length(buffer, at);
            if (length < 0 || length > end - at - ENTRY_HEADER_LENGTH) {
                return -1;
            }
            at += Math.min(entryLength(length), end - at);
        }
        return at == end ? count : -1;
    }

    static int length(DirectBuffer buffer, int entry) {
        return buffer.getInt(entry + LENGTH_OFFSET, ORDER);
    }

    static int type(DirectBuffer buffer, int entry) {
        return buffer.getInt(entry + TYPE_OFFSET, ORDER);
    }

    static int source(DirectBuffer buffer, int entry) {
        return buffer.getInt(entry + SOURCE_OFFSET, ORDER);
    }

    static int sourcePid(DirectBuffer buffer, int entry) {
        return buffer.getInt(entry + SOURCE_PID_OFFSET, ORDER);
    }

    static long sequence(DirectBuffer buffer, int entry) {
        return buffer.getLong(entry + SEQUENCE_OFFSET, ORDER);
    }

    static long sendTime(DirectBuffer buffer, int entry) {
        return buffer.getLong(entry + SEND_TIME_OFFSET, ORDER);
    }
}
