package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * System calls that libc does not wrap, reached through the variadic
 * {@snippet lang=c : long syscall(long number, ...) }
 * with one downcall handle per argument shape. {@link futex_h} builds on the futex shape.
 *
 * <p>Mirrors {@code <sys/syscall.h>}; the ABI test checks the numbers against the C compiler's.
 */
public final class syscall_h {

    private syscall_h() {
    }

    private static final long SYS_futex = 202L;

    /** {@snippet lang=c : #define SYS_futex 202 } */
    public static long SYS_futex() {
        return SYS_futex;
    }

    private static final long SYS_pidfd_open = 434L;

    /** {@snippet lang=c : #define SYS_pidfd_open 434 } */
    public static long SYS_pidfd_open() {
        return SYS_pidfd_open;
    }

    private static final long SYS_futex_waitv = 449L;

    /** {@snippet lang=c : #define SYS_futex_waitv 449 } */
    public static long SYS_futex_waitv() {
        return SYS_futex_waitv;
    }

    private static final long SYS_gettid = 186L;

    /** {@snippet lang=c : #define SYS_gettid 186 } */
    public static long SYS_gettid() {
        return SYS_gettid;
    }

    private static final long SYS_tgkill = 234L;

    /** {@snippet lang=c : #define SYS_tgkill 234 } */
    public static long SYS_tgkill() {
        return SYS_tgkill;
    }

    private static final long SYS_membarrier = 324L;

    /** {@snippet lang=c : #define SYS_membarrier 324 } */
    public static long SYS_membarrier() {
        return SYS_membarrier;
    }

    private static final int MEMBARRIER_CMD_QUERY = 0;

    /** {@snippet lang=c : MEMBARRIER_CMD_QUERY = 0 } (enum membarrier_cmd, {@code <linux/membarrier.h>}) */
    public static int MEMBARRIER_CMD_QUERY() {
        return MEMBARRIER_CMD_QUERY;
    }

    private static final int MEMBARRIER_CMD_GLOBAL = 1;

    /** {@snippet lang=c : MEMBARRIER_CMD_GLOBAL = 1 } (enum membarrier_cmd, {@code <linux/membarrier.h>}) */
    public static int MEMBARRIER_CMD_GLOBAL() {
        return MEMBARRIER_CMD_GLOBAL;
    }

    /** {@code syscall(SYS_futex, uaddr, futex_op, val, timeout, uaddr2, val3)} */
    static final class futex {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_LONG,    // return: 0, woken count, or -1
                C_LONG,    // long number: SYS_futex
                C_POINTER, // variadic: uint32_t *uaddr, 4-byte aligned
                C_INT,     // variadic: int futex_op
                C_INT,     // variadic: uint32_t val
                C_POINTER, // variadic: const struct timespec *timeout, or NULL
                C_POINTER, // variadic: uint32_t *uaddr2
                C_INT);    // variadic: uint32_t val3
        /** May block: never critical. */
        static final MethodHandle HANDLE =
                Native.downcallErrno("syscall", DESC, Linker.Option.firstVariadicArg(1));
        /** FUTEX_WAKE does not block; a critical call skips the thread-state transition. */
        static final MethodHandle CRITICAL = Native.downcallErrno("syscall", DESC,
                Linker.Option.firstVariadicArg(1), Linker.Option.critical(false));
    }

    /** {@code syscall(SYS_futex_waitv, waiters, nr_futexes, flags, timeout, clockid)} */
    static final class futex_waitv {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_LONG,    // return: the index of the woken futex, or -1
                C_LONG,    // long number: SYS_futex_waitv
                C_POINTER, // variadic: struct futex_waitv *waiters
                C_INT,     // variadic: unsigned int nr_futexes, 1..FUTEX_WAITV_MAX
                C_INT,     // variadic: unsigned int flags, 0
                C_POINTER, // variadic: struct timespec *timeout, absolute, or NULL
                C_INT);    // variadic: clockid_t clockid, CLOCK_MONOTONIC or CLOCK_REALTIME
        /** May block: never critical. */
        static final MethodHandle HANDLE =
                Native.downcallErrno("syscall", DESC, Linker.Option.firstVariadicArg(1));
    }

    private static final class pidfd_open {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_LONG, // return: a file descriptor, or -1
                C_LONG, // long number: SYS_pidfd_open
                pid_t,  // variadic: pid_t pid
                C_INT); // variadic: unsigned int flags, 0
        static final MethodHandle HANDLE =
                Native.downcallErrno("syscall", DESC, Linker.Option.firstVariadicArg(1));
    }

    /**
     * Opens a file descriptor that refers to process {@code pid} (Linux 5.3 and later): it stays
     * bound to that process even if the pid is reused, and {@code poll} reports it readable once
     * the process has exited.
     * {@snippet lang=c : int pidfd_open(pid_t pid, unsigned int flags) }
     * <p>Returns the descriptor, or -1 with the cause in {@link errno_h#errno()} ({@code ENOSYS}
     * on older kernels, {@code ESRCH} if no such process exists).
     */
    public static int pidfd_open(int pid, int flags) {
        try {
            return (int) (long) pidfd_open.HANDLE.invokeExact(Native.capture(), SYS_pidfd_open, pid, flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class gettid {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_LONG,  // return: the caller's thread id
                C_LONG); // long number: SYS_gettid
        /** Cannot block or fail: critical, no errno. */
        static final MethodHandle HANDLE =
                Native.downcall("syscall", DESC, Linker.Option.firstVariadicArg(1), Linker.Option.critical(false));
    }

    /**
     * {@return the calling thread's kernel thread id (the {@code tid} that {@link #tgkill} takes)}
     * {@snippet lang=c : pid_t gettid(void) }
     */
    public static int gettid() {
        try {
            return (int) (long) gettid.HANDLE.invokeExact(SYS_gettid);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class membarrier {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_LONG, // return: 0 (QUERY: a bit mask of the commands), or -1
                C_LONG, // long number: SYS_membarrier
                C_INT,  // variadic: int cmd, a MEMBARRIER_CMD_*
                C_INT); // variadic: unsigned int flags, 0
        /** Waits for every CPU to pass a barrier (microseconds to milliseconds): never critical. */
        static final MethodHandle HANDLE =
                Native.downcallErrno("syscall", DESC, Linker.Option.firstVariadicArg(1));
    }

    /**
     * Issues a memory barrier on a set of threads (Linux 4.3 and later; {@code MEMBARRIER_CMD_GLOBAL}
     * since 4.16): with {@link #MEMBARRIER_CMD_GLOBAL()}, every thread of every process passes a
     * state where its memory accesses match program order before the call returns, so the caller
     * may pair it with no more than a compiler barrier on the other side.
     * {@snippet lang=c : int membarrier(int cmd, unsigned int flags) }
     * <p>Returns 0 (for {@code MEMBARRIER_CMD_QUERY}, the supported commands as a bit mask), or -1
     * with the cause in {@link errno_h#errno()} ({@code ENOSYS} on older kernels, {@code EINVAL}
     * for an unsupported command, {@code EPERM} under a seccomp filter that forbids it).
     */
    public static int membarrier(int cmd, int flags) {
        try {
            return (int) (long) membarrier.HANDLE.invokeExact(Native.capture(), SYS_membarrier, cmd, flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class tgkill {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_LONG,  // return: 0 or -1
                C_LONG,  // long number: SYS_tgkill
                pid_t,   // variadic: pid_t tgid, the thread's process
                pid_t,   // variadic: pid_t tid, the thread
                C_INT);  // variadic: int sig
        static final MethodHandle HANDLE =
                Native.downcallErrno("syscall", DESC, Linker.Option.firstVariadicArg(1));
    }

    /**
     * Sends signal {@code sig} to thread {@code tid} of process {@code tgid}. Returns 0 or -1.
     * {@snippet lang=c : int tgkill(pid_t tgid, pid_t tid, int sig) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()} ({@code ESRCH}
     * if no such thread is in that process).
     */
    public static int tgkill(int tgid, int tid, int sig) {
        try {
            return (int) (long) tgkill.HANDLE.invokeExact(Native.capture(), SYS_tgkill, tgid, tid, sig);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
