package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Flags for {@code shm_open} and {@code mq_open}, and {@code fallocate}.
 *
 * <p>Mirrors {@code <fcntl.h>}; every value is checked against the C compiler's by the ABI test.
 */
public final class fcntl_h {

    private fcntl_h() {
    }

    private static final int O_RDONLY = 0;

    /** {@snippet lang=c : #define O_RDONLY 0 } */
    public static int O_RDONLY() {
        return O_RDONLY;
    }

    private static final int O_WRONLY = 1;

    /** {@snippet lang=c : #define O_WRONLY 1 } */
    public static int O_WRONLY() {
        return O_WRONLY;
    }

    private static final int O_RDWR = 2;

    /** {@snippet lang=c : #define O_RDWR 2 } */
    public static int O_RDWR() {
        return O_RDWR;
    }

    private static final int O_CREAT = 0100;

    /** {@snippet lang=c : #define O_CREAT 0100 } */
    public static int O_CREAT() {
        return O_CREAT;
    }

    private static final int O_EXCL = 0200;

    /** {@snippet lang=c : #define O_EXCL 0200 } */
    public static int O_EXCL() {
        return O_EXCL;
    }

    private static final int O_TRUNC = 01000;

    /** {@snippet lang=c : #define O_TRUNC 01000 } */
    public static int O_TRUNC() {
        return O_TRUNC;
    }

    private static final int O_NONBLOCK = 04000;

    /** {@snippet lang=c : #define O_NONBLOCK 04000 } */
    public static int O_NONBLOCK() {
        return O_NONBLOCK;
    }

    private static final int O_CLOEXEC = 02000000;

    /** {@snippet lang=c : #define O_CLOEXEC 02000000 } */
    public static int O_CLOEXEC() {
        return O_CLOEXEC;
    }

    private static final class fallocate {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT, // fd
                C_INT, // mode: 0 allocates the range and extends the file's size to cover it
                off_t, // offset
                off_t); // len
        static final MethodHandle HANDLE = Native.downcallErrno("fallocate", DESC);
    }

    /**
     * Allocates the disk (for tmpfs: memory) of a file's byte range, so that later writes to it
     * cannot fail for lack of space; with mode 0 the file's size grows to cover the range, which
     * reads as zeros. Returns 0 or -1 ({@code ENOSPC} when there is no room, {@code EOPNOTSUPP} on
     * a file system that cannot). Unlike {@code posix_fallocate}, the C library never emulates it
     * by writing every block.
     * {@snippet lang=c : int fallocate(int fd, int mode, off_t offset, off_t len) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int fallocate(int fd, int mode, long offset, long len) {
        try {
            return (int) fallocate.HANDLE.invokeExact(Native.capture(), fd, mode, offset, len);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
