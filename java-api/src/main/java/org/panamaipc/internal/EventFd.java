package org.panamaipc.internal;

import org.panamaipc.bindings.CTypes;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.eventfd_h;
import org.panamaipc.bindings.unistd_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * An {@code eventfd(2)}: a kernel counter that {@code poll(2)} reports readable while it is not
 * zero. {@link #signal()} makes it readable from any thread; {@link #drain()} resets it. Used to
 * wake a thread blocked in {@code poll} on message queues, which no Java mechanism can reach.
 *
 * <p>Non-blocking and close-on-exec. {@link #close()} closes the descriptor; one that is never
 * closed is closed by a {@link Cleaner} once the object is unreachable.
 */
public final class EventFd implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final int fd;
    private final MemorySegment readBuffer;
    private final Cleaner.Cleanable cleanable;

    private EventFd(int fd) {
        this.fd = fd;
        this.readBuffer = Arena.ofAuto().allocate(CTypes.eventfd_t);
        this.cleanable = CLEANER.register(this, new CloseAction(fd));
    }

    /**
     * {@return a new event descriptor, not signalled}
     *
     * @throws org.panamaipc.LimitReachedException if the process is out of descriptors
     */
    public static EventFd create() {
        int fd = eventfd_h.eventfd(0, eventfd_h.EFD_CLOEXEC() | eventfd_h.EFD_NONBLOCK());
        if (fd < 0) {
            throw Errors.lastError("create an eventfd", null);
        }
        return new EventFd(fd);
    }

    /** {@return the descriptor, for a {@code struct pollfd}} */
    public int fd() {
        return fd;
    }

    /** Makes the descriptor readable (adds 1 to the counter). Safe from any thread. */
    public void signal() {
        if (eventfd_h.eventfd_write(fd, 1) != 0) {
            int errno = Errno.last();
            // EAGAIN: the counter is at its maximum, so it is readable already
            if (errno != errno_h.EAGAIN()) {
                throw Errors.fromErrno(errno, "signal eventfd", Integer.toString(fd));
            }
        }
    }

    /** Resets the counter to 0 so the descriptor is no longer readable; does nothing if it is 0. */
    public void drain() {
        if (eventfd_h.eventfd_read(fd, readBuffer) != 0) {
            int errno = Errno.last();
            if (errno != errno_h.EAGAIN()) {
                throw Errors.fromErrno(errno, "drain eventfd", Integer.toString(fd));
            }
        }
    }

    /** Closes the descriptor. Calling it again does nothing. */
    @Override
    public void close() {
        cleanable.clean();
    }

    private record CloseAction(int fd) implements Runnable {
        @Override
        public void run() {
            unistd_h.close(fd);
        }
    }
}
