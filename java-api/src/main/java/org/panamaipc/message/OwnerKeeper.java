package org.panamaipc.message;

import org.panamaipc.IpcException;
import org.panamaipc.bindings.CTypes;
import org.panamaipc.bindings.pthread_h;
import org.panamaipc.internal.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The thread of this process that holds the owner locks of the ports it owns
 * ({@link MailboxDescriptor}): a robust mutex belongs to the thread that locked it, and the kernel
 * marks it when that thread dies, so it must be a thread that lives as long as the process and
 * does nothing else. It locks a port's mutex when the port is created and unlocks it when the
 * port is closed; in between it waits for the next request.
 *
 * <p>glibc links the robust mutexes a thread holds into a list that runs through the mutexes
 * themselves, in shared memory. So a port's memory must never be unmapped while the keeper holds
 * its lock: the next lock or unlock on the keeper thread would write into memory that is gone.
 * {@link MailboxControl} unlocks before it unmaps, and keeps the mapping if the unlock failed.
 */
final class OwnerKeeper {

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

    /**
     * Runs {@code request} on the keeper thread and waits until it has run, however long that takes
     * and even if this thread is interrupted meanwhile (its interrupt status is kept): a caller
     * that went on before its lock or unlock had run could unmap the port while the keeper thread
     * is about to touch the mutex, or leave a held mutex on the keeper's robust list in memory
     * that is gone. Neither request blocks: the mutex is fresh, or held by the keeper itself.
     */
    private static void run(Runnable request, String port) {
        Future<?> done = THREAD.submit(request);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException("the port owner thread failed for " + port, e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
