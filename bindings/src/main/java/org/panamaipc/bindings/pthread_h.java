package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Robust, process-shared POSIX mutexes: the part of {@code <pthread.h>} that lets one process
 * hold a lock whose futex word the kernel marks {@code FUTEX_OWNER_DIED} when the holding thread
 * dies (its robust list), so that other processes see the death with a plain load.
 *
 * <p>Unlike most of libc, these functions return the error number itself (0 on success) and leave
 * {@code errno} alone, so none captures it. Mirrors {@code <pthread.h>}; the ABI test checks every
 * constant and {@link CTypes#pthread_mutex_t}'s size against the C compiler's.
 */
public final class pthread_h {

    private pthread_h() {
    }

    private static final int PTHREAD_PROCESS_SHARED = 1;

    /** {@snippet lang=c : PTHREAD_PROCESS_SHARED = 1 } */
    public static int PTHREAD_PROCESS_SHARED() {
        return PTHREAD_PROCESS_SHARED;
    }

    private static final int PTHREAD_MUTEX_ROBUST = 1;

    /** {@snippet lang=c : PTHREAD_MUTEX_ROBUST = 1 } */
    public static int PTHREAD_MUTEX_ROBUST() {
        return PTHREAD_MUTEX_ROBUST;
    }

    private static final class pthread_mutexattr_init {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT,      // return: 0 or an error number
                C_POINTER); // pthread_mutexattr_t *attr
        static final MethodHandle HANDLE = Native.downcall("pthread_mutexattr_init", DESC);
    }

    /**
     * {@snippet lang=c : int pthread_mutexattr_init(pthread_mutexattr_t *attr) }
     * <p>Returns 0 or the error number.
     */
    public static int pthread_mutexattr_init(MemorySegment attr) {
        try {
            return (int) pthread_mutexattr_init.HANDLE.invokeExact(attr);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class pthread_mutexattr_destroy {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT,      // return: 0 or an error number
                C_POINTER); // pthread_mutexattr_t *attr
        static final MethodHandle HANDLE = Native.downcall("pthread_mutexattr_destroy", DESC);
    }

    /**
     * {@snippet lang=c : int pthread_mutexattr_destroy(pthread_mutexattr_t *attr) }
     * <p>Returns 0 or the error number.
     */
    public static int pthread_mutexattr_destroy(MemorySegment attr) {
        try {
            return (int) pthread_mutexattr_destroy.HANDLE.invokeExact(attr);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class pthread_mutexattr_setpshared {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT,     // return: 0 or an error number
                C_POINTER, // pthread_mutexattr_t *attr
                C_INT);    // int pshared: PTHREAD_PROCESS_SHARED
        static final MethodHandle HANDLE = Native.downcall("pthread_mutexattr_setpshared", DESC);
    }

    /**
     * {@snippet lang=c : int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared) }
     * <p>Returns 0 or the error number.
     */
    public static int pthread_mutexattr_setpshared(MemorySegment attr, int pshared) {
        try {
            return (int) pthread_mutexattr_setpshared.HANDLE.invokeExact(attr, pshared);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class pthread_mutexattr_setrobust {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT,     // return: 0 or an error number
                C_POINTER, // pthread_mutexattr_t *attr
                C_INT);    // int robustness: PTHREAD_MUTEX_ROBUST
        static final MethodHandle HANDLE = Native.downcall("pthread_mutexattr_setrobust", DESC);
    }

    /**
     * {@snippet lang=c : int pthread_mutexattr_setrobust(pthread_mutexattr_t *attr, int robustness) }
     * <p>Returns 0 or the error number.
     */
    public static int pthread_mutexattr_setrobust(MemorySegment attr, int robustness) {
        try {
            return (int) pthread_mutexattr_setrobust.HANDLE.invokeExact(attr, robustness);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class pthread_mutex_init {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT,      // return: 0 or an error number
                C_POINTER,  // pthread_mutex_t *mutex
                C_POINTER); // const pthread_mutexattr_t *attr
        static final MethodHandle HANDLE = Native.downcall("pthread_mutex_init", DESC);
    }

    /**
     * {@snippet lang=c : int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr) }
     * <p>Returns 0 or the error number.
     */
    public static int pthread_mutex_init(MemorySegment mutex, MemorySegment attr) {
        try {
            return (int) pthread_mutex_init.HANDLE.invokeExact(mutex, attr);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class pthread_mutex_lock {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT,      // return: 0, EOWNERDEAD, or an error number
                C_POINTER); // pthread_mutex_t *mutex
        /** May block: never critical. */
        static final MethodHandle HANDLE = Native.downcall("pthread_mutex_lock", DESC);
    }

    /**
     * {@snippet lang=c : int pthread_mutex_lock(pthread_mutex_t *mutex) }
     * <p>Returns 0, {@code EOWNERDEAD} for a robust mutex whose holder died, or the error number.
     */
    public static int pthread_mutex_lock(MemorySegment mutex) {
        try {
            return (int) pthread_mutex_lock.HANDLE.invokeExact(mutex);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static final class pthread_mutex_unlock {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_INT,      // return: 0 or an error number
                C_POINTER); // pthread_mutex_t *mutex
        static final MethodHandle HANDLE = Native.downcall("pthread_mutex_unlock", DESC);
    }

    /**
     * {@snippet lang=c : int pthread_mutex_unlock(pthread_mutex_t *mutex) }
     * <p>Returns 0, or {@code EPERM} if the calling thread does not hold the mutex.
     */
    public static int pthread_mutex_unlock(MemorySegment mutex) {
        try {
            return (int) pthread_mutex_unlock.HANDLE.invokeExact(mutex);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
