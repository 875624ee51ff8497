package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * The address of a Unix-domain socket ({@code <sys/un.h>}): a path of at most 107 bytes.
 * {@snippet lang=c :
 * struct sockaddr_un {
 *     sa_family_t sun_family;    // AF_UNIX
 *     char        sun_path[108]; // the socket file's path, NUL-terminated
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class sockaddr_un {

    private sockaddr_un() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            sa_family_t.withName("sun_family"),
            MemoryLayout.sequenceLayout(108, C_CHAR).withName("sun_path"))
            .withName("sockaddr_un");

    /** {@return the layout of {@code struct sockaddr_un}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct sockaddr_un)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct sockaddr_un} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfShort sun_family$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("sun_family"));
    private static final long sun_family$OFFSET = $LAYOUT.byteOffset(groupElement("sun_family"));

    /** {@return the layout of field {@code sun_family}} */
    public static ValueLayout.OfShort sun_family$layout() {
        return sun_family$LAYOUT;
    }

    /** {@return the offset of field {@code sun_family}} */
    public static long sun_family$offset() {
        return sun_family$OFFSET;
    }

    /** {@return field {@code sun_family} of {@code struct}} */
    public static short sun_family(MemorySegment struct) {
        return struct.get(sun_family$LAYOUT, sun_family$OFFSET);
    }

    /** Sets field {@code sun_family} of {@code struct}. */
    public static void sun_family(MemorySegment struct, short fieldValue) {
        struct.set(sun_family$LAYOUT, sun_family$OFFSET, fieldValue);
    }

    private static final SequenceLayout sun_path$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("sun_path"));
    private static final long sun_path$OFFSET = $LAYOUT.byteOffset(groupElement("sun_path"));

    /** {@return the layout of field {@code sun_path}} */
    public static SequenceLayout sun_path$layout() {
        return sun_path$LAYOUT;
    }

    /** {@return the offset of field {@code sun_path}} */
    public static long sun_path$offset() {
        return sun_path$OFFSET;
    }
}
