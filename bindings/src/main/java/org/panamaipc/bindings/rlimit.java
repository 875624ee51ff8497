package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * A resource limit: the soft limit the kernel enforces and the hard limit it may be raised to.
 * {@snippet lang=c :
 * struct rlimit {
 *     rlim_t rlim_cur; // soft limit
 *     rlim_t rlim_max; // hard limit, the ceiling for rlim_cur
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class rlimit {

    private rlimit() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            rlim_t.withName("rlim_cur"),
            rlim_t.withName("rlim_max"))
            .withName("rlimit");

    /** {@return the layout of {@code struct rlimit}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct rlimit)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct rlimit} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong rlim_cur$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("rlim_cur"));
    private static final long rlim_cur$OFFSET = $LAYOUT.byteOffset(groupElement("rlim_cur"));

    /** {@return the layout of field {@code rlim_cur}} */
    public static ValueLayout.OfLong rlim_cur$layout() {
        return rlim_cur$LAYOUT;
    }

    /** {@return the offset of field {@code rlim_cur}} */
    public static long rlim_cur$offset() {
        return rlim_cur$OFFSET;
    }

    /** {@return field {@code rlim_cur} of {@code struct}} */
    public static long rlim_cur(MemorySegment struct) {
        return struct.get(rlim_cur$LAYOUT, rlim_cur$OFFSET);
    }

    /** Sets field {@code rlim_cur} of {@code struct}. */
    public static void rlim_cur(MemorySegment struct, long fieldValue) {
        struct.set(rlim_cur$LAYOUT, rlim_cur$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rlim_max$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("rlim_max"));
    private static final long rlim_max$OFFSET = $LAYOUT.byteOffset(groupElement("rlim_max"));

    /** {@return the layout of field {@code rlim_max}} */
    public static ValueLayout.OfLong rlim_max$layout() {
        return rlim_max$LAYOUT;
    }

    /** {@return the offset of field {@code rlim_max}} */
    public static long rlim_max$offset() {
        return rlim_max$OFFSET;
    }

    /** {@return field {@code rlim_max} of {@code struct}} */
    public static long rlim_max(MemorySegment struct) {
        return struct.get(rlim_max$LAYOUT, rlim_max$OFFSET);
    }

    /** Sets field {@code rlim_max} of {@code struct}. */
    public static void rlim_max(MemorySegment struct, long fieldValue) {
        struct.set(rlim_max$LAYOUT, rlim_max$OFFSET, fieldValue);
    }
}
