package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * One waiter of {@link futex_h#futex_waitv}.
 * {@snippet lang=c :
 * struct futex_waitv {
 *     __u64 val;
 *     __u64 uaddr;
 *     __u32 flags;
 *     __u32 __reserved;
 * }
 * }
 */
public final class futex_waitv {

    private futex_waitv() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_LONG_LONG.withName("val"),
            C_LONG_LONG.withName("uaddr"),
            C_INT.withName("flags"),
            C_INT.withName("__reserved"))
            .withName("futex_waitv");

    public static GroupLayout layout() {
        return $LAYOUT;
    }

    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** {@return an array of {@code elementCount} waiters} */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, $LAYOUT));
    }

    private static final ValueLayout.OfLong val$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("val"));
    private static final long val$OFFSET = $LAYOUT.byteOffset(groupElement("val"));

    public static ValueLayout.OfLong val$layout() {
        return val$LAYOUT;
    }

    public static long val$offset() {
        return val$OFFSET;
    }

    /** {@snippet lang=c : __u64 val: the value the word must hold } */
    public static long val(MemorySegment struct) {
        return struct.get(val$LAYOUT, val$OFFSET);
    }

    public static void val(MemorySegment struct, long fieldValue) {
        struct.set(val$LAYOUT, val$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong uaddr$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("uaddr"));
    private static final long uaddr$OFFSET = $LAYOUT.byteOffset(groupElement("uaddr"));

    public static ValueLayout.OfLong uaddr$layout() {
        return uaddr$LAYOUT;
    }

    public static long uaddr$offset() {
        return uaddr$OFFSET;
    }

    /** {@snippet lang=c : __u64 uaddr: the word's address } */
    public static long uaddr(MemorySegment struct) {
        return struct.get(uaddr$LAYOUT, uaddr$OFFSET);
    }

    public static void uaddr(MemorySegment struct, long fieldValue) {
        struct.set(uaddr$LAYOUT, uaddr$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("flags"));
    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));

    public static ValueLayout.OfInt flags$layout() {
        return flags$LAYOUT;
    }

    public static long flags$offset() {
        return flags$OFFSET;
    }

    /** {@snippet lang=c : __u32 flags: FUTEX_32, and FUTEX_PRIVATE_FLAG for a private futex } */
    public static int flags(MemorySegment struct) {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    public static void flags(MemorySegment struct, int fieldValue) {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt __reserved$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("__reserved"));
    private static final long __reserved$OFFSET = $LAYOUT.byteOffset(groupElement("__reserved"));

    public static ValueLayout.OfInt __reserved$layout() {
        return __reserved$LAYOUT;
    }

    public static long __reserved$offset() {
        return __reserved$OFFSET;
    }

    /** {@snippet lang=c : __u32 __reserved: 0 } */
    public static int __reserved(MemorySegment struct) {
        return struct.get(__reserved$LAYOUT, __reserved$OFFSET);
    }

    public static void __reserved(MemorySegment struct, int fieldValue) {
        struct.set(__reserved$LAYOUT, __reserved$OFFSET, fieldValue);
    }
}
