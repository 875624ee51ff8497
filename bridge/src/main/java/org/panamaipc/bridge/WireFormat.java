package org.panamaipc.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The layout of one message as it crosses the wire: the sender's message header, then the value's
 * encoding as the codec wrote it, byte for byte. One message is one Aeron message, never split
 * into fragments: a bridge refuses a mailbox whose longest value and header do not fit one Aeron
 * frame ({@link Bridge#maxValueLength()}).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         magic 'PIPB'                          |  0
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
 *  |                        value length                           | 32
 *  +---------------------------------------------------------------+
 *  |                          (reserved)                           | 36
 *  +---------------------------------------------------------------+
 *  |                 value: the codec's encoding ...               | 40
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * All fields are little-endian. The header is the one the forwarding bridge read from its local
 * mailbox ({@link org.panamaipc.message.Header}), so the receiving bridge knows who sent each
 * message and in which order; the reply address is not carried, since it names an entry of a
 * registry on the sender's host.
 */
final class WireFormat {

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** "PIPB" read as a little-endian int. */
    static final int MAGIC = 'P' | 'I' << 8 | 'P' << 16 | 'B' << 24;

    static final int MAGIC_OFFSET = 0;
    static final int TYPE_OFFSET = 4;
    static final int SOURCE_OFFSET = 8;
    static final int SOURCE_PID_OFFSET = 12;
    static final int SEQUENCE_OFFSET = 16;
    static final int SEND_TIME_OFFSET = 24;
    static final int LENGTH_OFFSET = 32;
    static final int HEADER_LENGTH = 40;

    private WireFormat() {
    }

    /** Writes the header of a message of {@code length} value bytes at {@code offset}. */
    static void putHeader(MutableDirectBuffer buffer, int offset, org.panamaipc.message.Header header, int length) {
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC, ORDER);
        buffer.putInt(offset + TYPE_OFFSET, header.type(), ORDER);
        buffer.putInt(offset + SOURCE_OFFSET, header.source(), ORDER);
        buffer.putInt(offset + SOURCE_PID_OFFSET, header.sourcePid(), ORDER);
        buffer.putLong(offset + SEQUENCE_OFFSET, header.sequence(), ORDER);
        buffer.putLong(offset + SEND_TIME_OFFSET, header.sendTime(), ORDER);
        buffer.putInt(offset + LENGTH_OFFSET, length, ORDER);
        buffer.putInt(offset + LENGTH_OFFSET + 4, 0, ORDER);
    }

    /**
     * {@return the value's length of the frame at {@code offset}, or -1 if it is not a frame of a
     * bridge (wrong magic, or a length that disagrees with the frame's)}
     */
    static int valueLength(DirectBuffer buffer, int offset, int frameLength) {
        if (frameLength < HEADER_LENGTH || buffer.getInt(offset + MAGIC_OFFSET, ORDER) != MAGIC) {
            return -1;
        }
        int length = buffer.getInt(offset + LENGTH_OFFSET, ORDER);
        return length == frameLength - HEADER_LENGTH ? length : -1;
    }

    static int sourcePid(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + SOURCE_PID_OFFSET, ORDER);
    }

    static int source(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + SOURCE_OFFSET, ORDER);
    }

    static long sequence(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + SEQUENCE_OFFSET, ORDER);
    }

    static long sendTime(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + SEND_TIME_OFFSET, ORDER);
    }

    static int type(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + TYPE_OFFSET, ORDER);
    }
}
