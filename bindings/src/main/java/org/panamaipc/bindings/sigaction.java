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
 * The action taken on a signal, as {@link signal_h#sigaction} reads and sets it (glibc's layout on
 * x86-64).
 * {@snippet lang=c :
 * struct sigaction {
 *     union {
 *         __sighandler_t sa_handler;                         // SIG_DFL, SIG_IGN or a function
 *         void (*sa_sigaction)(int, siginfo_t *, void *);    // with SA_SIGINFO
 *     } __sigaction_handler;
 *     __sigset_t sa_mask;                                    // blocked while the handler runs
 *     int sa_flags;                                          // SA_*
 *     void (*sa_restorer)(void);
 * };
 * }
 * {@code sa_handler} is a macro for {@code __sigaction_handler.sa_handler}; it is the union's
 * first member and shares its offset. Offsets are derived from the layout below, which the ABI test
 * holds equal to the C compiler's.
 */
public final class sigaction {

    private sigaction() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_POINTER.withName("sa_handler"),
            MemoryLayout.sequenceLayout(16, C_LONG).withName("sa_mask"),
            C_INT.withName("sa_flags"),
            MemoryLayout.paddingLayout(4),
            C_POINTER.withName("sa_restorer"))
            .withName("sigaction");

    /** {@return the layout of {@code struct sigaction}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct sigaction)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct sigaction} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong sa_handler$LAYOUT = C_LONG.withName("sa_handler");
    private static final long sa_handler$OFFSET = $LAYOUT.byteOffset(groupElement("sa_handler"));

    /** {@return the layout of field {@code sa_handler}, read as the handler's address} */
    public static ValueLayout.OfLong sa_handler$layout() {
        return sa_handler$LAYOUT;
    }

    /** {@return the offset of field {@code sa_handler}} */
    public static long sa_handler$offset() {
        return sa_handler$OFFSET;
    }

    /**
     * {@return field {@code sa_handler} of {@code struct} as an address: 0 is {@code SIG_DFL}, 1 is
     * {@code SIG_IGN}, anything else a handler function}
     */
    public static long sa_handler(MemorySegment struct) {
        return struct.get(sa_handler$LAYOUT, sa_handler$OFFSET);
    }

    /** Sets field {@code sa_handler} of {@code struct} to the address {@code fieldValue}. */
    public static void sa_handler(MemorySegment struct, long fieldValue) {
        struct.set(sa_handler$LAYOUT, sa_handler$OFFSET, fieldValue);
    }

    private static final SequenceLayout sa_mask$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("sa_mask"));
    private static final long sa_mask$OFFSET = $LAYOUT.byteOffset(groupElement("sa_mask"));

    /** {@return the layout of field {@code sa_mask}} */
    public static SequenceLayout sa_mask$layout() {
        return sa_mask$LAYOUT;
    }

    /** {@return the offset of field {@code sa_mask}} */
    public static long sa_mask$offset() {
        return sa_mask$OFFSET;
    }

    private static final ValueLayout.OfInt sa_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sa_flags"));
    private static final long sa_flags$OFFSET = $LAYOUT.byteOffset(groupElement("sa_flags"));

    /** {@return the layout of field {@code sa_flags}} */
    public static ValueLayout.OfInt sa_flags$layout() {
        return sa_flags$LAYOUT;
    }

    /** {@return the offset of field {@code sa_flags}} */
    public static long sa_flags$offset() {
        return sa_flags$OFFSET;
    }

    /** {@return field {@code sa_flags} of {@code struct}} */
    public static int sa_flags(MemorySegment struct) {
        return struct.get(sa_flags$LAYOUT, sa_flags$OFFSET);
    }

    /** Sets field {@code sa_flags} of {@code struct}. */
    public static void sa_flags(MemorySegment struct, int fieldValue) {
        struct.set(sa_flags$LAYOUT, sa_flags$OFFSET, fieldValue);
    }

    private static final MemoryLayout sa_restorer$LAYOUT = $LAYOUT.select(groupElement("sa_restorer"));
    private static final long sa_restorer$OFFSET = $LAYOUT.byteOffset(groupElement("sa_restorer"));

    /** {@return the layout of field {@code sa_restorer}} */
    public static MemoryLayout sa_restorer$layout() {
        return sa_restorer$LAYOUT;
    }

    /** {@return the offset of field {@code sa_restorer}} */
    public static long sa_restorer$offset() {
        return sa_restorer$OFFSET;
    }
}
