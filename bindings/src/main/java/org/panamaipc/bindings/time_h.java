package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Clocks.
 *
 * <p>Mirrors {@code <time.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class time_h {

    private time_h() {
    }

    private static final int CLOCK_REALTIME = 0;

    /** {@snippet lang=c : #define CLOCK_REALTIME 0 } */
    public static int CLOCK_REALTIME() {
        return CLOCK_REALTIME;
    }

    private static final int CLOCK_MONOTONIC = 1;

    /** {@snippet lang=c : #define CLOCK_MONOTONIC 1 } */
    public static int CLOCK_MONOTONIC() {
        return CLOCK_MONOTONIC;
    }

    private static final class clock_gettime {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                clockid_t, // clockid: CLOCK_*
                C_POINTER); // tp: struct timespec *
        static final MethodHandle HANDLE = Native.downcallErrno("clock_gettime", DESC, java.lang.foreign.Linker.Option.critical(false));
    }

    /**
     * Reads a clock into a {@link timespec}. Returns 0 or -1.
     * {@snippet lang=c : int clock_gettime(clockid_t clockid, struct timespec *tp) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int clock_gettime(int clockid, MemorySegment tp) {
        try {
            return (int) clock_gettime.HANDLE.invokeExact(Native.capture(), clockid, tp);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
