package org.panamaipc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 *
 * <p>A thread may instead block in a system call that no descriptor can end (such as
 * {@code mq_timedreceive}), if {@link InterruptSignal#usable()}: it brackets the call with
 * {@link #enterBlockingCall()} and {@link #exitBlockingCall()}, inside {@code arm()}/{@code disarm()}.
 * An interrupt then also sends the thread {@linkplain InterruptSignal the signal} that ends the call
 * with {@code EINTR}, and sends it again now and then until the thread has left the call (a signal
 * that lands just before the call begins is lost: see {@link SignalRetries}), so the call needs no
 * timeout to notice an interrupt; {@link #wakeBlockingCall()} sends it once, from any thread (a
 * {@code close()}, which repeats it itself while it waits for the thread to leave).
 * {@snippet lang=java :
 * interrupt.arm();
 * try {
 *     interrupt.enterBlockingCall();
 *     try {
 *         if (Thread.interrupted()) {             // after enter: an interrupt from now on signals
 *             throw new InterruptedException();
 *         }
 *         rc = blockingCall();                     // EINTR if signalled while in it
 *     } finally {
 *         interrupt.exitBlockingCall();            // from now on no signal is sent
 *     }
 * } finally {
 *     interrupt.disarm();
 * }
 * }
 */
public final class InterruptFd {

    private static final ThreadLocal<InterruptFd> CURRENT = ThreadLocal.withInitial(InterruptFd::new);

    /** {@link #blockedTid}: not in a blocking call. */
    private static final int IDLE = 0;
    /** {@link #blockedTid}: a waker is sending the signal; the thread may not leave until it is sent. */
    private static final int SIGNALLING = -1;
    private static final VarHandle BLOCKED_TID;
    /** How long {@link #exitBlockingCall()} spins for a waker in the middle of sending before it yields. */
    private static final int SPINS_BEFORE_YIELD = 100;

    static {
        try {
            BLOCKED_TID = MethodHandles.lookup().findVarHandle(InterruptFd.class, "blockedTid", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventFd eventFd = EventFd.create();
    private Hook hook = new Hook(this);
    /** The kernel thread id while the thread is in a blocking call, else {@link #IDLE} or {@link #SIGNALLING}. */
    @SuppressWarnings("unused") // through BLOCKED_TID
    private volatile int blockedTid;
    /** The platform thread's kernel id, read once; 0 for a virtual thread, whose carrier may change. */
    private final int platformTid;
    /** How many blocking calls the thread has entered: tells the call an interrupt signalled from the next. */
    private volatile long calls;

    private InterruptFd() {
        platformTid = Thread.currentThread().isVirtual() ? 0 : InterruptSignal.currentTid();
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
            hook = new Hook(this);
        }
    }

    /**
     * Records that the calling thread (which owns this instance and has {@link #arm() armed} it) is
     * about to enter a blocking system call: from now until {@link #exitBlockingCall()}, an
     * interrupt or {@link #wakeBlockingCall()} sends it {@linkplain InterruptSignal the signal}.
     * Check the interrupt status (and whatever else may wake the call) after this, then make the
     * call. Only when {@link InterruptSignal#usable()}.
     */
    public void enterBlockingCall() {
        int tid = platformTid != 0 ? platformTid : InterruptSignal.currentTid();
        calls = calls + 1; // only the owner writes it
        BLOCKED_TID.setVolatile(this, tid);
    }

    /**
     * Ends what {@link #enterBlockingCall()} began. Returns once no waker can send the signal any
     * more: if one is sending it right now, after it has (a few microseconds), so that no signal
     * reaches the thread after it has left the call.
     */
    public void exitBlockingCall() {
        int tid = (int) BLOCKED_TID.getVolatile(this);
        for (int spins = 0; tid == SIGNALLING || !BLOCKED_TID.compareAndSet(this, tid, IDLE); spins++) {
            // the signal woke us, perhaps on the CPU of the waker, which it then preempted: after
            // a short spin, give the CPU up so that the waker can finish rather than spin out our slice
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            tid = (int) BLOCKED_TID.getVolatile(this);
        }
    }

    /**
     * Ends the owner's blocking system call with {@code EINTR} if it is between
     * {@link #enterBlockingCall()} and {@link #exitBlockingCall()}; does nothing otherwise. Safe
     * from any thread.
     */
    public void wakeBlockingCall() {
        int tid = (int) BLOCKED_TID.getVolatile(this);
        if (tid > 0 && BLOCKED_TID.compareAndSet(this, tid, SIGNALLING)) {
            try {
                InterruptSignal.send(tid);
            } finally {
                BLOCKED_TID.setVolatile(this, tid);
            }
        }
    }

    /**
     * As {@link #wakeBlockingCall()}, for {@link SignalRetries}: signals the thread only while it is
     * in blocking call number {@code call}. {@return whether it still is}
     */
    boolean resignal(long call) {
        int tid = (int) BLOCKED_TID.getVolatile(this);
        if (tid == IDLE || calls != call) {
            return false;
        }
        if (tid > 0 && BLOCKED_TID.compareAndSet(this, tid, SIGNALLING)) {
            try {
                if (calls == call) {
                    InterruptSignal.send(tid);
                }
            } finally {
                BLOCKED_TID.setVolatile(this, tid);
            }
        }
        return true;
    }

    /** An interrupt: the eventfd, the signal, and the signal again until the thread has left its call. */
    private void interrupted() {
        eventFd.signal();
        long call = calls;
        if ((int) BLOCKED_TID.getVolatile(this) > 0) {
            wakeBlockingCall();
            SignalRetries.watch(this, call);
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
        private final InterruptFd owner;

        Hook(InterruptFd owner) {
            this.owner = owner;
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

        /** Runs in the interrupting thread, within {@link Thread#interrupt()}, after the status is set. */
        @Override
        protected void implCloseChannel() {
            owner.interrupted();
        }
    }
}
