package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Signals: sending one to a process (or probing it with 0), and the notification struct of {@code mq_notify}.
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
