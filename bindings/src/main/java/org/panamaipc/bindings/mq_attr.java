package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * A message queue's attributes.
 * {@snippet lang=c :
 * struct mq_attr {
 *     long mq_flags;   // 0 or O_NONBLOCK
 *     long mq_maxmsg;  // queue capacity in messages
 *     long mq_msgsize; // largest message, bytes
 *     long mq_curmsgs; // messages queued now
 *     long __pad[4];
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class mq_attr {

    private mq_attr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_LONG.withName("mq_flags"),
            C_LONG.withName("mq_maxmsg"),
            C_LONG.withName("mq_msgsize"),
            C_LONG.withName("mq_curmsgs"),
            MemoryLayout.sequenceLayout(4, C_LONG).withName("__pad"))
            .withName("mq_attr");

    /** {@return the layout of {@code struct mq_attr}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct mq_attr)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct mq_attr} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong mq_flags$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("mq_flags"));
    private static final long mq_flags$OFFSET = $LAYOUT.byteOffset(groupElement("mq_flags"));

    /** {@return the layout of field {@code mq_flags}} */
    public static ValueLayout.OfLong mq_flags$layout() {
        return mq_flags$LAYOUT;
    }

    /** {@return the offset of field {@code mq_flags}} */
    public static long mq_flags$offset() {
        return mq_flags$OFFSET;
    }

    /** {@return field {@code mq_flags} of {@code struct}} */
    public static long mq_flags(MemorySegment struct) {
        return struct.get(mq_flags$LAYOUT, mq_flags$OFFSET);
    }

    /** Sets field {@code mq_flags} of {@code struct}. */
    public static void mq_flags(MemorySegment struct, long fieldValue) {
        struct.set(mq_flags$LAYOUT, mq_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong mq_maxmsg$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("mq_maxmsg"));
    private static final long mq_maxmsg$OFFSET = $LAYOUT.byteOffset(groupElement("mq_maxmsg"));

    /** {@return the layout of field {@code mq_maxmsg}} */
    public static ValueLayout.OfLong mq_maxmsg$layout() {
        return mq_maxmsg$LAYOUT;
    }

    /** {@return the offset of field {@code mq_maxmsg}} */
    public static long mq_maxmsg$offset() {
        return mq_maxmsg$OFFSET;
    }

    /** {@return field {@code mq_maxmsg} of {@code struct}} */
    public static long mq_maxmsg(MemorySegment struct) {
        return struct.get(mq_maxmsg$LAYOUT, mq_maxmsg$OFFSET);
    }

    /** Sets field {@code mq_maxmsg} of {@code struct}. */
    public static void mq_maxmsg(MemorySegment struct, long fieldValue) {
        struct.set(mq_maxmsg$LAYOUT, mq_maxmsg$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong mq_msgsize$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("mq_msgsize"));
    private static final long mq_msgsize$OFFSET = $LAYOUT.byteOffset(groupElement("mq_msgsize"));

    /** {@return the layout of field {@code mq_msgsize}} */
    public static ValueLayout.OfLong mq_msgsize$layout() {
        return mq_msgsize$LAYOUT;
    }

    /** {@return the offset of field {@code mq_msgsize}} */
    public static long mq_msgsize$offset() {
        return mq_msgsize$OFFSET;
    }

    /** {@return field {@code mq_msgsize} of {@code struct}} */
    public static long mq_msgsize(MemorySegment struct) {
        return struct.get(mq_msgsize$LAYOUT, mq_msgsize$OFFSET);
    }

    /** Sets field {@code mq_msgsize} of {@code struct}. */
    public static void mq_msgsize(MemorySegment struct, long fieldValue) {
        struct.set(mq_msgsize$LAYOUT, mq_msgsize$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong mq_curmsgs$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("mq_curmsgs"));
    private static final long mq_curmsgs$OFFSET = $LAYOUT.byteOffset(groupElement("mq_curmsgs"));

    /** {@return the layout of field {@code mq_curmsgs}} */
    public static ValueLayout.OfLong mq_curmsgs$layout() {
        return mq_curmsgs$LAYOUT;
    }

    /** {@return the offset of field {@code mq_curmsgs}} */
    public static long mq_curmsgs$offset() {
        return mq_curmsgs$OFFSET;
    }

    /** {@return field {@code mq_curmsgs} of {@code struct}} */
    public static long mq_curmsgs(MemorySegment struct) {
        return struct.get(mq_curmsgs$LAYOUT, mq_curmsgs$OFFSET);
    }

    /** Sets field {@code mq_curmsgs} of {@code struct}. */
    public static void mq_curmsgs(MemorySegment struct, long fieldValue) {
        struct.set(mq_curmsgs$LAYOUT, mq_curmsgs$OFFSET, fieldValue);
    }
}
