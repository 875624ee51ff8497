package org.panamaipc.message;

import org.panamaipc.IpcException;
import org.panamaipc.IpcInterruptedException;
import org.panamaipc.bindings.CTypes;
import org.panamaipc.bindings.pthread_h;
import org.panamaipc.internal.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The thread of this process that holds the owner locks of the ports it owns
 * ({@link MailboxDescriptor}): a robust mutex belongs to the thread that locked it, and the kernel
 * marks it when that thread dies, so it must be a thread that lives as long as the process and
 * does nothing else. It locks a port's mutex when the port is created and unlocks it when the
 * port is closed; in between it waits for the next request.
 */
final class OwnerKeeper {

    private static final long REQUEST_TIMEOUT_SECONDS = 10;

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pipc-port-owner");
        thread.setDaemon(true);
        return thread;
    });

    private OwnerKeeper() {
    }

    /** Initialises the robust, process-shared mutex at {@code lock} and locks it from the keeper thread. */
    static void initializeAndLock(MemorySegment lock, String port) {
        run(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment attributes = arena.allocate(CTypes.pthread_mutexattr_t);
                check(pthread_h.pthread_mutexattr_init(attributes), "initialise the owner lock of", port);
                try {
                    check(pthread_h.pthread_mutexattr_setpshared(attributes, pthread_h.PTHREAD_PROCESS_SHARED()),
                            "share the owner lock of", port);
                    check(pthread_h.pthread_mutexattr_setrobust(attributes, pthread_h.PTHREAD_MUTEX_ROBUST()),
                            "make robust the owner lock of", port);
                    check(pthread_h.pthread_mutex_init(lock, attributes), "initialise the owner lock of", port);
                } finally {
                    pthread_h.pthread_mutexattr_destroy(attributes);
                }
            }
            check(pthread_h.pthread_mutex_lock(lock), "lock the owner lock of", port);
        }, port);
    }

    /** Unlocks the mutex at {@code lock} from the keeper thread, which holds it. */
    static void unlock(MemorySegment lock, String port) {
        run(() -> check(pthread_h.pthread_mutex_unlock(lock), "unlock the owner lock of", port), port);
    }

    private static void check(int error, String action, String port) {
        if (error != 0) {
            throw new IpcException(action, "port " + port, null, error, Errno.name(error), Errno.text(error));
        }
    }

    private static void run(Runnable request, String port) {
        Future<?> done = THREAD.submit(request);
        try {
            done.get(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the port owner thread failed for " + port, e.getCause());
        } catch (InterruptedException e) {
            // the request still runs: wait for it, so that the lock is in a known state
            try {
                done.get(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException ignored) {
                // reported below
            }
            Thread.currentThread().interrupt();
            throw new IpcInterruptedException("lock the owner lock of", "port " + port, "the thread was interrupted", 0, null, null);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the port owner thread did not answer within " + REQUEST_TIMEOUT_SECONDS
                    + " s for " + port);
        }
    }
}
