package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Flags for {@code open}, {@code shm_open} and {@code mq_open}; {@code open} itself, {@code fallocate}, and
 * {@code fcntl} for file status flags, duplicating descriptors and the seals of a memfd.
 *
 * <p>Mirrors {@code <fcntl.h>}; every value is checked against the C compiler's by the ABI test.
 */
public final class fcntl_h {

    private fcntl_h() {
    }

    private static final int O_ACCMODE = 03;

    /** {@snippet lang=c : #define O_ACCMODE 03 } Masks the access mode out of the flags {@code F_GETFL} returns. */
    public static int O_ACCMODE() {
        return O_ACCMODE;
    }

    private static final int O_PATH = 010000000;

    /** {@snippet lang=c : #define O_PATH 010000000 } Opens a location in the file tree without opening the file (no read or write). */
    public static int O_PATH() {
        return O_PATH;
    }

    private static final int O_NOFOLLOW = 0400000;

    /** {@snippet lang=c : #define O_NOFOLLOW 0400000 } Fails with {@code ELOOP} if the last component is a symbolic link (with {@code O_PATH}: opens the link itself). */
    public static int O_NOFOLLOW() {
        return O_NOFOLLOW;
    }

    private static final int F_GETFL = 3;

    /** {@snippet lang=c : #define F_GETFL 3 } {@code fcntl}: reads the file status flags. */
    public static int F_GETFL() {
        return F_GETFL;
    }

    private static final int F_SETFL = 4;

    /** {@snippet lang=c : #define F_SETFL 4 } {@code fcntl}: sets the file status flags ({@code O_NONBLOCK}). */
    public static int F_SETFL() {
        return F_SETFL;
    }

    private static final int F_DUPFD_CLOEXEC = 1030;

    /** {@snippet lang=c : #define F_DUPFD_CLOEXEC 1030 } {@code fcntl}: duplicates the descriptor, close-on-exec. */
    public static int F_DUPFD_CLOEXEC() {
        return F_DUPFD_CLOEXEC;
    }

    private static final int F_ADD_SEALS = 1033;

    /** {@snippet lang=c : #define F_ADD_SEALS 1033 } {@code fcntl}: adds seals to a memfd. */
    public static int F_ADD_SEALS() {
        return F_ADD_SEALS;
    }

    private static final int F_GET_SEALS = 1034;

    /** {@snippet lang=c : #define F_GET_SEALS 1034 } {@code fcntl}: reads a file's seals. */
    public static int F_GET_SEALS() {
        return F_GET_SEALS;
    }

    private static final int F_SEAL_SEAL = 0x0001;

    /** {@snippet lang=c : #define F_SEAL_SEAL 0x0001 } No more seals may be added. */
    public static int F_SEAL_SEAL() {
        return F_SEAL_SEAL;
    }

    private static final int F_SEAL_SHRINK = 0x0002;

    /** {@snippet lang=c : #define F_SEAL_SHRINK 0x0002 } The file may not shrink. */
    public static int F_SEAL_SHRINK() {
        return F_SEAL_SHRINK;
    }

    private static final int F_SEAL_GROW = 0x0004;

    /** {@snippet lang=c : #define F_SEAL_GROW 0x0004 } The file may not grow. */
    public static int F_SEAL_GROW() {
        return F_SEAL_GROW;
    }

    private static final int F_SEAL_WRITE = 0x0008;

    /** {@snippet lang=c : #define F_SEAL_WRITE 0x0008 } The file may not be written, through any mapping or call. */
    public static int F_SEAL_WRITE() {
        return F_SEAL_WRITE;
    }

    private static final int F_SEAL_FUTURE_WRITE = 0x0010;

    /** {@snippet lang=c : #define F_SEAL_FUTURE_WRITE 0x0010 } No new writable mapping or write; existing writable mappings keep working. */
    public static int F_SEAL_FUTURE_WRITE() {
        return F_SEAL_FUTURE_WRITE;
    }

    private static final class open {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return: a file descriptor, or -1
                C_POINTER, // path: const char *, NUL-terminated
                C_INT, // flags: O_*
                mode_t); // variadic: mode_t mode, used with O_CREAT
        /** May block (a FIFO waits for its other end): never critical. */
        static final MethodHandle HANDLE = Native.downcallErrno("open", DESC, Linker.Option.firstVariadicArg(2));
    }

    /**
     * Opens a file; returns a file descriptor, or -1. Opening a FIFO without {@code O_NONBLOCK}
     * waits for the other end; a signal ends the wait with {@code EINTR} when its handler does not
     * restart calls.
     * {@snippet lang=c : int open(const char *path, int flags, ...) }
     * <p>The variadic {@code mode} is always passed (it is read only with {@code O_CREAT}).
     * On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int open(MemorySegment path, int flags, int mode) {
        try {
            return (int) open.HANDLE.invokeExact(Native.capture(), path, flags, mode);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class fcntl {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return: depends on cmd; -1 on failure
                C_INT, // fd
                C_INT, // cmd: F_*
                C_INT); // variadic: int arg (flags, seals, lowest new descriptor)
        static final MethodHandle HANDLE = Native.downcallErrno("fcntl", DESC, Linker.Option.firstVariadicArg(2));
    }

    /**
     * Performs {@code cmd} on a descriptor, with an {@code int} argument (the commands bound here,
     * {@code F_GETFL}, {@code F_SETFL}, {@code F_DUPFD_CLOEXEC}, {@code F_ADD_SEALS} and
     * {@code F_GET_SEALS}, take an {@code int} or nothing, and none of them blocks).
     * {@snippet lang=c : int fcntl(int fd, int cmd, ...) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int fcntl(int fd, int cmd, int arg) {
        try {
            return (int) fcntl.HANDLE.invokeExact(Native.capture(), fd, cmd, arg);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
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
