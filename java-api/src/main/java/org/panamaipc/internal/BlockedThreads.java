package org.panamaipc.internal;

import java.util.Arrays;

/**
 * The threads blocked in a system call on one object, so that closing the object can end their
 * calls ({@link InterruptFd#wakeBlockingCall()}). A thread adds itself before it checks whether the
 * object is closed and removes itself after its call; the closer marks the object closed first and
 * then wakes everyone here, so each blocked thread either sees the mark or gets the signal.
 *
 * <p>The array grows and is reused: adding and removing allocate nothing in steady state.
 */
public final class BlockedThreads {

    private InterruptFd[] threads = new InterruptFd[4];
    private int count;

    /** Adds the calling thread's {@code thread}. */
    public synchronized void add(InterruptFd thread) {
        if (count == threads.length) {
            threads = Arrays.copyOf(threads, 2 * count);
        }
        threads[count++] = thread;
    }

    /** Removes what {@link #add} added. */
    public synchronized void remove(InterruptFd thread) {
        for (int i = count - 1; i >= 0; i--) {
            if (threads[i] == thread) {
                threads[i] = threads[--count];
                threads[count] = null;
                return;
            }
        }
    }

    /** Ends the blocking call of every thread here that is in one. */
    public synchronized void wakeAll() {
        for (int i = 0; i < count; i++) {
            threads[i].wakeBlockingCall();
        }
    }
}
