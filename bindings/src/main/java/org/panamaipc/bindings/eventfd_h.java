package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Event file descriptors: a 64-bit counter in the kernel that {@code poll} sees as readable while
 * it is not zero. panama-ipc uses one to wake a thread blocked in {@code poll} on message queues.
 *
 * <p>Mirrors {@code <sys/eventfd.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class eventfd_h {

    private eventfd_h() {
    }

    private static final int EFD_SEMAPHORE = 1;

    /** {@snippet lang=c : #define EFD_SEMAPHORE 1 } */
    public static int EFD_SEMAPHORE() {
        return EFD_SEMAPHORE;
    }

    private static final int EFD_CLOEXEC = 02000000;

    /** {@snippet lang=c : #define EFD_CLOEXEC 02000000 } */
    public static int EFD_CLOEXEC() {
        return EFD_CLOEXEC;
    }

    private static final int EFD_NONBLOCK = 04000;

    /** {@snippet lang=c : #define EFD_NONBLOCK 04000 } */
    public static int EFD_NONBLOCK() {
        return EFD_NONBLOCK;
    }

    private static final class eventfd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return: the new descriptor
                C_INT, // initval: unsigned int, the counter's first value
                C_INT); // flags: EFD_*
        static final MethodHandle HANDLE = Native.downcallErrno("eventfd", DESC);
    }

    /**
     * Creates an event descriptor; returns it, or -1.
     * {@snippet lang=c : int eventfd(unsigned int initval, int flags) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int eventfd(int initval, int flags) {
        try {
            return (int) eventfd.HANDLE.invokeExact(Native.capture(), initval, flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class eventfd_read {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT, // fd
                C_POINTER); // value: eventfd_t *, receives the counter, which is reset to 0
        static final MethodHandle HANDLE = Native.downcallErrno("eventfd_read", DESC);
    }

    /**
     * Reads and resets the counter. Returns 0 or -1 (with {@code EAGAIN} on a non-blocking
     * descriptor whose counter is 0).
     * {@snippet lang=c : int eventfd_read(int fd, eventfd_t *value) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int eventfd_read(int fd, MemorySegment value) {
        try {
            return (int) eventfd_read.HANDLE.invokeExact(Native.capture(), fd, value);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class eventfd_write {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT, // fd
                eventfd_t); // value: added to the counter
        static final MethodHandle HANDLE = Native.downcallErrno("eventfd_write", DESC);
    }

    /**
     * Adds {@code value} to the counter. Returns 0 or -1.
     * {@snippet lang=c : int eventfd_write(int fd, eventfd_t value) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int eventfd_write(int fd, long value) {
        try {
            return (int) eventfd_write.HANDLE.invokeExact(Native.capture(), fd, value);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
