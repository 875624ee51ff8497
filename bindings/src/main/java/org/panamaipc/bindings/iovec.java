package org.panamaipc.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * One buffer of a scattered or gathered transfer ({@code <sys/uio.h>}).
 * {@snippet lang=c :
 * struct iovec {
 *     void  *iov_base;
 *     size_t iov_len;
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class iovec {

    private iovec() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_POINTER.withName("iov_base"),
            size_t.withName("iov_len"))
            .withName("iovec");

    /** {@return the layout of {@code struct iovec}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct iovec)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct iovec} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final AddressLayout iov_base$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("iov_base"));
    private static final long iov_base$OFFSET = $LAYOUT.byteOffset(groupElement("iov_base"));

    /** {@return the layout of field {@code iov_base}} */
    public static AddressLayout iov_base$layout() {
        return iov_base$LAYOUT;
    }

    /** {@return the offset of field {@code iov_base}} */
    public static long iov_base$offset() {
        return iov_base$OFFSET;
    }

    /** {@return field {@code iov_base} of {@code struct}} */
    public static MemorySegment iov_base(MemorySegment struct) {
        return struct.get(iov_base$LAYOUT, iov_base$OFFSET);
    }

    /** Sets field {@code iov_base} of {@code struct}. */
    public static void iov_base(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(iov_base$LAYOUT, iov_base$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong iov_len$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("iov_len"));
    private static final long iov_len$OFFSET = $LAYOUT.byteOffset(groupElement("iov_len"));

    /** {@return the layout of field {@code iov_len}} */
    public static ValueLayout.OfLong iov_len$layout() {
        return iov_len$LAYOUT;
    }

    /** {@return the offset of field {@code iov_len}} */
    public static long iov_len$offset() {
        return iov_len$OFFSET;
    }

    /** {@return field {@code iov_len} of {@code struct}} */
    public static long iov_len(MemorySegment struct) {
        return struct.get(iov_len$LAYOUT, iov_len$OFFSET);
    }

    /** Sets field {@code iov_len} of {@code struct}. */
    public static void iov_len(MemorySegment struct, long fieldValue) {
        struct.set(iov_len$LAYOUT, iov_len$OFFSET, fieldValue);
    }
}
