package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * File status and permission bits.
 *
 * <p>Mirrors {@code <sys/stat.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class stat_h {

    private stat_h() {
    }

    private static final int S_IFIFO = 0010000;

    /** {@snippet lang=c : #define S_IFIFO 0010000 } File type: a FIFO (named pipe). */
    public static int S_IFIFO() {
        return S_IFIFO;
    }

    private static final int S_IFSOCK = 0140000;

    /** {@snippet lang=c : #define S_IFSOCK 0140000 } File type: a socket. */
    public static int S_IFSOCK() {
        return S_IFSOCK;
    }

    private static final class mkfifo {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_POINTER, // path: const char *,
                mode_t); // mode: permission bits, less the umask
        static final MethodHandle HANDLE = Native.downcallErrno("mkfifo", DESC);
    }

    /**
     * Creates a FIFO (named pipe). Returns 0 or -1.
     * {@snippet lang=c : int mkfifo(const char *path, mode_t mode) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int mkfifo(MemorySegment path, int mode) {
        try {
            return (int) mkfifo.HANDLE.invokeExact(Native.capture(), path, mode);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class chmod {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_POINTER, // path: const char *,
                mode_t); // mode
        static final MethodHandle HANDLE = Native.downcallErrno("chmod", DESC);
    }

    /**
     * Changes the permission bits of the file at {@code path}. Returns 0 or -1.
     * {@snippet lang=c : int chmod(const char *path, mode_t mode) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int chmod(MemorySegment path, int mode) {
        try {
            return (int) chmod.HANDLE.invokeExact(Native.capture(), path, mode);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final int S_IRUSR = 0400;

    /** {@snippet lang=c : #define S_IRUSR 0400 } */
    public static int S_IRUSR() {
        return S_IRUSR;
    }

    private static final int S_IWUSR = 0200;

    /** {@snippet lang=c : #define S_IWUSR 0200 } */
    public static int S_IWUSR() {
        return S_IWUSR;
    }

    private static final int S_IRGRP = 040;

    /** {@snippet lang=c : #define S_IRGRP 040 } */
    public static int S_IRGRP() {
        return S_IRGRP;
    }

    private static final int S_IWGRP = 020;

    /** {@snippet lang=c : #define S_IWGRP 020 } */
    public static int S_IWGRP() {
        return S_IWGRP;
    }

    private static final int S_IROTH = 04;

    /** {@snippet lang=c : #define S_IROTH 04 } */
    public static int S_IROTH() {
        return S_IROTH;
    }

    private static final int S_IWOTH = 02;

    /** {@snippet lang=c : #define S_IWOTH 02 } */
    public static int S_IWOTH() {
        return S_IWOTH;
    }

    private static final int S_IFMT = 0170000;

    /** {@snippet lang=c : #define S_IFMT 0170000 } */
    public static int S_IFMT() {
        return S_IFMT;
    }

    private static final int S_IFREG = 0100000;

    /** {@snippet lang=c : #define S_IFREG 0100000 } */
    public static int S_IFREG() {
        return S_IFREG;
    }

    private static final class fstat {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT, // fd
                C_POINTER); // statbuf: struct stat *
        static final MethodHandle HANDLE = Native.downcallErrno("fstat", DESC);
    }

    /**
     * Reads a file's status into a {@link stat}. Returns 0 or -1.
     * {@snippet lang=c : int fstat(int fd, struct stat *statbuf) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int fstat(int fd, MemorySegment statbuf) {
        try {
            return (int) fstat.HANDLE.invokeExact(Native.capture(), fd, statbuf);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class fchmod {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT, // fd
                mode_t); // mode
        static final MethodHandle HANDLE = Native.downcallErrno("fchmod", DESC);
    }

    /**
     * Changes a file's permission bits. Returns 0 or -1.
     * {@snippet lang=c : int fchmod(int fd, mode_t mode) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int fchmod(int fd, int mode) {
        try {
            return (int) fchmod.HANDLE.invokeExact(Native.capture(), fd, mode);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
