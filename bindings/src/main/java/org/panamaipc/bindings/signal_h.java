package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Signals: sending one to a process (or probing it with 0), reading a signal's disposition
 * ({@code sigaction} with a null new action), and the notification struct of {@code mq_notify}.
 *
 * <p>Mirrors {@code <signal.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class signal_h {

    private signal_h() {
    }

    private static final int SIGPIPE = 13;

    /** {@snippet lang=c : #define SIGPIPE 13 } Raised by a write to a pipe, FIFO or socket whose reader has gone. */
    public static int SIGPIPE() {
        return SIGPIPE;
    }

    private static final int SIG_BLOCK = 0;

    /** {@snippet lang=c : #define SIG_BLOCK 0 } {@code pthread_sigmask}: add to the mask. */
    public static int SIG_BLOCK() {
        return SIG_BLOCK;
    }

    private static final int SIG_SETMASK = 2;

    /** {@snippet lang=c : #define SIG_SETMASK 2 } {@code pthread_sigmask}: replace the mask. */
    public static int SIG_SETMASK() {
        return SIG_SETMASK;
    }

    private static final class pthread_sigmask {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_INT, // how: SIG_*,
                C_POINTER, // set: const sigset_t *, or NULL,
                C_POINTER); // oldset: sigset_t *, or NULL; receives the mask before
        static final MethodHandle HANDLE = Native.downcall("pthread_sigmask", DESC);
    }

    /**
     * Examines and changes the calling thread's mask of blocked signals. Returns 0, or an error number (it does not set errno).
     * {@snippet lang=c : int pthread_sigmask(int how, const sigset_t *set, sigset_t *oldset) }
     */
    public static int pthread_sigmask(int how, MemorySegment set, MemorySegment oldset) {
        try {
            return (int) pthread_sigmask.HANDLE.invokeExact(how, set, oldset);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class sigemptyset {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_POINTER); // set: sigset_t *
        static final MethodHandle HANDLE = Native.downcallErrno("sigemptyset", DESC);
    }

    /**
     * Empties a signal set. Returns 0 or -1.
     * {@snippet lang=c : int sigemptyset(sigset_t *set) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int sigemptyset(MemorySegment set) {
        try {
            return (int) sigemptyset.HANDLE.invokeExact(Native.capture(), set);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class sigaddset {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_POINTER, // set: sigset_t *,
                C_INT); // signum
        static final MethodHandle HANDLE = Native.downcallErrno("sigaddset", DESC);
    }

    /**
     * Adds a signal to a set. Returns 0 or -1.
     * {@snippet lang=c : int sigaddset(sigset_t *set, int signum) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int sigaddset(MemorySegment set, int signum) {
        try {
            return (int) sigaddset.HANDLE.invokeExact(Native.capture(), set, signum);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class sigismember {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_POINTER, // set: const sigset_t *,
                C_INT); // signum
        static final MethodHandle HANDLE = Native.downcallErrno("sigismember", DESC);
    }

    /**
     * Returns 1 if the signal is in the set, 0 if not, or -1.
     * {@snippet lang=c : int sigismember(const sigset_t *set, int signum) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int sigismember(MemorySegment set, int signum) {
        try {
            return (int) sigismember.HANDLE.invokeExact(Native.capture(), set, signum);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class sigtimedwait {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return,
                C_POINTER, // set: const sigset_t *: the signals to take,
                C_POINTER, // info: siginfo_t *, or NULL,
                C_POINTER); // timeout: const struct timespec *; zero to take only a pending one
        static final MethodHandle HANDLE = Native.downcallErrno("sigtimedwait", DESC);
    }

    /**
     * Takes a pending signal of {@code set} off the calling thread (or the process), waiting at most {@code timeout}; returns the signal's number, or -1 ({@code EAGAIN} when none came).
     * {@snippet lang=c : int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int sigtimedwait(MemorySegment set, MemorySegment info, MemorySegment timeout) {
        try {
            return (int) sigtimedwait.HANDLE.invokeExact(Native.capture(), set, info, timeout);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final int SIGUSR1 = 10;

    /** {@snippet lang=c : #define SIGUSR1 10 } */
    public static int SIGUSR1() {
        return SIGUSR1;
    }

    private static final int SIGKILL = 9;

    /** {@snippet lang=c : #define SIGKILL 9 } */
    public static int SIGKILL() {
        return SIGKILL;
    }

    private static final int SIGTERM = 15;

    /** {@snippet lang=c : #define SIGTERM 15 } */
    public static int SIGTERM() {
        return SIGTERM;
    }

    private static final int SIGEV_SIGNAL = 0;

    /** {@snippet lang=c : #define SIGEV_SIGNAL 0 } */
    public static int SIGEV_SIGNAL() {
        return SIGEV_SIGNAL;
    }

    private static final int SIGEV_NONE = 1;

    /** {@snippet lang=c : #define SIGEV_NONE 1 } */
    public static int SIGEV_NONE() {
        return SIGEV_NONE;
    }

    private static final int SIGEV_THREAD = 2;

    /** {@snippet lang=c : #define SIGEV_THREAD 2 } */
    public static int SIGEV_THREAD() {
        return SIGEV_THREAD;
    }

    private static final int SIGEV_THREAD_ID = 4;

    /** {@snippet lang=c : #define SIGEV_THREAD_ID 4 } */
    public static int SIGEV_THREAD_ID() {
        return SIGEV_THREAD_ID;
    }

    private static final int SA_RESTART = 0x10000000;

    /** {@snippet lang=c : #define SA_RESTART 0x10000000 } */
    public static int SA_RESTART() {
        return SA_RESTART;
    }

    private static final MemorySegment SIG_DFL = MemorySegment.ofAddress(0L);

    /** {@snippet lang=c : #define SIG_DFL ((__sighandler_t) 0) } */
    public static MemorySegment SIG_DFL() {
        return SIG_DFL;
    }

    private static final MemorySegment SIG_IGN = MemorySegment.ofAddress(1L);

    /** {@snippet lang=c : #define SIG_IGN ((__sighandler_t) 1) } */
    public static MemorySegment SIG_IGN() {
        return SIG_IGN;
    }

    private static final class __libc_current_sigrtmax {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT); // return: the highest real-time signal number
        static final MethodHandle HANDLE = Native.downcall("__libc_current_sigrtmax", DESC, Linker.Option.critical(false));
    }

    /**
     * {@return the highest real-time signal number} glibc's {@code SIGRTMAX} macro is this call, so
     * jextract cannot turn it into a constant; this is the function the macro calls.
     * {@snippet lang=c : #define SIGRTMAX (__libc_current_sigrtmax ()) }
     */
    public static int SIGRTMAX() {
        try {
            return (int) __libc_current_sigrtmax.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class sigaction {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                C_INT, // sig
                C_POINTER, // act: const struct sigaction *, or NULL to leave the action as it is
                C_POINTER); // oact: struct sigaction *, or NULL; receives the action in force
        static final MethodHandle HANDLE = Native.downcallErrno("sigaction", DESC);
    }

    /**
     * Examines and changes the action for a signal. Returns 0 or -1.
     * {@snippet lang=c : int sigaction(int sig, const struct sigaction *act, struct sigaction *oact) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int sigaction(int sig, MemorySegment act, MemorySegment oact) {
        try {
            return (int) sigaction.HANDLE.invokeExact(Native.capture(), sig, act, oact);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class kill {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT, // return
                pid_t, // pid
                C_INT); // sig: 0 probes whether the process exists
        static final MethodHandle HANDLE = Native.downcallErrno("kill", DESC);
    }

    /**
     * Sends a signal. Returns 0 or -1.
     * {@snippet lang=c : int kill(pid_t pid, int sig) }
     * <p>On failure returns as C does and leaves the cause in {@link errno_h#errno()}.
     */
    public static int kill(int pid, int sig) {
        try {
            return (int) kill.HANDLE.invokeExact(Native.capture(), pid, sig);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
