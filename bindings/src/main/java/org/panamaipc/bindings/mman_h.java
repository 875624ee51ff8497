package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * POSIX shared memory objects and memory mappings.
 *
 * <p>Mirrors {@code <sys/mman.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class mman_h {

    private mman_h() {
    }

    private static final int MFD_CLOEXEC = 0x0001;

    /** {@snippet lang=c : #define MFD_CLOEXEC 0x0001 } {@code memfd_create}: close-on-exec. */
    public static int MFD_CLOEXEC() {
        return MFD_CLOEXEC;
    }

    private static final int MFD_ALLOW_SEALING = 0x0002;

    /** {@snippet lang=c : #define MFD_ALLOW_SEALING 0x0002 } {@code memfd_create}: seals may be added ({@code F_ADD_SEALS}). */
    public static int MFD_ALLOW_SEALING() {
        return MFD_ALLOW_SEALING;
    }

    private static final class memfd_create {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_POINTER, // name: const char *, shown in /proc/PID/fd; not a name others can open,
                C_INT); // flags: MFD_*
        static final MethodHandle HANDLE = Native.downcallErrno("memfd_create", DESC);
    }

    /**
     * Creates an anonymous file in memory, of size 0; returns its descriptor, or -1.
     * {@snippet lang=c : int memfd_create(const char *name, unsigned int flags) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int memfd_create(MemorySegment name, int flags) {
        try {
            return (int) memfd_create.HANDLE.invokeExact(Native.capture(), name, flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final int PROT_NONE = 0;

    /** {@snippet lang=c : #define PROT_NONE 0x0 } */
    public static int PROT_NONE() {
        return PROT_NONE;
    }

    private static final int PROT_READ = 0x1;

    /** {@snippet lang=c : #define PROT_READ 0x1 } */
    public static int PROT_READ() {
        return PROT_READ;
    }

    private static final int PROT_WRITE = 0x2;

    /** {@snippet lang=c : #define PROT_WRITE 0x2 } */
    public static int PROT_WRITE() {
        return PROT_WRITE;
    }

    private static final int MAP_SHARED = 0x01;

    /** {@snippet lang=c : #define MAP_SHARED 0x01 } */
    public static int MAP_SHARED() {
        return MAP_SHARED;
    }

    private static final int MAP_PRIVATE = 0x02;

    /** {@snippet lang=c : #define MAP_PRIVATE 0x02 } */
    public static int MAP_PRIVATE() {
        return MAP_PRIVATE;
    }

    private static final int MAP_POPULATE = 0x08000;

    /** {@snippet lang=c : #define MAP_POPULATE 0x08000 } */
    public static int MAP_POPULATE() {
        return MAP_POPULATE;
    }

    private static final int MAP_NORESERVE = 0x04000;

    /** {@snippet lang=c : #define MAP_NORESERVE 0x04000 } */
    public static int MAP_NORESERVE() {
        return MAP_NORESERVE;
    }

    private static final MemorySegment MAP_FAILED = MemorySegment.ofAddress(-1L);

    /** {@snippet lang=c : #define MAP_FAILED ((void *) -1) } */
    public static MemorySegment MAP_FAILED() {
        return MAP_FAILED;
    }

    private static final int MS_ASYNC = 1;

    /** {@snippet lang=c : #define MS_ASYNC 1 } */
    public static int MS_ASYNC() {
        return MS_ASYNC;
    }

    private static final int MS_INVALIDATE = 2;

    /** {@snippet lang=c : #define MS_INVALIDATE 2 } */
    public static int MS_INVALIDATE() {
        return MS_INVALIDATE;
    }

    private static final int MS_SYNC = 4;

    /** {@snippet lang=c : #define MS_SYNC 4 } */
    public static int MS_SYNC() {
        return MS_SYNC;
    }

    private static final int MADV_NORMAL = 0;

    /** {@snippet lang=c : #define MADV_NORMAL 0 } */
    public static int MADV_NORMAL() {
        return MADV_NORMAL;
    }

    private static final int MADV_RANDOM = 1;

    /** {@snippet lang=c : #define MADV_RANDOM 1 } */
    public static int MADV_RANDOM() {
        return MADV_RANDOM;
    }

    private static final int MADV_SEQUENTIAL = 2;

    /** {@snippet lang=c : #define MADV_SEQUENTIAL 2 } */
    public static int MADV_SEQUENTIAL() {
        return MADV_SEQUENTIAL;
    }

    private static final int MADV_WILLNEED = 3;

    /** {@snippet lang=c : #define MADV_WILLNEED 3 } */
    public static int MADV_WILLNEED() {
        return MADV_WILLNEED;
    }

    private static final int MADV_DONTNEED = 4;

    /** {@snippet lang=c : #define MADV_DONTNEED 4 } */
    public static int MADV_DONTNEED() {
        return MADV_DONTNEED;
    }

    private static final int MADV_REMOVE = 9;

    /** {@snippet lang=c : #define MADV_REMOVE 9 } */
    public static int MADV_REMOVE() {
        return MADV_REMOVE;
    }

    private static final class shm_open {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_POINTER, // name: const char *, NUL-terminated, "/name"
                C_INT, // oflag: O_* flags
                mode_t); // mode: permission bits, used with O_CREAT
        static final MethodHandle HANDLE = Native.downcallErrno("shm_open", DESC);
    }

    /**
     * Opens or creates a POSIX shared memory object; returns a file descriptor, or -1.
     * {@snippet lang=c : int shm_open(const char *name, int oflag, mode_t mode) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int shm_open(MemorySegment name, int oflag, int mode) {
        try {
            return (int) shm_open.HANDLE.invokeExact(Native.capture(), name, oflag, mode);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class shm_unlink {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_POINTER); // name: const char *
        static final MethodHandle HANDLE = Native.downcallErrno("shm_unlink", DESC);
    }

    /**
     * Removes a shared memory object's name; mappings stay valid. Returns 0 or -1.
     * {@snippet lang=c : int shm_unlink(const char *name) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int shm_unlink(MemorySegment name) {
        try {
            return (int) shm_unlink.HANDLE.invokeExact(Native.capture(), name);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class mmap {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_POINTER, // return
                C_POINTER, // addr: hint, NULL
                size_t, // length
                C_INT, // prot: PROT_*
                C_INT, // flags: MAP_*
                C_INT, // fd
                off_t); // offset: multiple of the page size
        static final MethodHandle HANDLE = Native.downcallErrno("mmap", DESC);
    }

    /**
     * Maps a file into memory. Returns a zero-length segment at the mapping's address (reinterpret it to {@code length}), or {@link #MAP_FAILED()}.
     * {@snippet lang=c : void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static MemorySegment mmap(MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        try {
            return (MemorySegment) mmap.HANDLE.invokeExact(Native.capture(), addr, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class munmap {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_POINTER, // addr
                size_t); // length
        static final MethodHandle HANDLE = Native.downcallErrno("munmap", DESC);
    }

    /**
     * Removes a mapping. Returns 0 or -1.
     * {@snippet lang=c : int munmap(void *addr, size_t length) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int munmap(MemorySegment addr, long length) {
        try {
            return (int) munmap.HANDLE.invokeExact(Native.capture(), addr, length);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class msync {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_POINTER, // addr
                size_t, // length
                C_INT); // flags: MS_*
        static final MethodHandle HANDLE = Native.downcallErrno("msync", DESC);
    }

    /**
     * Flushes a mapping to its file. Returns 0 or -1.
     * {@snippet lang=c : int msync(void *addr, size_t length, int flags) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int msync(MemorySegment addr, long length, int flags) {
        try {
            return (int) msync.HANDLE.invokeExact(Native.capture(), addr, length, flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class madvise {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_POINTER, // addr
                size_t, // length
                C_INT); // advice: MADV_*
        static final MethodHandle HANDLE = Native.downcallErrno("madvise", DESC);
    }

    /**
     * Advises the kernel how a mapping will be used. Returns 0 or -1.
     * {@snippet lang=c : int madvise(void *addr, size_t length, int advice) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int madvise(MemorySegment addr, long length, int advice) {
        try {
            return (int) madvise.HANDLE.invokeExact(Native.capture(), addr, length, advice);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
