package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * The header of one control message in {@code msg_control}; its data follows at
 * {@link socket_h#CMSG_DATA_OFFSET()}, and the next message at {@link socket_h#CMSG_SPACE(long)} of the data's length.
 * {@snippet lang=c :
 * struct cmsghdr {
 *     size_t cmsg_len;          // CMSG_LEN(length of the data)
 *     int    cmsg_level;        // SOL_SOCKET
 *     int    cmsg_type;         // SCM_RIGHTS
 *     unsigned char __cmsg_data[]; // the data, at CMSG_DATA(cmsg)
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class cmsghdr {

    private cmsghdr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            size_t.withName("cmsg_len"),
            C_INT.withName("cmsg_level"),
            C_INT.withName("cmsg_type"))
            .withName("cmsghdr");

    /** {@return the layout of {@code struct cmsghdr}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct cmsghdr)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct cmsghdr} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong cmsg_len$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("cmsg_len"));
    private static final long cmsg_len$OFFSET = $LAYOUT.byteOffset(groupElement("cmsg_len"));

    /** {@return the layout of field {@code cmsg_len}} */
    public static ValueLayout.OfLong cmsg_len$layout() {
        return cmsg_len$LAYOUT;
    }

    /** {@return the offset of field {@code cmsg_len}} */
    public static long cmsg_len$offset() {
        return cmsg_len$OFFSET;
    }

    /** {@return field {@code cmsg_len} of {@code struct}} */
    public static long cmsg_len(MemorySegment struct) {
        return struct.get(cmsg_len$LAYOUT, cmsg_len$OFFSET);
    }

    /** Sets field {@code cmsg_len} of {@code struct}. */
    public static void cmsg_len(MemorySegment struct, long fieldValue) {
        struct.set(cmsg_len$LAYOUT, cmsg_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cmsg_level$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("cmsg_level"));
    private static final long cmsg_level$OFFSET = $LAYOUT.byteOffset(groupElement("cmsg_level"));

    /** {@return the layout of field {@code cmsg_level}} */
    public static ValueLayout.OfInt cmsg_level$layout() {
        return cmsg_level$LAYOUT;
    }

    /** {@return the offset of field {@code cmsg_level}} */
    public static long cmsg_level$offset() {
        return cmsg_level$OFFSET;
    }

    /** {@return field {@code cmsg_level} of {@code struct}} */
    public static int cmsg_level(MemorySegment struct) {
        return struct.get(cmsg_level$LAYOUT, cmsg_level$OFFSET);
    }

    /** Sets field {@code cmsg_level} of {@code struct}. */
    public static void cmsg_level(MemorySegment struct, int fieldValue) {
        struct.set(cmsg_level$LAYOUT, cmsg_level$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cmsg_type$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("cmsg_type"));
    private static final long cmsg_type$OFFSET = $LAYOUT.byteOffset(groupElement("cmsg_type"));

    /** {@return the layout of field {@code cmsg_type}} */
    public static ValueLayout.OfInt cmsg_type$layout() {
        return cmsg_type$LAYOUT;
    }

    /** {@return the offset of field {@code cmsg_type}} */
    public static long cmsg_type$offset() {
        return cmsg_type$OFFSET;
    }

    /** {@return field {@code cmsg_type} of {@code struct}} */
    public static int cmsg_type(MemorySegment struct) {
        return struct.get(cmsg_type$LAYOUT, cmsg_type$OFFSET);
    }

    /** Sets field {@code cmsg_type} of {@code struct}. */
    public static void cmsg_type(MemorySegment struct, int fieldValue) {
        struct.set(cmsg_type$LAYOUT, cmsg_type$OFFSET, fieldValue);
    }
}
