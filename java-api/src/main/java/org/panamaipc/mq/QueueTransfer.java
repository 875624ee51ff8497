package org.panamaipc.mq;

import org.panamaipc.Outcome;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.mqueue_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.InterruptFd;
import org.panamaipc.internal.InterruptSignal;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * How a message queue sends and receives, and how it waits: the one non-blocking attempt
 * ({@code mq_send}, {@code mq_receive} on the non-blocking descriptor), and the two waits.
 *
 * <ul>
 * <li>A form without a timeout waits in the kernel's own call, {@code mq_timedsend} or
 *     {@code mq_timedreceive}, on the blocking descriptor ({@link QueueHandle#blockingDescriptor()}),
 *     as a C program does: the kernel hands an arriving message straight to the blocked receiver.
 *     The call has no timeout: a thread blocked with nothing arriving makes no system call and
 *     is never woken (a slice of 100 ms, as before, cost 0.5 % of a CPU for an idle JVM). An
 *     interrupt or a close ends it with {@code EINTR} through {@link InterruptSignal}, and neither
 *     is lost when its signal lands just before the call begins: an interrupt is signalled again
 *     until the thread has left the call ({@code InterruptFd}), and a close signals the blocked
 *     threads again until they have left ({@link QueueHandle#close}).</li>
 * <li>A form with a timeout (and a form without one where the signal cannot be used) waits in
 *     {@code poll(2)} on the queue, the thread's interrupt eventfd and the queue's close eventfd,
 *     with the deadline on {@code CLOCK_MONOTONIC} (the {@code mq_timed*} calls take theirs on the
 *     wall clock), and then makes the attempt again.</li>
 * </ul>
 *
 * The caller begins the call ({@link QueueHandle#beginOp()}, when it has staged the message) and
 * each method here ends it, also when it throws. Sends return 0 or {@link Outcome#FULL}; receives
 * return the length or {@link Outcome#EMPTY}, and leave the priority in this thread's
 * {@link Scratch#priority}.
 */
final class QueueTransfer {

    /**
     * The system property that makes a blocking call pause after its last look at the interrupt
     * status and the close, before the kernel's call ({@link #pauseBeforeCall()}): for a test
     * only, which sets it before this class is loaded; otherwise a constant {@code false} that
     * the JIT removes.
     */
    static final String PAUSE_PROPERTY = "org.panamaipc.mq.pauseBeforeBlockingCall";
    private static final boolean PAUSE = Boolean.getBoolean(PAUSE_PROPERTY);
    /** With {@link #PAUSE_PROPERTY}: true while a thread pauses before its call. */
    static volatile boolean pausedBeforeCall;
    /** With {@link #PAUSE_PROPERTY}: set to let the paused thread make its call. */
    static volatile boolean releasePause;

    private final QueueHandle handle;

    QueueTransfer(QueueHandle handle) {
        this.handle = handle;
    }

    /**
     * Sends {@code length} bytes of the native {@code source} if there is room now, and ends the
     * call the caller began ({@link QueueHandle#endOp()}). {@return 0, or {@link Outcome#FULL}}
     */
    long trySend(MemorySegment source, long length, int priority) {
        try {
            return attemptSend(source, length, priority);
        } finally {
            handle.endOp();
        }
    }

    /**
     * Sends as {@link #trySend} does, waiting at most {@code timeoutNanos} ({@link Timeouts#FOREVER}:
     * as long as it takes), and ends the call the caller began. {@return 0, or {@link Outcome#FULL}}
     */
    long send(MemorySegment source, long length, int priority, long timeoutNanos) throws InterruptedException {
        try {
            return sendWaiting(source, length, priority, timeoutNanos);
        } finally {
            handle.endOp();
        }
    }

    /**
     * Receives into the native {@code target} if a message is there, and ends the call the caller
     * began. {@return its length, or {@link Outcome#EMPTY}}
     */
    int tryReceive(MemorySegment target) {
        try {
            return attemptReceive(target);
        } finally {
            handle.endOp();
        }
    }

    /**
     * Receives as {@link #tryReceive} does, waiting at most {@code timeoutNanos}
     * ({@link Timeouts#FOREVER}: as long as it takes), and ends the call the caller began.
     * {@return its length, or {@link Outcome#EMPTY}}
     */
    int receive(MemorySegment target, long timeoutNanos) throws InterruptedException {
        try {
            return receiveWaiting(target, timeoutNanos);
        } finally {
            handle.endOp();
        }
    }

    private long attemptSend(MemorySegment source, long length, int priority) {
        if (mqueue_h.mq_send(handle.mqd, source, length, priority) == 0) {
            return 0;
        }
        int errno = Errno.last();
        if (errno == errno_h.EAGAIN()) {
            return Outcome.FULL;
        }
        if (errno == errno_h.EMSGSIZE()) {
            throw handle.tooLong(length);
        }
        throw Errors.fromErrno(errno, "send to message queue", handle.name);
    }

    private long sendWaiting(MemorySegment source, long length, int priority, long timeoutNanos)
            throws InterruptedException {
        if (timeoutNanos <= 0) {
            return attemptSend(source, length, priority);
        }
        // only a wait without a timeout blocks in the kernel's call: its deadline is on the wall clock
        int blocking = timeoutNanos == Timeouts.FOREVER ? handle.blockingDescriptor() : QueueHandle.UNAVAILABLE;
        if (blocking >= 0) {
            transferBlocking(blocking, true, source, length, priority);
            return 0;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        long sent = attemptSend(source, length, priority);
        if (sent != Outcome.FULL) {
            return sent;
        }
        InterruptFd interrupt = InterruptFd.current();
        interrupt.arm();
        try {
            while (awaitReady(poll_h.POLLOUT(), interrupt, deadline)) {
                sent = attemptSend(source, length, priority);
                if (sent != Outcome.FULL) {
                    return sent;
                }
            }
            return attemptSend(source, length, priority);
        } finally {
            interrupt.disarm();
        }
    }

    private int attemptReceive(MemorySegment target) {
        long length = mqueue_h.mq_receive(handle.mqd, target, target.byteSize(), Scratch.current().priority);
        if (length >= 0) {
            return (int) length;
        }
        int errno = Errno.last();
        if (errno == errno_h.EAGAIN()) {
            return Outcome.EMPTY;
        }
        throw Errors.fromErrno(errno, "receive from message queue", handle.name);
    }

    private int receiveWaiting(MemorySegment target, long timeoutNanos) throws InterruptedException {
        if (timeoutNanos <= 0) {
            return attemptReceive(target);
        }
        int blocking = timeoutNanos == Timeouts.FOREVER ? handle.blockingDescriptor() : QueueHandle.UNAVAILABLE;
        if (blocking >= 0) {
            return (int) transferBlocking(blocking, false, target, target.byteSize(), 0);
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        int received = attemptReceive(target);
        if (received != Outcome.EMPTY) {
            return received;
        }
        InterruptFd interrupt = InterruptFd.current();
        interrupt.arm();
        try {
            while (awaitReady(poll_h.POLLIN(), interrupt, deadline)) {
                received = attemptReceive(target);
                if (received != Outcome.EMPTY) {
                    return received;
                }
            }
            return attemptReceive(target);
        } finally {
            interrupt.disarm();
        }
    }

    /** Throws if the thread is interrupted, clearing the status: the start of every form that may wait. */
    static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** {@return the priority of the message this thread received last} */
    static int lastPriority() {
        return Scratch.current().priority.get(ValueLayout.JAVA_INT, 0);
    }

    /**
     * Sends ({@code send}) or receives on the blocking descriptor, in {@code mq_timedsend} /
     * {@code mq_timedreceive} without a timeout, until the transfer is done, the thread is
     * interrupted, or the queue is closed. {@return what the call returned: a received message's
     * length; 0 for a send}
     */
    private long transferBlocking(int blocking, boolean send, MemorySegment buffer, long length, int priority)
            throws InterruptedException {
        Scratch scratch = Scratch.current();
        InterruptFd interrupt = InterruptFd.current();
        interrupt.arm();
        handle.blocked.add(interrupt);
        try {
            while (true) {
                long rc;
                interrupt.enterBlockingCall();
                try {
                    checkWakeUps();
                    if (PAUSE) {
                        pauseBeforeCall();
                    }
                    rc = send
                            ? mqueue_h.mq_timedsend(blocking, buffer, length, priority, MemorySegment.NULL)
                            : mqueue_h.mq_timedreceive(blocking, buffer, length, scratch.priority, MemorySegment.NULL);
                } finally {
                    interrupt.exitBlockingCall();
                }
                if (rc >= 0) {
                    return rc;
                }
                int errno = Errno.last();
                if (errno != errno_h.EINTR()) {
                    if (send && errno == errno_h.EMSGSIZE()) {
                        throw handle.tooLong(length);
                    }
                    throw Errors.fromErrno(errno, send ? "send to message queue" : "receive from message queue",
                            handle.name);
                }
            }
        } finally {
            handle.blocked.remove(interrupt);
            interrupt.disarm();
        }
    }

    /** Holds the thread where a signal would be lost, until a test releases it (see {@link #PAUSE_PROPERTY}). */
    private static void pauseBeforeCall() {
        pausedBeforeCall = true;
        while (!releasePause) {
            Thread.onSpinWait();
        }
        releasePause = false;
        pausedBeforeCall = false;
    }

    /** Throws if the thread is interrupted (clearing the status) or the queue closed, interrupt first. */
    private void checkWakeUps() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (handle.isClosed()) {
            throw closedWhileWaiting();
        }
    }

    private IllegalStateException closedWhileWaiting() {
        return new IllegalStateException("message queue " + handle.name + " was closed while waiting");
    }

    /**
     * Waits in {@code poll(2)} until the queue reports {@code events}, the deadline passes, the
     * thread is interrupted, or the queue is closed. Returns {@code false} once the deadline has
     * passed (the caller then tries once more), {@code true} to try again.
     */
    private boolean awaitReady(short events, InterruptFd interrupt, long deadline) throws InterruptedException {
        if (Timeouts.passed(deadline)) {
            return false;
        }
        PollSet fds = Scratch.current().waitSet;
        fds.set(0, handle.mqd, events);
        fds.set(1, interrupt.fd(), poll_h.POLLIN());
        fds.set(2, handle.closeDescriptor(), poll_h.POLLIN());
        fds.poll(Scratch.WAIT_FDS, deadline, "wait for message queue", handle.name);
        if (fds.revents(1) != 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            interrupt.clearStale();
        }
        if (fds.revents(2) != 0 || handle.isClosed()) {
            throw closedWhileWaiting();
        }
        return true;
    }
}
