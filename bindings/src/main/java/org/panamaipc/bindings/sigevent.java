package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * How {@code mq_notify} notifies: by signal, by a new thread running a function, or not at all.
 * {@snippet lang=c :
 * struct sigevent {
 *     union sigval sigev_value;
 *     int sigev_signo;
 *     int sigev_notify;            // SIGEV_*
 *     union {
 *         int _pad[12];
 *         pid_t _tid;              // sigev_notify_thread_id
 *         struct {
 *             void (*_function)(union sigval);   // sigev_notify_function
 *             pthread_attr_t *_attribute;        // sigev_notify_attributes
 *         } _sigev_thread;
 *     } _sigev_un;
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class sigevent {

    private sigevent() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_LONG.withName("sigev_value"),
            C_INT.withName("sigev_signo"),
            C_INT.withName("sigev_notify"),
            MemoryLayout.unionLayout(
                    MemoryLayout.sequenceLayout(12, C_INT).withName("_pad"),
                    pid_t.withName("_tid"),
                    MemoryLayout.structLayout(
                            C_POINTER.withName("_function"),
                            C_POINTER.withName("_attribute")).withName("_sigev_thread")).withName("_sigev_un"))
            .withName("sigevent");

    /** {@return the layout of {@code struct sigevent}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct sigevent)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct sigevent} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong sigev_value$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("sigev_value"));
    private static final long sigev_value$OFFSET = $LAYOUT.byteOffset(groupElement("sigev_value"));

    /** {@return the layout of field {@code sigev_value}} */
    public static ValueLayout.OfLong sigev_value$layout() {
        return sigev_value$LAYOUT;
    }

    /** {@return the offset of field {@code sigev_value}} */
    public static long sigev_value$offset() {
        return sigev_value$OFFSET;
    }

    /** {@return field {@code sigev_value} of {@code struct}} */
    public static long sigev_value(MemorySegment struct) {
        return struct.get(sigev_value$LAYOUT, sigev_value$OFFSET);
    }

    /** Sets field {@code sigev_value} of {@code struct}. */
    public static void sigev_value(MemorySegment struct, long fieldValue) {
        struct.set(sigev_value$LAYOUT, sigev_value$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sigev_signo$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sigev_signo"));
    private static final long sigev_signo$OFFSET = $LAYOUT.byteOffset(groupElement("sigev_signo"));

    /** {@return the layout of field {@code sigev_signo}} */
    public static ValueLayout.OfInt sigev_signo$layout() {
        return sigev_signo$LAYOUT;
    }

    /** {@return the offset of field {@code sigev_signo}} */
    public static long sigev_signo$offset() {
        return sigev_signo$OFFSET;
    }

    /** {@return field {@code sigev_signo} of {@code struct}} */
    public static int sigev_signo(MemorySegment struct) {
        return struct.get(sigev_signo$LAYOUT, sigev_signo$OFFSET);
    }

    /** Sets field {@code sigev_signo} of {@code struct}. */
    public static void sigev_signo(MemorySegment struct, int fieldValue) {
        struct.set(sigev_signo$LAYOUT, sigev_signo$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sigev_notify$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sigev_notify"));
    private static final long sigev_notify$OFFSET = $LAYOUT.byteOffset(groupElement("sigev_notify"));

    /** {@return the layout of field {@code sigev_notify}} */
    public static ValueLayout.OfInt sigev_notify$layout() {
        return sigev_notify$LAYOUT;
    }

    /** {@return the offset of field {@code sigev_notify}} */
    public static long sigev_notify$offset() {
        return sigev_notify$OFFSET;
    }

    /** {@return field {@code sigev_notify} of {@code struct}} */
    public static int sigev_notify(MemorySegment struct) {
        return struct.get(sigev_notify$LAYOUT, sigev_notify$OFFSET);
    }

    /** Sets field {@code sigev_notify} of {@code struct}. */
    public static void sigev_notify(MemorySegment struct, int fieldValue) {
        struct.set(sigev_notify$LAYOUT, sigev_notify$OFFSET, fieldValue);
    }

    private static final java.lang.foreign.AddressLayout sigev_notify_function$LAYOUT = (java.lang.foreign.AddressLayout) $LAYOUT.select(groupElement("_sigev_un"), groupElement("_sigev_thread"), groupElement("_function"));
    private static final long sigev_notify_function$OFFSET = $LAYOUT.byteOffset(groupElement("_sigev_un"), groupElement("_sigev_thread"), groupElement("_function"));

    /** {@return the layout of field {@code sigev_notify_function}} */
    public static java.lang.foreign.AddressLayout sigev_notify_function$layout() {
        return sigev_notify_function$LAYOUT;
    }

    /** {@return the offset of field {@code sigev_notify_function}} */
    public static long sigev_notify_function$offset() {
        return sigev_notify_function$OFFSET;
    }

    /** {@return field {@code sigev_notify_function} of {@code struct}} */
    public static MemorySegment sigev_notify_function(MemorySegment struct) {
        return struct.get(sigev_notify_function$LAYOUT, sigev_notify_function$OFFSET);
    }

    /** Sets field {@code sigev_notify_function} of {@code struct}. */
    public static void sigev_notify_function(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(sigev_notify_function$LAYOUT, sigev_notify_function$OFFSET, fieldValue);
    }

    private static final java.lang.foreign.AddressLayout sigev_notify_attributes$LAYOUT = (java.lang.foreign.AddressLayout) $LAYOUT.select(groupElement("_sigev_un"), groupElement("_sigev_thread"), groupElement("_attribute"));
    private static final long sigev_notify_attributes$OFFSET = $LAYOUT.byteOffset(groupElement("_sigev_un"), groupElement("_sigev_thread"), groupElement("_attribute"));

    /** {@return the layout of field {@code sigev_notify_attributes}} */
    public static java.lang.foreign.AddressLayout sigev_notify_attributes$layout() {
        return sigev_notify_attributes$LAYOUT;
    }

    /** {@return the offset of field {@code sigev_notify_attributes}} */
    public static long sigev_notify_attributes$offset() {
        return sigev_notify_attributes$OFFSET;
    }

    /** {@return field {@code sigev_notify_attributes} of {@code struct}} */
    public static MemorySegment sigev_notify_attributes(MemorySegment struct) {
        return struct.get(sigev_notify_attributes$LAYOUT, sigev_notify_attributes$OFFSET);
    }

    /** Sets field {@code sigev_notify_attributes} of {@code struct}. */
    public static void sigev_notify_attributes(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(sigev_notify_attributes$LAYOUT, sigev_notify_attributes$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sigev_notify_thread_id$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("_sigev_un"), groupElement("_tid"));
    private static final long sigev_notify_thread_id$OFFSET = $LAYOUT.byteOffset(groupElement("_sigev_un"), groupElement("_tid"));

    /** {@return the layout of field {@code sigev_notify_thread_id}} */
    public static ValueLayout.OfInt sigev_notify_thread_id$layout() {
        return sigev_notify_thread_id$LAYOUT;
    }

    /** {@return the offset of field {@code sigev_notify_thread_id}} */
    public static long sigev_notify_thread_id$offset() {
        return sigev_notify_thread_id$OFFSET;
    }

    /** {@return field {@code sigev_notify_thread_id} of {@code struct}} */
    public static int sigev_notify_thread_id(MemorySegment struct) {
        return struct.get(sigev_notify_thread_id$LAYOUT, sigev_notify_thread_id$OFFSET);
    }

    /** Sets field {@code sigev_notify_thread_id} of {@code struct}. */
    public static void sigev_notify_thread_id(MemorySegment struct, int fieldValue) {
        struct.set(sigev_notify_thread_id$LAYOUT, sigev_notify_thread_id$OFFSET, fieldValue);
    }
}
