package org.panamaipc.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

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

    /**
     * The function a {@code SIGEV_THREAD} notification runs, on a new thread the C library creates.
     * {@snippet lang=c : void (*sigev_notify_function)(union sigval) }
     * {@code union sigval} ({@code int sival_int; void *sival_ptr;}) is 8 bytes of the INTEGER class
     * in the x86-64 System V ABI, so it is passed exactly as a {@code long}.
     */
    public static final class sigev_notify_function {

        private sigev_notify_function() {
        }

        /** The Java side of the function pointer. */
        @FunctionalInterface
        public interface Function {
            /**
             * Called with the {@code sigev_value} given at registration.
             *
             * <p>An exception that escapes an upcall ends the JVM: catch everything.
             */
            void apply(long sigev_value);
        }

        private static final FunctionDescriptor $DESC = FunctionDescriptor.ofVoid(
                C_LONG); // sigev_value: union sigval, by value

        /** {@return the descriptor of the function type} */
        public static FunctionDescriptor descriptor() {
            return $DESC;
        }

        private static final MethodHandle UP$MH;

        static {
            try {
                UP$MH = MethodHandles.lookup().findVirtual(Function.class, "apply", $DESC.toMethodType());
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /**
         * {@return a function pointer that calls {@code fi}, valid as long as {@code arena} is alive}
         * The notification may come at any time, so a global or long-lived arena is usual.
         */
        public static MemorySegment allocate(Function fi, Arena arena) {
            return Native.LINKER.upcallStub(UP$MH.bindTo(fi), $DESC, arena);
        }
    }
}
