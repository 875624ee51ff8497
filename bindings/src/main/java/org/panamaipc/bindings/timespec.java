package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * A point or span of time, in seconds and nanoseconds.
 * {@snippet lang=c :
 * struct timespec {
 *     time_t tv_sec;
 *     long   tv_nsec;
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class timespec {

    private timespec() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            time_t.withName("tv_sec"),
            C_LONG.withName("tv_nsec"))
            .withName("timespec");

    /** {@return the layout of {@code struct timespec}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct timespec)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct timespec} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong tv_sec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("tv_sec"));
    private static final long tv_sec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_sec"));

    /** {@return the layout of field {@code tv_sec}} */
    public static ValueLayout.OfLong tv_sec$layout() {
        return tv_sec$LAYOUT;
    }

    /** {@return the offset of field {@code tv_sec}} */
    public static long tv_sec$offset() {
        return tv_sec$OFFSET;
    }

    /** {@return field {@code tv_sec} of {@code struct}} */
    public static long tv_sec(MemorySegment struct) {
        return struct.get(tv_sec$LAYOUT, tv_sec$OFFSET);
    }

    /** Sets field {@code tv_sec} of {@code struct}. */
    public static void tv_sec(MemorySegment struct, long fieldValue) {
        struct.set(tv_sec$LAYOUT, tv_sec$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong tv_nsec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("tv_nsec"));
    private static final long tv_nsec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_nsec"));

    /** {@return the layout of field {@code tv_nsec}} */
    public static ValueLayout.OfLong tv_nsec$layout() {
        return tv_nsec$LAYOUT;
    }

    /** {@return the offset of field {@code tv_nsec}} */
    public static long tv_nsec$offset() {
        return tv_nsec$OFFSET;
    }

    /** {@return field {@code tv_nsec} of {@code struct}} */
    public static long tv_nsec(MemorySegment struct) {
        return struct.get(tv_nsec$LAYOUT, tv_nsec$OFFSET);
    }

    /** Sets field {@code tv_nsec} of {@code struct}. */
    public static void tv_nsec(MemorySegment struct, long fieldValue) {
        struct.set(tv_nsec$LAYOUT, tv_nsec$OFFSET, fieldValue);
    }
}
