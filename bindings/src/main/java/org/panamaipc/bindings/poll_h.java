package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Waiting for several file descriptors (message queues among them) at once.
 *
 * <p>Mirrors {@code <poll.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class poll_h {

    private poll_h() {
    }

    private static final short POLLIN = 0x001;

    /** {@snippet lang=c : #define POLLIN 0x001 } */
    public static short POLLIN() {
        return POLLIN;
    }

    private static final short POLLPRI = 0x002;

    /** {@snippet lang=c : #define POLLPRI 0x002 } */
    public static short POLLPRI() {
        return POLLPRI;
    }

    private static final short POLLOUT = 0x004;

    /** {@snippet lang=c : #define POLLOUT 0x004 } */
    public static short POLLOUT() {
        return POLLOUT;
    }

    private static final short POLLERR = 0x008;

    /** {@snippet lang=c : #define POLLERR 0x008 } */
    public static short POLLERR() {
        return POLLERR;
    }

    private static final short POLLHUP = 0x010;

    /** {@snippet lang=c : #define POLLHUP 0x010 } */
    public static short POLLHUP() {
        return POLLHUP;
    }

    private static final short POLLNVAL = 0x020;

    /** {@snippet lang=c : #define POLLNVAL 0x020 } */
    public static short POLLNVAL() {
        return POLLNVAL;
    }

    private static final class poll {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_POINTER, // fds: struct pollfd[nfds]
                nfds_t, // nfds
                C_INT); // timeout: milliseconds, -1 for none
        static final MethodHandle HANDLE = Native.downcallErrno("poll", DESC);
    }

    /**
     * Waits until one of {@code fds} is ready; returns how many are, 0 on timeout, or -1.
     * {@snippet lang=c : int poll(struct pollfd *fds, nfds_t nfds, int timeout) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int poll(MemorySegment fds, long nfds, int timeout) {
        try {
            return (int) poll.HANDLE.invokeExact(Native.capture(), fds, nfds, timeout);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
