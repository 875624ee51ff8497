package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * POSIX message queues. On Linux an {@code mqd_t} is a file descriptor, so {@code poll} works on it.
 *
 * <p>Mirrors {@code <mqueue.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class mqueue_h {

    private mqueue_h() {
    }

    private static final class mq_open {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                mqd_t, // return
                C_POINTER, // name: const char *, "/name"
                C_INT); // oflag: O_* flags
        static final MethodHandle HANDLE = Native.downcallErrno("mq_open", DESC, java.lang.foreign.Linker.Option.firstVariadicArg(2));
    }

    /**
     * Opens an existing queue; returns its descriptor, or -1.
     * {@snippet lang=c : mqd_t mq_open(const char *name, int oflag) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mq_open(MemorySegment name, int oflag) {
        try {
            return (int) mq_open.HANDLE.invokeExact(Native.capture(), name, oflag);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_open$create {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                mqd_t, // return
                C_POINTER, // name: const char *, "/name"
                C_INT, // oflag: O_* flags, O_CREAT among them
                mode_t, // mode: variadic: permission bits
                C_POINTER); // attr: variadic: struct mq_attr *, or NULL for the defaults
        static final MethodHandle HANDLE = Native.downcallErrno("mq_open", DESC, java.lang.foreign.Linker.Option.firstVariadicArg(2));
    }

    /**
     * Opens or creates a queue; returns its descriptor, or -1.
     * {@snippet lang=c : mqd_t mq_open(const char *name, int oflag, mode_t mode, struct mq_attr *attr) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mq_open(MemorySegment name, int oflag, int mode, MemorySegment attr) {
        try {
            return (int) mq_open$create.HANDLE.invokeExact(Native.capture(), name, oflag, mode, attr);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_close {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                mqd_t); // mqdes
        static final MethodHandle HANDLE = Native.downcallErrno("mq_close", DESC);
    }

    /**
     * Closes a queue descriptor. Returns 0 or -1.
     * {@snippet lang=c : int mq_close(mqd_t mqdes) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mq_close(int mqdes) {
        try {
            return (int) mq_close.HANDLE.invokeExact(Native.capture(), mqdes);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_unlink {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_POINTER); // name
        static final MethodHandle HANDLE = Native.downcallErrno("mq_unlink", DESC);
    }

    /**
     * Removes a queue's name. Returns 0 or -1.
     * {@snippet lang=c : int mq_unlink(const char *name) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mq_unlink(MemorySegment name) {
        try {
            return (int) mq_unlink.HANDLE.invokeExact(Native.capture(), name);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_send {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                mqd_t, // mqdes
                C_POINTER, // msg_ptr: const char *
                size_t, // msg_len
                C_INT); // msg_prio: unsigned, below MQ_PRIO_MAX
        static final MethodHandle HANDLE = Native.downcallErrno("mq_send", DESC);
    }

    /**
     * Sends a message. Returns 0 or -1.
     * {@snippet lang=c : int mq_send(mqd_t mqdes, const char *msg_ptr, size_t msg_len, unsigned int msg_prio) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mq_send(int mqdes, MemorySegment msg_ptr, long msg_len, int msg_prio) {
        try {
            return (int) mq_send.HANDLE.invokeExact(Native.capture(), mqdes, msg_ptr, msg_len, msg_prio);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_timedsend {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                mqd_t, // mqdes
                C_POINTER, // msg_ptr: const char *
                size_t, // msg_len
                C_INT, // msg_prio: unsigned
                C_POINTER); // abs_timeout: const struct timespec *, CLOCK_REALTIME
        static final MethodHandle HANDLE = Native.downcallErrno("mq_timedsend", DESC);
    }

    /**
     * Sends a message, waiting for room until an absolute CLOCK_REALTIME deadline. Returns 0 or -1.
     * {@snippet lang=c : int mq_timedsend(mqd_t mqdes, const char *msg_ptr, size_t msg_len, unsigned int msg_prio, const struct timespec *abs_timeout) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mq_timedsend(int mqdes, MemorySegment msg_ptr, long msg_len, int msg_prio, MemorySegment abs_timeout) {
        try {
            return (int) mq_timedsend.HANDLE.invokeExact(Native.capture(), mqdes, msg_ptr, msg_len, msg_prio, abs_timeout);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_receive {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                ssize_t, // return
                mqd_t, // mqdes
                C_POINTER, // msg_ptr: char *, at least mq_msgsize bytes
                size_t, // msg_len
                C_POINTER); // msg_prio: unsigned int *, or NULL
        static final MethodHandle HANDLE = Native.downcallErrno("mq_receive", DESC);
    }

    /**
     * Receives the oldest message of the highest priority; returns its length, or -1.
     * {@snippet lang=c : ssize_t mq_receive(mqd_t mqdes, char *msg_ptr, size_t msg_len, unsigned int *msg_prio) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static long mq_receive(int mqdes, MemorySegment msg_ptr, long msg_len, MemorySegment msg_prio) {
        try {
            return (long) mq_receive.HANDLE.invokeExact(Native.capture(), mqdes, msg_ptr, msg_len, msg_prio);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_timedreceive {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                ssize_t, // return
                mqd_t, // mqdes
                C_POINTER, // msg_ptr: char *
                size_t, // msg_len
                C_POINTER, // msg_prio: unsigned int *, or NULL
                C_POINTER); // abs_timeout: const struct timespec *, CLOCK_REALTIME
        static final MethodHandle HANDLE = Native.downcallErrno("mq_timedreceive", DESC);
    }

    /**
     * Receives a message, waiting until an absolute CLOCK_REALTIME deadline; returns its length, or -1.
     * {@snippet lang=c : ssize_t mq_timedreceive(mqd_t mqdes, char *msg_ptr, size_t msg_len, unsigned int *msg_prio, const struct timespec *abs_timeout) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static long mq_timedreceive(int mqdes, MemorySegment msg_ptr, long msg_len, MemorySegment msg_prio, MemorySegment abs_timeout) {
        try {
            return (long) mq_timedreceive.HANDLE.invokeExact(Native.capture(), mqdes, msg_ptr, msg_len, msg_prio, abs_timeout);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_getattr {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                mqd_t, // mqdes
                C_POINTER); // attr: struct mq_attr *
        static final MethodHandle HANDLE = Native.downcallErrno("mq_getattr", DESC);
    }

    /**
     * Reads a queue's attributes into an {@link mq_attr}. Returns 0 or -1.
     * {@snippet lang=c : int mq_getattr(mqd_t mqdes, struct mq_attr *attr) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mq_getattr(int mqdes, MemorySegment attr) {
        try {
            return (int) mq_getattr.HANDLE.invokeExact(Native.capture(), mqdes, attr);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_setattr {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                mqd_t, // mqdes
                C_POINTER, // newattr: const struct mq_attr *
                C_POINTER); // oldattr: struct mq_attr *, or NULL
        static final MethodHandle HANDLE = Native.downcallErrno("mq_setattr", DESC);
    }

    /**
     * Sets a queue descriptor's O_NONBLOCK flag. Returns 0 or -1.
     * {@snippet lang=c : int mq_setattr(mqd_t mqdes, const struct mq_attr *newattr, struct mq_attr *oldattr) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mq_setattr(int mqdes, MemorySegment newattr, MemorySegment oldattr) {
        try {
            return (int) mq_setattr.HANDLE.invokeExact(Native.capture(), mqdes, newattr, oldattr);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mq_notify {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                mqd_t, // mqdes
                C_POINTER); // sevp: const struct sigevent *, or NULL to unregister
        static final MethodHandle HANDLE = Native.downcallErrno("mq_notify", DESC);
    }

    /**
     * Registers for one notification when a message arrives in an empty queue. Returns 0 or -1.
     * {@snippet lang=c : int mq_notify(mqd_t mqdes, const struct sigevent *sevp) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mq_notify(int mqdes, MemorySegment sevp) {
        try {
            return (int) mq_notify.HANDLE.invokeExact(Native.capture(), mqdes, sevp);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
