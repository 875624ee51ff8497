package org.panamaipc.internal;

import org.panamaipc.bindings.unistd_h;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One file descriptor that several threads use, and its closing: a call brackets its use of the
 * descriptor with {@link #begin()} and {@link #end()}, and {@link #close()} closes the descriptor
 * only once the last such call has ended, so its number is never reused under a thread that still
 * holds it. {@code close()} also signals an {@link EventFd} that every wait on the descriptor
 * polls beside it ({@link #closeSignalFd()}), so threads blocked on the object return at once.
 *
 * {@snippet lang=java :
 * int fd = guard.begin();                 // IllegalStateException once closed
 * try {
 *     // system calls on fd; waits poll fd and guard.closeSignalFd()
 * } finally {
 *     guard.end();                        // the last one out after close() closes fd
 * }
 * }
 */
public final class DescriptorGuard {

    private static final long CLOSED = 1L << 62;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DescriptorGuard.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    private final EventFd closeSignal;
    private final String description;
    /** {@link #CLOSED} bit, and the number of calls in progress. */
    @SuppressWarnings("unused") // through STATE
    private volatile long state;

    private DescriptorGuard(int fd, EventFd closeSignal, String description) {
        this.fd = fd;
        this.closeSignal = closeSignal;
        this.description = description;
    }

    /**
     * {@return a guard that owns {@code fd} from now on} If the guard cannot be made (no
     * descriptor left for its eventfd), {@code fd} is closed and the failure thrown.
     *
     * @param description what the descriptor is, for messages: {@code "socket /run/app.sock"}
     */
    public static DescriptorGuard of(int fd, String description) {
        EventFd closeSignal;
        try {
            closeSignal = EventFd.create();
        } catch (RuntimeException e) {
            unistd_h.close(fd);
            throw e;
        }
        return new DescriptorGuard(fd, closeSignal, description);
    }

    /**
     * Marks a call in progress and {@return the descriptor, valid until {@link #end()}}
     *
     * @throws IllegalStateException naming the object if it is closed
     */
    public int begin() {
        int descriptor = tryBegin();
        if (descriptor < 0) {
            throw new IllegalStateException(description + " is closed");
        }
        return descriptor;
    }

    /** As {@link #begin()}, but {@return -1 instead of throwing when closed} */
    public int tryBegin() {
        long s;
        do {
            s = (long) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) {
                return -1;
            }
        } while (!STATE.compareAndSet(this, s, s + 1));
        return fd;
    }

    /** Ends what {@link #begin()} began; the last call to end after {@link #close()} closes the descriptor. */
    public void end() {
        long before = (long) STATE.getAndAdd(this, -1L);
        if (before == (CLOSED | 1)) {
            release();
        }
    }

    /**
     * Marks the object closed, wakes every thread that waits on it (their polls see
     * {@link #closeSignalFd()}), and closes the descriptor once no call uses it.
     *
     * @return {@code true} the first time, {@code false} if it was closed already
     */
    public boolean close() {
        long s;
        do {
            s = (long) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) {
                return false;
            }
            // close counts as a call itself, so the eventfd stays open while it signals
        } while (!STATE.compareAndSet(this, s, (s | CLOSED) + 1));
        closeSignal.signal();
        end();
        return true;
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return ((long) STATE.getVolatile(this) & CLOSED) != 0;
    }

    /** {@return the eventfd that {@link #close()} makes readable; valid between {@link #begin()} and {@link #end()}} */
    public int closeSignalFd() {
        return closeSignal.fd();
    }

    /** {@return what the descriptor is, as given at creation} */
    public String description() {
        return description;
    }

    private void release() {
        unistd_h.close(fd);
        closeSignal.close();
    }

    @Override
    public String toString() {
        return description + (isClosed() ? " (closed)" : "");
    }
}
