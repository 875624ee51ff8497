package org.panamaipc.internal;

import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * A per-thread {@link EventFd} that becomes readable when the thread is interrupted while
 * {@linkplain #arm() armed}: put its {@link #fd()} into the {@code poll(2)} set of a wait, and
 * {@link Thread#interrupt()} ends the wait within microseconds. There is no race with the interrupt:
 * an interrupt that lands before {@code poll} is entered leaves the descriptor readable, so
 * {@code poll} returns at once.
 *
 * <p>The hook into {@link Thread#interrupt()} is the JDK's one public one: an interruptible channel's
 * {@code begin()}/{@code end()} bracket. The interrupting thread "closes" the channel, and closing it
 * signals the eventfd. A closed hook is replaced by a fresh one, so arming costs no allocation until
 * the thread is interrupted.
 *
 * {@snippet lang=java :
 * InterruptFd interrupt = InterruptFd.current();
 * interrupt.arm();
 * try {
 *     // poll(2) on { the object's fd, interrupt.fd() }; on return:
 *     if (Thread.interrupted()) {
 *         throw new InterruptedException();
 *     }
 * } finally {
 *     interrupt.disarm();
 * }
 * }
 */
public final class InterruptFd {

    private static final ThreadLocal<InterruptFd> CURRENT = ThreadLocal.withInitial(InterruptFd::new);

    private final EventFd eventFd = EventFd.create();
    private Hook hook = new Hook(eventFd);

    private InterruptFd() {
    }

    /** {@return the calling thread's instance} Its descriptor is closed once the thread is gone. */
    public static InterruptFd current() {
        return CURRENT.get();
    }

    /** {@return the descriptor to poll for {@code POLLIN}} */
    public int fd() {
        return eventFd.fd();
    }

    /** From now until {@link #disarm()}, an interrupt of this thread makes {@link #fd()} readable. */
    public void arm() {
        hook.arm();
    }

    /**
     * Ends what {@link #arm()} began and leaves {@link #fd()} unreadable; the thread's interrupt
     * status is left as it is.
     */
    public void disarm() {
        hook.disarm();
        if (!hook.isOpen()) {
            eventFd.drain();
            hook = new Hook(eventFd);
        }
    }

    /**
     * Resets {@link #fd()} after {@code poll} reported it readable while the thread is not
     * interrupted (an interrupt whose status was cleared meanwhile).
     */
    public void clearStale() {
        eventFd.drain();
    }

    private static final class Hook extends AbstractInterruptibleChannel {
        private final EventFd eventFd;

        Hook(EventFd eventFd) {
            this.eventFd = eventFd;
        }

        void arm() {
            begin();
        }

        void disarm() {
            try {
                end(true);
            } catch (ClosedByInterruptException interrupted) {
                // the interrupt status stays set; the caller decides what it means
            } catch (java.nio.channels.AsynchronousCloseException cannotHappen) {
                // end(true) throws only ClosedByInterruptException
            }
        }

        @Override
        protected void implCloseChannel() {
            eventFd.signal();
        }
    }
}
