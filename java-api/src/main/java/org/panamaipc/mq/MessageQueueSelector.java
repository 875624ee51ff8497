package org.panamaipc.mq;

import org.panamaipc.bindings.poll_h;
import org.panamaipc.internal.EventFd;
import org.panamaipc.internal.InterruptFd;
import org.panamaipc.internal.Timeouts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ObjIntConsumer;

/**
 * Waits on several {@link MessageQueue}s at once and tells which can be received from
 * ({@link #READABLE}: it holds a message) or sent to ({@link #WRITABLE}: it has room). On Linux a
 * queue descriptor is a file descriptor, so this is one {@code poll(2)} over all of them.
 *
 * {@snippet lang=java :
 * try (MessageQueueSelector selector = MessageQueueSelector.open()) {
 *     selector.register(orders, MessageQueueSelector.READABLE);
 *     selector.register(cancellations, MessageQueueSelector.READABLE);
 *     while (running) {
 *         if (selector.select(Duration.ofSeconds(1)) == 0) {
 *             continue;                                  // timed out, or woken up
 *         }
 *         selector.forEachReady((queue, ops) -> {
 *             Message m = queue.tryReceive();            // null if another receiver was faster
 *             if (m != null) {
 *                 handle(queue, m);
 *             }
 *         });
 *     }
 * }
 * }
 *
 * <p>Readiness is a hint: another thread or process may take the message (or the room) before
 * this one acts on it, so act with the {@code try} forms. A select may also report nothing when it
 * was {@linkplain #wakeup() woken up} or a registered queue was closed (a closed queue is dropped
 * from the registrations at the next select).
 *
 * <p>Timeouts are measured on {@code CLOCK_MONOTONIC}. {@link Thread#interrupt()} ends a blocked
 * select within microseconds with {@link InterruptedException} (the thread's interrupt eventfd is
 * in the poll set, as for a blocking receive).
 *
 * <p>A selector is meant for one selecting thread. Its methods other than {@link #wakeup()} and
 * {@link #close()} are synchronised with {@code select}, so another thread that registers while a
 * select blocks waits until it returns: call {@link #wakeup()} first. {@code wakeup} may be called
 * from any thread; one that comes while no select is in progress makes the next select return at
 * once. {@code close} may be called from any thread too: a select in progress ends at once with
 * {@link IllegalStateException}.
 * A select holds each registered queue open until it returns: closing one wakes the select.
 */
public final class MessageQueueSelector implements AutoCloseable {

    /** Interest in, and readiness for, receiving: the queue holds at least one message ({@code POLLIN}). */
    public static final int READABLE = 1;

    /** Interest in, and readiness for, sending: the queue has room for a message ({@code POLLOUT}). */
    public static final int WRITABLE = 2;

    /** What the internal select returns when the thread was interrupted. */
    private static final int INTERRUPTED = -1;
    /** Poll set entries before the queues': the wakeup eventfd and the thread's interrupt eventfd. */
    private static final int FIXED_FDS = 2;

    private final EventFd wakeup;
    private MessageQueue[] queues = new MessageQueue[4];
    private int[] interests = new int[4];
    private int[] ready = new int[4];
    private int count;
    private int readyCount;
    private final PollSet pollSet = new PollSet(FIXED_FDS + 2 * 4);
    /** Set by {@link #close()} before anything else, so that a select in progress sees it. */
    private volatile boolean closing;
    /** Whether the wakeup eventfd is closed; guarded by {@link #signalLock}. */
    private boolean closed;
    private final Object signalLock = new Object();

    private MessageQueueSelector(EventFd wakeup) {
        this.wakeup = wakeup;
    }

    /** {@return a new selector with no queues registered} */
    public static MessageQueueSelector open() {
        return new MessageQueueSelector(EventFd.create());
    }

    /**
     * Registers {@code queue} with {@code interest} ({@link #READABLE}, {@link #WRITABLE}, or both
     * or-ed), or changes the interest of a queue registered already.
     *
     * @throws IllegalArgumentException if {@code interest} is 0 or has other bits, or asks for a
     *         readiness the queue's {@linkplain MessageQueue#access() access} cannot use
     * @throws IllegalStateException if the selector or the queue is closed
     */
    public synchronized void register(MessageQueue queue, int interest) {
        ensureOpen();
        Objects.requireNonNull(queue, "queue");
        if (interest == 0 || (interest & ~(READABLE | WRITABLE)) != 0) {
            throw new IllegalArgumentException("interest=" + interest + " must be READABLE, WRITABLE or both");
        }
        if ((interest & READABLE) != 0 && !queue.access().canRead()
                || (interest & WRITABLE) != 0 && !queue.access().canWrite()) {
            throw new IllegalArgumentException("interest=" + opsText(interest) + " does not suit " + queue);
        }
        if (queue.isClosed()) {
            throw new IllegalStateException(queue + " is closed");
        }
        int index = indexOf(queue);
        if (index < 0) {
            if (count == queues.length) {
                queues = Arrays.copyOf(queues, count * 2);
                interests = Arrays.copyOf(interests, count * 2);
                ready = Arrays.copyOf(ready, count * 2);
            }
            index = count++;
            queues[index] = queue;
            ready[index] = 0;
        }
        interests[index] = interest;
    }

    /**
     * Removes {@code queue}.
     *
     * @return whether it was registered
     * @throws IllegalStateException if the selector is closed (as every call but {@link #close()}
     *         and {@link #wakeup()} does)
     */
    public synchronized boolean deregister(MessageQueue queue) {
        Objects.requireNonNull(queue, "queue");
        ensureOpen();
        int index = indexOf(queue);
        if (index < 0) {
            return false;
        }
        remove(index);
        return true;
    }

    /** {@return the queues registered now} */
    public synchronized List<MessageQueue> registered() {
        ensureOpen();
        return List.of(Arrays.copyOf(queues, count));
    }

    /**
     * Waits until a registered queue is ready as asked, {@link #wakeup()} is called, or a
     * registered queue is closed.
     *
     * @return how many queues are ready; 0 after a wake-up or a close
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting
     */
    public int select() throws InterruptedException {
        return selectWaiting(Timeouts.FOREVER);
    }

    /**
     * As {@link #select()}, waiting at most {@code timeout}.
     *
     * @return how many queues are ready; 0 if none became ready in time
     */
    public int select(Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        return timeoutNanos <= 0 ? selectNow() : selectWaiting(timeoutNanos);
    }

    private int selectWaiting(long timeoutNanos) throws InterruptedException {
        QueueTransfer.checkInterrupt();
        int ready = select(timeoutNanos, InterruptFd.current());
        if (ready == INTERRUPTED) {
            throw new InterruptedException();
        }
        return ready;
    }

    /**
     * As {@link #select()}, without waiting.
     *
     * @return how many queues are ready now
     */
    public int selectNow() {
        return select(0, null);
    }

    /**
     * Polls the registered queues, until {@code timeoutNanos} has passed if {@code interrupt}
     * is given, once if not. {@return how many are ready, or {@link #INTERRUPTED}}
     */
    private synchronized int select(long timeoutNanos, InterruptFd interrupt) {
        ensureOpen();
        dropClosedQueues();
        Arrays.fill(ready, 0, count, 0);
        readyCount = 0;
        int held = 0;
        try {
            for (; held < count; held++) {
                queues[held].handle.beginOp();
            }
            fillPollSet(interrupt);
            long deadline = Timeouts.deadline(timeoutNanos);
            if (interrupt != null) {
                interrupt.arm();
            }
            try {
                while (true) {
                    int polled = pollSet.poll(FIXED_FDS + 2L * count, deadline, "poll message queues", null);
                    if (closing) {
                        throw closedException();
                    }
                    if (polled > 0 && collect(interrupt)) {
                        return readyCount;
                    }
                    if (interrupt != null && Thread.currentThread().isInterrupted()) {
                        Thread.interrupted();
                        return INTERRUPTED;
                    }
                    if (interrupt == null || Timeouts.passed(deadline)) {
                        return 0;
                    }
                }
            } finally {
                if (interrupt != null) {
                    interrupt.disarm();
                }
            }
        } catch (IllegalStateException queueClosedMeanwhile) {
            if (held < count) {
                return 0; // beginOp failed: the queue is dropped at the next select
            }
            throw queueClosedMeanwhile;
        } finally {
            for (int i = 0; i < held; i++) {
                queues[i].handle.endOp();
            }
        }
    }

    private void fillPollSet(InterruptFd interrupt) {
        pollSet.ensureCapacity(FIXED_FDS + 2L * count);
        pollSet.set(0, wakeup.fd(), poll_h.POLLIN());
        // without an interrupt eventfd (selectNow), poll ignores a negative descriptor
        pollSet.set(1, interrupt != null ? interrupt.fd() : -1, poll_h.POLLIN());
        for (int i = 0; i < count; i++) {
            short events = (short) (((interests[i] & READABLE) != 0 ? poll_h.POLLIN() : 0)
                    | ((interests[i] & WRITABLE) != 0 ? poll_h.POLLOUT() : 0));
            pollSet.set(FIXED_FDS + 2L * i, queues[i].handle.mqd, events);
            pollSet.set(FIXED_FDS + 2L * i + 1, queues[i].handle.closeDescriptor(), poll_h.POLLIN());
        }
    }

    /**
     * Reads the poll results; an interrupt of the thread is left for {@code select} to see.
     *
     * @return whether select should return
     */
    private boolean collect(InterruptFd interrupt) {
        boolean wake = false;
        if (interrupt != null && pollSet.revents(1) != 0) {
            if (Thread.currentThread().isInterrupted()) {
                pollSet.clearRevents(FIXED_FDS + 2L * count);
                return false;
            }
            interrupt.clearStale();
        }
        if (pollSet.revents(0) != 0) {
            wakeup.drain();
            wake = true;
        }
        short failed = (short) (poll_h.POLLERR() | poll_h.POLLHUP() | poll_h.POLLNVAL());
        for (int i = 0; i < count; i++) {
            short revents = pollSet.revents(FIXED_FDS + 2L * i);
            int ops = 0;
            if ((revents & poll_h.POLLIN()) != 0) {
                ops |= READABLE;
            }
            if ((revents & poll_h.POLLOUT()) != 0) {
                ops |= WRITABLE;
            }
            if ((revents & failed) != 0) {
                ops |= interests[i]; // the queue's own calls will say what is wrong
            }
            ready[i] = ops & interests[i];
            if (ready[i] != 0) {
                readyCount++;
            }
            if (pollSet.revents(FIXED_FDS + 2L * i + 1) != 0) {
                wake = true; // closed: dropped at the next select
            }
        }
        pollSet.clearRevents(FIXED_FDS + 2L * count);
        return wake || readyCount > 0;
    }

    /** {@return what the last select found {@code queue} ready for ({@link #READABLE}, {@link #WRITABLE}, both), 0 if nothing or not registered} */
    public synchronized int readyOps(MessageQueue queue) {
        Objects.requireNonNull(queue, "queue");
        ensureOpen();
        int index = indexOf(queue);
        return index < 0 ? 0 : ready[index];
    }

    /** {@return whether the last select found {@code queue} holding a message} */
    public boolean isReadable(MessageQueue queue) {
        Objects.requireNonNull(queue, "queue");
        return (readyOps(queue) & READABLE) != 0;
    }

    /** {@return whether the last select found room in {@code queue}} */
    public boolean isWritable(MessageQueue queue) {
        Objects.requireNonNull(queue, "queue");
        return (readyOps(queue) & WRITABLE) != 0;
    }

    /** Calls {@code action} with each queue the last select found ready, and what it is ready for. No allocation. */
    public synchronized void forEachReady(ObjIntConsumer<MessageQueue> action) {
        Objects.requireNonNull(action, "action");
        ensureOpen();
        for (int i = 0; i < count; i++) {
            if (ready[i] != 0) {
                action.accept(queues[i], ready[i]);
            }
        }
    }

    /** {@return the queues the last select found ready, in registration order} */
    public synchronized List<MessageQueue> readyQueues() {
        ensureOpen();
        List<MessageQueue> result = new ArrayList<>(readyCount);
        forEachReady((queue, ops) -> result.add(queue));
        return result;
    }

    /** Makes a select in progress return at once, or else the next one. Safe from any thread; after {@link #close()}, does nothing. */
    public void wakeup() {
        synchronized (signalLock) {
            if (!closed) {
                wakeup.signal();
            }
        }
    }

    /**
     * Closes the selector (not the queues), from any thread: a select in progress ends at once
     * with {@link IllegalStateException}, and this call returns once it has. Calling it again does
     * nothing.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        wakeup();
        synchronized (this) { // a select in progress has returned once this is held
            Arrays.fill(queues, null);
            count = 0;
            synchronized (signalLock) {
                if (!closed) {
                    closed = true;
                    wakeup.close();
                }
            }
        }
    }

    private void ensureOpen() {
        if (closing) {
            throw closedException();
        }
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("message queue selector is closed");
    }

    private void dropClosedQueues() {
        for (int i = count - 1; i >= 0; i--) {
            if (queues[i].isClosed()) {
                remove(i);
            }
        }
    }

    private void remove(int index) {
        int tail = count - index - 1;
        System.arraycopy(queues, index + 1, queues, index, tail);
        System.arraycopy(interests, index + 1, interests, index, tail);
        System.arraycopy(ready, index + 1, ready, index, tail);
        queues[--count] = null;
    }

    private int indexOf(MessageQueue queue) {
        for (int i = 0; i < count; i++) {
            if (queues[i] == queue) {
                return i;
            }
        }
        return -1;
    }

    private static String opsText(int ops) {
        return ops == (READABLE | WRITABLE) ? "READABLE|WRITABLE" : ops == READABLE ? "READABLE" : "WRITABLE";
    }

    @Override
    public synchronized String toString() {
        return "MessageQueueSelector[" + count + " queues" + (closing ? ", closed" : "") + "]";
    }
}
