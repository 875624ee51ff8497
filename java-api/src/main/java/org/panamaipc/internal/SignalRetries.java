package org.panamaipc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends {@linkplain InterruptSignal the signal} again to a thread that an interrupt signalled in
 * a blocking system call, until it has left that call: a signal that lands after the thread checked
 * its interrupt status and before the kernel's wait began runs the handler and is gone, and the
 * call would block on; the next one, a moment later, finds it in the kernel. So a blocking call
 * needs no timeout of its own to notice such an interrupt, and a thread blocked with nothing
 * happening makes no system call.
 *
 * <p>One daemon thread does it, started at the first interrupt of a thread in a blocking call;
 * it parks without a timeout while it has nothing to do. It sends again after
 * {@link #FIRST_RETRY_NANOS}, then twice as long each time up to {@link #MOST_RETRY_NANOS}
 * (a thread held up before its call, by a safepoint for example, costs a signal per period), and
 * stops once the thread has left the call it was in when interrupted ({@link InterruptFd#call()}).
 */
final class SignalRetries {

    /** The first wait before the signal is sent again: the window it covers is a few instructions long. */
    static final long FIRST_RETRY_NANOS = 50_000L;
    /** The longest wait between two signals. */
    static final long MOST_RETRY_NANOS = 10_000_000L;

    private static final ConcurrentLinkedQueue<Pending> ARRIVED = new ConcurrentLinkedQueue<>();
    private static volatile Thread worker;

    /** A thread to signal while it is in blocking call number {@code call}. */
    private record Pending(InterruptFd thread, long call) {
    }

    private SignalRetries() {
    }

    /** Signals {@code thread} again, now and then, while it is in blocking call number {@code call}. */
    static void watch(InterruptFd thread, long call) {
        ARRIVED.add(new Pending(thread, call));
        Thread w = worker;
        if (w == null) {
            w = start();
        }
        LockSupport.unpark(w);
    }

    private static synchronized Thread start() {
        Thread w = worker;
        if (w == null) {
            w = Thread.ofPlatform().daemon().name("panama-ipc interrupt signals").unstarted(SignalRetries::run);
            w.start();
            worker = w;
        }
        return w;
    }

    private static void run() {
        List<Pending> pending = new ArrayList<>();
        long wait = FIRST_RETRY_NANOS;
        while (true) {
            if (take(pending)) {
                wait = FIRST_RETRY_NANOS;
            }
            if (pending.isEmpty()) {
                LockSupport.park();
                continue;
            }
            LockSupport.parkNanos(wait);
            if (take(pending)) {
                wait = FIRST_RETRY_NANOS;
            } else {
                wait = Math.min(2 * wait, MOST_RETRY_NANOS);
            }
            pending.removeIf(p -> !p.thread().resignal(p.call()));
        }
    }

    /** Moves what arrived into {@code pending}: {@return whether anything did} */
    private static boolean take(List<Pending> pending) {
        boolean any = false;
        for (Pending p; (p = ARRIVED.poll()) != null; ) {
            pending.add(p);
            any = true;
        }
        return any;
    }
}
