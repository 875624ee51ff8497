package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Resource limits of the calling process, such as {@code RLIMIT_MSGQUEUE} (the bytes of POSIX
 * message queues its user may hold) and {@code RLIMIT_NOFILE} (its open descriptors).
 *
 * <p>Mirrors {@code <sys/resource.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class resource_h {

    private resource_h() {
    }

    private static final int RLIMIT_NOFILE = 7;

    /** {@snippet lang=c : #define RLIMIT_NOFILE 7 } */
    public static int RLIMIT_NOFILE() {
        return RLIMIT_NOFILE;
    }

    private static final int RLIMIT_MSGQUEUE = 12;

    /** {@snippet lang=c : #define RLIMIT_MSGQUEUE 12 } */
    public static int RLIMIT_MSGQUEUE() {
        return RLIMIT_MSGQUEUE;
    }

    private static final long RLIM_INFINITY = -1L;

    /** {@snippet lang=c : #define RLIM_INFINITY ((rlim_t) -1) } */
    public static long RLIM_INFINITY() {
        return RLIM_INFINITY;
    }

    private static final class getrlimit {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT, // resource: RLIMIT_*
                C_POINTER); // rlim: struct rlimit *
        static final MethodHandle HANDLE = Native.downcallErrno("getrlimit", DESC);
    }

    /**
     * Reads a resource limit into an {@link rlimit}. Returns 0 or -1.
     * {@snippet lang=c : int getrlimit(int resource, struct rlimit *rlim) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int getrlimit(int resource, MemorySegment rlim) {
        try {
            return (int) getrlimit.HANDLE.invokeExact(Native.capture(), resource, rlim);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class setrlimit {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT, // resource: RLIMIT_*
                C_POINTER); // rlim: const struct rlimit *
        static final MethodHandle HANDLE = Native.downcallErrno("setrlimit", DESC);
    }

    /**
     * Sets a resource limit from an {@link rlimit}. Returns 0 or -1.
     * {@snippet lang=c : int setrlimit(int resource, const struct rlimit *rlim) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int setrlimit(int resource, MemorySegment rlim) {
        try {
            return (int) setrlimit.HANDLE.invokeExact(Native.capture(), resource, rlim);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
