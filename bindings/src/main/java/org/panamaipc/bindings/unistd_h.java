package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * File descriptors, process ids and system configuration.
 *
 * <p>Mirrors {@code <unistd.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class unistd_h {

    private unistd_h() {
    }

    private static final class unlink {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_POINTER); // path: const char *
        static final MethodHandle HANDLE = Native.downcallErrno("unlink", DESC);
    }

    /**
     * Removes a name from the file system; the file goes when no process has it open. Returns 0 or -1.
     * {@snippet lang=c : int unlink(const char *path) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int unlink(MemorySegment path) {
        try {
            return (int) unlink.HANDLE.invokeExact(Native.capture(), path);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class read {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                ssize_t, // return,
                C_INT, // fd,
                C_POINTER, // buf: void *,
                size_t); // count
        static final MethodHandle HANDLE = Native.downcallErrno("read", DESC);
    }

    /**
     * Reads up to {@code count} bytes; returns how many were read, 0 at the end of the file, or -1.
     * {@snippet lang=c : ssize_t read(int fd, void *buf, size_t count) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static long read(int fd, MemorySegment buf, long count) {
        try {
            return (long) read.HANDLE.invokeExact(Native.capture(), fd, buf, count);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class write {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                ssize_t, // return,
                C_INT, // fd,
                C_POINTER, // buf: const void *,
                size_t); // count
        static final MethodHandle HANDLE = Native.downcallErrno("write", DESC);
    }

    /**
     * Writes up to {@code count} bytes; returns how many were written, or -1. Writing to a pipe or FIFO without a reader raises {@code SIGPIPE} in the calling thread and fails with {@code EPIPE}.
     * {@snippet lang=c : ssize_t write(int fd, const void *buf, size_t count) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static long write(int fd, MemorySegment buf, long count) {
        try {
            return (long) write.HANDLE.invokeExact(Native.capture(), fd, buf, count);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class getuid {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                uid_t); // return
        static final MethodHandle HANDLE = Native.downcall("getuid", DESC, java.lang.foreign.Linker.Option.critical(false));
    }

    /**
     * Returns the real user id of the calling process; cannot fail.
     * {@snippet lang=c : uid_t getuid(void) }
     */
    public static int getuid() {
        try {
            return (int) getuid.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class geteuid {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                uid_t); // return
        static final MethodHandle HANDLE = Native.downcall("geteuid", DESC, java.lang.foreign.Linker.Option.critical(false));
    }

    /**
     * Returns the effective user id of the calling process; cannot fail.
     * {@snippet lang=c : uid_t geteuid(void) }
     */
    public static int geteuid() {
        try {
            return (int) geteuid.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class getgid {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                gid_t); // return
        static final MethodHandle HANDLE = Native.downcall("getgid", DESC, java.lang.foreign.Linker.Option.critical(false));
    }

    /**
     * Returns the real group id of the calling process; cannot fail.
     * {@snippet lang=c : gid_t getgid(void) }
     */
    public static int getgid() {
        try {
            return (int) getgid.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final int _SC_CLK_TCK = 2;

    /** {@snippet lang=c : #define _SC_CLK_TCK 2 } */
    public static int _SC_CLK_TCK() {
        return _SC_CLK_TCK;
    }

    private static final int _SC_PAGESIZE = 30;

    /** {@snippet lang=c : #define _SC_PAGESIZE 30 } */
    public static int _SC_PAGESIZE() {
        return _SC_PAGESIZE;
    }

    private static final int _SC_NPROCESSORS_ONLN = 84;

    /** {@snippet lang=c : #define _SC_NPROCESSORS_ONLN 84 } */
    public static int _SC_NPROCESSORS_ONLN() {
        return _SC_NPROCESSORS_ONLN;
    }

    private static final class ftruncate {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT, // fd
                off_t); // length
        static final MethodHandle HANDLE = Native.downcallErrno("ftruncate", DESC);
    }

    /**
     * Sets a file's size. Returns 0 or -1.
     * {@snippet lang=c : int ftruncate(int fd, off_t length) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int ftruncate(int fd, long length) {
        try {
            return (int) ftruncate.HANDLE.invokeExact(Native.capture(), fd, length);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class close {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT); // fd
        static final MethodHandle HANDLE = Native.downcallErrno("close", DESC);
    }

    /**
     * Closes a file descriptor. Returns 0 or -1.
     * {@snippet lang=c : int close(int fd) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int close(int fd) {
        try {
            return (int) close.HANDLE.invokeExact(Native.capture(), fd);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class getpid {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                pid_t); // return
        static final MethodHandle HANDLE = Native.downcall("getpid", DESC, java.lang.foreign.Linker.Option.critical(false));
    }

    /**
     * Returns the calling process's id; cannot fail.
     * {@snippet lang=c : pid_t getpid(void) }
     */
    public static int getpid() {
        try {
            return (int) getpid.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class sysconf {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_LONG, // return
                C_INT); // name: _SC_*
        static final MethodHandle HANDLE = Native.downcallErrno("sysconf", DESC);
    }

    /**
     * Returns a configuration value, or -1.
     * {@snippet lang=c : long sysconf(int name) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static long sysconf(int name) {
        try {
            return (long) sysconf.HANDLE.invokeExact(Native.capture(), name);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
