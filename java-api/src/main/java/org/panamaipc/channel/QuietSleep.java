package org.panamaipc.channel;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.futex_h;
import org.panamaipc.bindings.futex_waitv;
import org.panamaipc.bindings.time_h;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.MonotonicClock;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.spi.AbstractInterruptibleChannel;

import static org.panamaipc.channel.ChannelMemory.INT;

/**
 * A sleep on a ring's signal word that needs no slice to notice an interrupt: one
 * {@code futex_waitv} (Linux 5.16) on two words, the ring's and one of the sleeping thread's own,
 * which the thread's interrupt hook changes and wakes.
 *
 * <p>Why: a plain futex wait cannot tell an interrupt that lands in the instant between the
 * thread's last look at its interrupt status and its entry into the kernel; the hook's wake then
 * finds nobody, and only the end of a sleep slice ends the wait. Every slice wakes an idle JVM (a
 * 250 ms slice cost an idle receiver about 0.4 % of a CPU). Here the thread reads its own word
 * before that last look and waits for it to still hold that value: a hook that ran after the
 * read has changed it, so the kernel refuses to sleep ({@code EAGAIN}); one that ran before it
 * set the interrupt status first, which the last look sees. Sender death and close have wakes of
 * their own ({@link PeerDeaths}, {@link org.panamaipc.internal.Sleepers}), and the deadline is the
 * wait's timeout, so nothing else needs the thread to wake by itself.
 */
final class QuietSleep {

    private static final ThreadLocal<QuietSleep> OF_THREAD = ThreadLocal.withInitial(QuietSleep::new);
    /** False once the kernel said it has no {@code futex_waitv} (before 5.16), or a filter refused it. */
    private static volatile boolean available = true;

    private final MemorySegment waiters;
    private final MemorySegment own;

    private QuietSleep() {
        Arena arena = Arena.ofAuto();
        this.waiters = futex_waitv.allocateArray(2, arena);
        this.own = arena.allocate(Integer.BYTES, Integer.BYTES);
        futex_waitv.uaddr(waiters.asSlice(futex_waitv.sizeof()), own.address());
        futex_waitv.flags(waiters.asSlice(futex_waitv.sizeof()), futex_h.FUTEX_32());
    }

    /** {@return whether quiet sleeps can be had here} Until the first one is refused, assumed so. */
    static boolean available() {
        return available;
    }

    /**
     * Sleeps while {@code word} holds {@code expected}, until it is woken, the thread is interrupted,
     * or the absolute CLOCK_MONOTONIC {@code deadline} passes ({@link Timeouts#FOREVER}: none). Every
     * return may be spurious: the caller looks again, and checks the interrupt status itself.
     * {@return false if the kernel has no {@code futex_waitv}: nothing was waited for, and the
     * caller sleeps the old way}
     */
    static boolean sleep(MemorySegment word, int expected, long deadline) {
        return OF_THREAD.get().sleepOnce(word, expected, deadline);
    }

    private boolean sleepOnce(MemorySegment word, int expected, long deadline) {
        Hook hook = new Hook(own);
        hook.arm();
        try {
            int mine = (int) INT.getAcquire(own, 0L); // before the last look at the interrupt status
            if (Thread.currentThread().isInterrupted()) {
                return true;
            }
            futex_waitv.val(waiters, expected & 0xFFFF_FFFFL);
            futex_waitv.uaddr(waiters, word.address());
            futex_waitv.flags(waiters, futex_h.FUTEX_32());
            futex_waitv.val(waiters.asSlice(futex_waitv.sizeof()), mine & 0xFFFF_FFFFL);
            MemorySegment timeout = deadline == Timeouts.FOREVER ? MemorySegment.NULL : MonotonicClock.timespecAt(deadline);
            long rc = futex_h.futex_waitv(waiters, 2, 0, timeout, time_h.CLOCK_MONOTONIC());
            if (rc >= 0) {
                return true;
            }
            int errno = Errno.last();
            if (errno == errno_h.EAGAIN() || errno == errno_h.ETIMEDOUT() || errno == errno_h.EINTR()) {
                return true;
            }
            if (errno == errno_h.ENOSYS() || errno == errno_h.EPERM()) {
                available = false;
                return false;
            }
            throw Errors.fromErrno(errno, "wait on futex", "0x" + Long.toHexString(word.address()));
        } finally {
            hook.disarm();
        }
    }

    /**
     * The JDK's one public hook into {@link Thread#interrupt()}: an interruptible channel's
     * {@code begin()}/{@code end()} bracket, whose close the interrupting thread runs. It changes
     * the sleeper's own word and wakes it.
     */
    private static final class Hook extends AbstractInterruptibleChannel {
        private final MemorySegment own;

        Hook(MemorySegment own) {
            this.own = own;
        }

        void arm() {
            begin();
        }

        void disarm() {
            try {
                end(true);
            } catch (java.nio.channels.AsynchronousCloseException interruptedMeanwhile) {
                // the interrupt status stays set; the wait loop throws InterruptedException
            }
        }

        @Override
        protected void implCloseChannel() {
            INT.getAndAdd(own, 0L, 1);
            futex_h.futex_wake(own, Integer.MAX_VALUE);
        }
    }
}
