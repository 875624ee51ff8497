package org.panamaipc.internal;

import org.panamaipc.IpcInterruptedException;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.sync.IpcMutex;

import java.time.Duration;

/**
 * The one rule for the registration lock of an object in shared memory (a ring channel, a
 * broadcast, a rendezvous): attaching takes it for at most {@link #TIMEOUT}. It is an
 * {@link IpcMutex}, so a process that dies holding it loses it; a live process that keeps it (a
 * stuck peer, or a hostile value in the lock word) makes the attach a lifecycle wait that ran out.
 */
public final class RegistrationLock {

    /** How long an attach waits for the lock. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RegistrationLock() {
    }

    /**
     * Takes {@code lock}, waiting at most {@link #TIMEOUT}.
     *
     * @param action what is attempted, for the exception: {@code "register with channel"}
     * @param object the object's name
     * @throws IpcTimeoutException naming the process that holds the lock, if it was not free in time
     * @throws IpcInterruptedException if the thread is interrupted (its status is set again)
     */
    public static void acquire(IpcMutex lock, String action, String object) {
        try {
            if (!lock.tryLock(TIMEOUT)) {
                throw new IpcTimeoutException(action, object, "process " + lock.owner()
                        + " has held its registration lock for " + TIMEOUT.toSeconds() + " s (" + lock + ")",
                        0, null, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcInterruptedException(action, object, "the thread was interrupted", 0, null, null);
        }
    }
}
