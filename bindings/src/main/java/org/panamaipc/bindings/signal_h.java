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
