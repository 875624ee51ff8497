package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * The credentials of a process, as {@code getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ...)} reports
 * those of a socket's peer (taken when it connected).
 * {@snippet lang=c :
 * struct ucred {
 *     pid_t pid;
 *     uid_t uid;
 *     gid_t gid;
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class ucred {

    private ucred() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            pid_t.withName("pid"),
            uid_t.withName("uid"),
            gid_t.withName("gid"))
            .withName("ucred");

    /** {@return the layout of {@code struct ucred}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct ucred)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct ucred} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt pid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("pid"));
    private static final long pid$OFFSET = $LAYOUT.byteOffset(groupElement("pid"));

    /** {@return the layout of field {@code pid}} */
    public static ValueLayout.OfInt pid$layout() {
        return pid$LAYOUT;
    }

    /** {@return the offset of field {@code pid}} */
    public static long pid$offset() {
        return pid$OFFSET;
    }

    /** {@return field {@code pid} of {@code struct}} */
    public static int pid(MemorySegment struct) {
        return struct.get(pid$LAYOUT, pid$OFFSET);
    }

    /** Sets field {@code pid} of {@code struct}. */
    public static void pid(MemorySegment struct, int fieldValue) {
        struct.set(pid$LAYOUT, pid$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt uid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("uid"));
    private static final long uid$OFFSET = $LAYOUT.byteOffset(groupElement("uid"));

    /** {@return the layout of field {@code uid}} */
    public static ValueLayout.OfInt uid$layout() {
        return uid$LAYOUT;
    }

    /** {@return the offset of field {@code uid}} */
    public static long uid$offset() {
        return uid$OFFSET;
    }

    /** {@return field {@code uid} of {@code struct}} */
    public static int uid(MemorySegment struct) {
        return struct.get(uid$LAYOUT, uid$OFFSET);
    }

    /** Sets field {@code uid} of {@code struct}. */
    public static void uid(MemorySegment struct, int fieldValue) {
        struct.set(uid$LAYOUT, uid$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt gid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("gid"));
    private static final long gid$OFFSET = $LAYOUT.byteOffset(groupElement("gid"));

    /** {@return the layout of field {@code gid}} */
    public static ValueLayout.OfInt gid$layout() {
        return gid$LAYOUT;
    }

    /** {@return the offset of field {@code gid}} */
    public static long gid$offset() {
        return gid$OFFSET;
    }

    /** {@return field {@code gid} of {@code struct}} */
    public static int gid(MemorySegment struct) {
        return struct.get(gid$LAYOUT, gid$OFFSET);
    }

    /** Sets field {@code gid} of {@code struct}. */
    public static void gid(MemorySegment struct, int fieldValue) {
        struct.set(gid$LAYOUT, gid$OFFSET, fieldValue);
    }
}
