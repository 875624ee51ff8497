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
 * A message for {@link socket_h#sendmsg} and {@link socket_h#recvmsg}.
 * {@snippet lang=c :
 * struct msghdr {
 *     void         *msg_name;       // the address (NULL on a connected socket)
 *     socklen_t     msg_namelen;
 *     struct iovec *msg_iov;        // the data, scattered or gathered
 *     size_t        msg_iovlen;
 *     void         *msg_control;    // control messages (struct cmsghdr, CMSG_SPACE each)
 *     size_t        msg_controllen;
 *     int           msg_flags;      // set by recvmsg: MSG_TRUNC, MSG_CTRUNC
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class msghdr {

    private msghdr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_POINTER.withName("msg_name"),
            socklen_t.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            C_POINTER.withName("msg_iov"),
            size_t.withName("msg_iovlen"),
            C_POINTER.withName("msg_control"),
            size_t.withName("msg_controllen"),
            C_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4))
            .withName("msghdr");

    /** {@return the layout of {@code struct msghdr}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct msghdr)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct msghdr} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final AddressLayout msg_name$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("msg_name"));
    private static final long msg_name$OFFSET = $LAYOUT.byteOffset(groupElement("msg_name"));

    /** {@return the layout of field {@code msg_name}} */
    public static AddressLayout msg_name$layout() {
        return msg_name$LAYOUT;
    }

    /** {@return the offset of field {@code msg_name}} */
    public static long msg_name$offset() {
        return msg_name$OFFSET;
    }

    /** {@return field {@code msg_name} of {@code struct}} */
    public static MemorySegment msg_name(MemorySegment struct) {
        return struct.get(msg_name$LAYOUT, msg_name$OFFSET);
    }

    /** Sets field {@code msg_name} of {@code struct}. */
    public static void msg_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(msg_name$LAYOUT, msg_name$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt msg_namelen$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("msg_namelen"));
    private static final long msg_namelen$OFFSET = $LAYOUT.byteOffset(groupElement("msg_namelen"));

    /** {@return the layout of field {@code msg_namelen}} */
    public static ValueLayout.OfInt msg_namelen$layout() {
        return msg_namelen$LAYOUT;
    }

    /** {@return the offset of field {@code msg_namelen}} */
    public static long msg_namelen$offset() {
        return msg_namelen$OFFSET;
    }

    /** {@return field {@code msg_namelen} of {@code struct}} */
    public static int msg_namelen(MemorySegment struct) {
        return struct.get(msg_namelen$LAYOUT, msg_namelen$OFFSET);
    }

    /** Sets field {@code msg_namelen} of {@code struct}. */
    public static void msg_namelen(MemorySegment struct, int fieldValue) {
        struct.set(msg_namelen$LAYOUT, msg_namelen$OFFSET, fieldValue);
    }

    private static final AddressLayout msg_iov$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("msg_iov"));
    private static final long msg_iov$OFFSET = $LAYOUT.byteOffset(groupElement("msg_iov"));

    /** {@return the layout of field {@code msg_iov}} */
    public static AddressLayout msg_iov$layout() {
        return msg_iov$LAYOUT;
    }

    /** {@return the offset of field {@code msg_iov}} */
    public static long msg_iov$offset() {
        return msg_iov$OFFSET;
    }

    /** {@return field {@code msg_iov} of {@code struct}} */
    public static MemorySegment msg_iov(MemorySegment struct) {
        return struct.get(msg_iov$LAYOUT, msg_iov$OFFSET);
    }

    /** Sets field {@code msg_iov} of {@code struct}. */
    public static void msg_iov(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(msg_iov$LAYOUT, msg_iov$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong msg_iovlen$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("msg_iovlen"));
    private static final long msg_iovlen$OFFSET = $LAYOUT.byteOffset(groupElement("msg_iovlen"));

    /** {@return the layout of field {@code msg_iovlen}} */
    public static ValueLayout.OfLong msg_iovlen$layout() {
        return msg_iovlen$LAYOUT;
    }

    /** {@return the offset of field {@code msg_iovlen}} */
    public static long msg_iovlen$offset() {
        return msg_iovlen$OFFSET;
    }

    /** {@return field {@code msg_iovlen} of {@code struct}} */
    public static long msg_iovlen(MemorySegment struct) {
        return struct.get(msg_iovlen$LAYOUT, msg_iovlen$OFFSET);
    }

    /** Sets field {@code msg_iovlen} of {@code struct}. */
    public static void msg_iovlen(MemorySegment struct, long fieldValue) {
        struct.set(msg_iovlen$LAYOUT, msg_iovlen$OFFSET, fieldValue);
    }

    private static final AddressLayout msg_control$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("msg_control"));
    private static final long msg_control$OFFSET = $LAYOUT.byteOffset(groupElement("msg_control"));

    /** {@return the layout of field {@code msg_control}} */
    public static AddressLayout msg_control$layout() {
        return msg_control$LAYOUT;
    }

    /** {@return the offset of field {@code msg_control}} */
    public static long msg_control$offset() {
        return msg_control$OFFSET;
    }

    /** {@return field {@code msg_control} of {@code struct}} */
    public static MemorySegment msg_control(MemorySegment struct) {
        return struct.get(msg_control$LAYOUT, msg_control$OFFSET);
    }

    /** Sets field {@code msg_control} of {@code struct}. */
    public static void msg_control(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(msg_control$LAYOUT, msg_control$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong msg_controllen$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("msg_controllen"));
    private static final long msg_controllen$OFFSET = $LAYOUT.byteOffset(groupElement("msg_controllen"));

    /** {@return the layout of field {@code msg_controllen}} */
    public static ValueLayout.OfLong msg_controllen$layout() {
        return msg_controllen$LAYOUT;
    }

    /** {@return the offset of field {@code msg_controllen}} */
    public static long msg_controllen$offset() {
        return msg_controllen$OFFSET;
    }

    /** {@return field {@code msg_controllen} of {@code struct}} */
    public static long msg_controllen(MemorySegment struct) {
        return struct.get(msg_controllen$LAYOUT, msg_controllen$OFFSET);
    }

    /** Sets field {@code msg_controllen} of {@code struct}. */
    public static void msg_controllen(MemorySegment struct, long fieldValue) {
        struct.set(msg_controllen$LAYOUT, msg_controllen$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt msg_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("msg_flags"));
    private static final long msg_flags$OFFSET = $LAYOUT.byteOffset(groupElement("msg_flags"));

    /** {@return the layout of field {@code msg_flags}} */
    public static ValueLayout.OfInt msg_flags$layout() {
        return msg_flags$LAYOUT;
    }

    /** {@return the offset of field {@code msg_flags}} */
    public static long msg_flags$offset() {
        return msg_flags$OFFSET;
    }

    /** {@return field {@code msg_flags} of {@code struct}} */
    public static int msg_flags(MemorySegment struct) {
        return struct.get(msg_flags$LAYOUT, msg_flags$OFFSET);
    }

    /** Sets field {@code msg_flags} of {@code struct}. */
    public static void msg_flags(MemorySegment struct, int fieldValue) {
        struct.set(msg_flags$LAYOUT, msg_flags$OFFSET, fieldValue);
    }
}
