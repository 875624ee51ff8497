package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * One file descriptor that {@code poll} watches.
 * {@snippet lang=c :
 * struct pollfd {
 *     int   fd;
 *     short events;  // requested, POLL*
 *     short revents; // returned, POLL*
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class pollfd {

    private pollfd() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_INT.withName("fd"),
            C_SHORT.withName("events"),
            C_SHORT.withName("revents"))
            .withName("pollfd");

    /** {@return the layout of {@code struct pollfd}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct pollfd)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct pollfd} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt fd$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("fd"));
    private static final long fd$OFFSET = $LAYOUT.byteOffset(groupElement("fd"));

    /** {@return the layout of field {@code fd}} */
    public static ValueLayout.OfInt fd$layout() {
        return fd$LAYOUT;
    }

    /** {@return the offset of field {@code fd}} */
    public static long fd$offset() {
        return fd$OFFSET;
    }

    /** {@return field {@code fd} of {@code struct}} */
    public static int fd(MemorySegment struct) {
        return struct.get(fd$LAYOUT, fd$OFFSET);
    }

    /** Sets field {@code fd} of {@code struct}. */
    public static void fd(MemorySegment struct, int fieldValue) {
        struct.set(fd$LAYOUT, fd$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort events$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("events"));
    private static final long events$OFFSET = $LAYOUT.byteOffset(groupElement("events"));

    /** {@return the layout of field {@code events}} */
    public static ValueLayout.OfShort events$layout() {
        return events$LAYOUT;
    }

    /** {@return the offset of field {@code events}} */
    public static long events$offset() {
        return events$OFFSET;
    }

    /** {@return field {@code events} of {@code struct}} */
    public static short events(MemorySegment struct) {
        return struct.get(events$LAYOUT, events$OFFSET);
    }

    /** Sets field {@code events} of {@code struct}. */
    public static void events(MemorySegment struct, short fieldValue) {
        struct.set(events$LAYOUT, events$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort revents$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("revents"));
    private static final long revents$OFFSET = $LAYOUT.byteOffset(groupElement("revents"));

    /** {@return the layout of field {@code revents}} */
    public static ValueLayout.OfShort revents$layout() {
        return revents$LAYOUT;
    }

    /** {@return the offset of field {@code revents}} */
    public static long revents$offset() {
        return revents$OFFSET;
    }

    /** {@return field {@code revents} of {@code struct}} */
    public static short revents(MemorySegment struct) {
        return struct.get(revents$LAYOUT, revents$OFFSET);
    }

    /** Sets field {@code revents} of {@code struct}. */
    public static void revents(MemorySegment struct, short fieldValue) {
        struct.set(revents$LAYOUT, revents$OFFSET, fieldValue);
    }
}
