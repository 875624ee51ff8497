package org.panamaipc.rpc;

import org.panamaipc.message.MailboxDescriptor;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.sync.Futex;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * Sleeps until a port's owner has gone, woken by the kernel when it dies. The port's owner lock is
 * a robust futex ({@link MailboxDescriptor}); when the thread holding it dies the kernel sets
 * {@code FUTEX_OWNER_DIED} in its word and, if {@code FUTEX_WAITERS} is set there, wakes one
 * thread waiting on it; when the owner closes the port, glibc's unlock does the same. So the watch
 * sets {@code FUTEX_WAITERS} (as a thread waiting for the lock would) and sleeps on the word; the
 * thread woken wakes every other, in whichever process, so every watch learns it within
 * microseconds. The watch maps the port's control segment a second time, and sleeps in slices, so
 * a wake that never comes costs at most a slice.
 */
final class OwnerWatch implements AutoCloseable {

    /** The bit of a futex word that tells its holder that threads wait ({@code <linux/futex.h>}). */
    static final int FUTEX_WAITERS = 0x80000000;
    private static final long SLICE_NANOS = Duration.ofSeconds(1).toNanos();

    private final IpcSegment segment;
    private final Futex word;
    private final MemorySegment body;
    private final boolean same;

    /**
     * Watches the owner of the port {@code port}, whose owner was {@code owner} when it was opened;
     * a port of that name with another owner counts as the first one gone.
     */
    OwnerWatch(String port, ProcessId owner) {
        this.segment = IpcSegment.open(port, SegmentKind.MAILBOX, MailboxDescriptor.SIZE);
        this.body = segment.body();
        this.word = Futex.of(body, MailboxDescriptor.OWNER_WORD_OFFSET);
        this.same = body.get(ValueLayout.JAVA_INT, MailboxDescriptor.OWNER_PID_OFFSET) == owner.pid()
                && body.get(ValueLayout.JAVA_LONG, MailboxDescriptor.OWNER_START_TIME_OFFSET) == owner.startTime();
    }

    /** {@return whether the owner holds the port now} */
    boolean ownerPresent() {
        return same && MailboxDescriptor.ownerPresent(word.value())
                && body.get(ValueLayout.JAVA_INT, MailboxDescriptor.OWNER_STATE_OFFSET) == MailboxDescriptor.OWNER_OWNED;
    }

    /** {@return whether the owner's process died, rather than closed the port (read once it has gone)} */
    boolean ownerDied() {
        return !same || (word.value() & MailboxDescriptor.FUTEX_OWNER_DIED) != 0;
    }

    /**
     * Sleeps until the owner has gone, then wakes the other watches. Returns when it has gone.
     *
     * @throws InterruptedException if the thread is interrupted
     * @throws IllegalStateException if {@link #close()} ends the wait
     */
    void awaitGone() throws InterruptedException {
        while (true) {
            int seen = word.value();
            if (!ownerPresent()) {
                word.wakeAll();
                return;
            }
            int flagged = seen | FUTEX_WAITERS;
            if (seen != flagged && !word.compareAndSet(seen, flagged)) {
                continue;
            }
            word.waitNanos(flagged, SLICE_NANOS);
        }
    }

    /** Unmaps; a thread in {@link #awaitGone()} wakes with {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        segment.close();
    }
}
