package org.panamaipc.channel;

import org.panamaipc.bindings.futex_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.bindings.pollfd;
import org.panamaipc.bindings.syscall_h;
import org.panamaipc.internal.Descriptors;
import org.panamaipc.internal.EventFd;
import org.panamaipc.process.ProcessId;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.panamaipc.channel.ChannelMemory.INT;

/**
 * Tells sleeping receivers at once that a process they wait for has died, so that they need not
 * wake by themselves to look. One daemon thread per JVM, started on first use, sits in
 * {@code poll} on a pidfd per watched process (Linux 5.3), which becomes readable when the process
 * exits, and on an eventfd that says the set changed. When a watched process exits, it adds 1 to
 * each futex word registered for it and wakes the word's sleepers, which then look at their peers.
 * While nothing changes and nobody dies, the thread makes no system call.
 *
 * <p>A futex wait cannot include a pidfd, and the kernel has no "wake this futex when that process
 * exits" for a process that is not a child (robust futexes clean up a dying thread's own locks,
 * not words it never held), so a thread must do it. Bumping a ring's signal word is safe: every
 * sleeper on it, in any process, takes a change as a possible wake-up and looks again.
 */
final class PeerDeaths {

    private static final Object LOCK = new Object();
    private static final List<Watch> WATCHES = new ArrayList<>();
    /** Cancelled watches whose pidfd the thread closes after its current poll: it alone closes them. */
    private static final List<Watch> TO_CLOSE = new ArrayList<>();
    private static EventFd changed;
    /** False once a pidfd could not be had (a kernel before 5.3, a seccomp filter, no descriptors left). */
    private static volatile boolean available = true;

    private PeerDeaths() {
    }

    /** One registration: wake {@code word} when {@code process} exits. */
    static final class Watch {
        final ProcessId process;
        final MemorySegment word;
        final int pidfd;
        /** Under {@link #LOCK}: cancelled, or fired (then the thread closed its pidfd). */
        private boolean done;
        /** Set once the process has exited and the word was woken. */
        private volatile boolean fired;

        private Watch(ProcessId process, MemorySegment word, int pidfd) {
            this.process = process;
            this.word = word;
            this.pidfd = pidfd;
        }

        /** {@return whether the process has exited (and the word was woken)} */
        boolean fired() {
            return fired;
        }

        /** Stops watching. Calling it again does nothing. */
        void cancel() {
            synchronized (LOCK) {
                if (done) {
                    return;
                }
                done = true;
                WATCHES.remove(this);
                TO_CLOSE.add(this);
            }
            changed.signal();
        }
    }

    /** {@return whether deaths can be watched here} Until a pidfd is refused, assumed so. */
    static boolean available() {
        return available;
    }

    /**
     * Watches {@code process} and wakes {@code word} (a ring's signal word) when it exits.
     * {@return the watch, or {@code null} if the process is gone already (the caller looks at its
     * peers now) or deaths cannot be watched here ({@link #available()} is then false)}
     */
    static Watch watch(ProcessId process, MemorySegment word) {
        int pidfd = syscall_h.pidfd_open(process.pid(), 0);
        if (pidfd < 0) {
            if (ProcessId.isAlive(process.pid(), process.startTime())) {
                available = false; // alive, yet no pidfd: ENOSYS, EPERM, EMFILE
            }
            return null;
        }
        if (!process.isAlive()) { // the pid was reused by another process, or it died meanwhile
            Descriptors.closeQuietly(pidfd);
            return null;
        }
        Watch watch = new Watch(process, word, pidfd);
        synchronized (LOCK) {
            if (changed == null) {
                changed = EventFd.create();
                Thread thread = new Thread(PeerDeaths::run, "panama-ipc peer deaths");
                thread.setDaemon(true);
                thread.start();
            }
            WATCHES.add(watch);
        }
        changed.signal();
        return watch;
    }

    private static void run() {
        Arena arena = Arena.ofAuto();
        MemorySegment fds = MemorySegment.NULL;
        int capacity = 0;
        List<Watch> polled = new ArrayList<>();
        List<Watch> closing = new ArrayList<>();
        while (true) {
            polled.clear();
            synchronized (LOCK) {
                polled.addAll(WATCHES);
            }
            if (polled.size() + 1 > capacity) {
                capacity = Math.max(16, 2 * (polled.size() + 1));
                fds = arena.allocate(pollfd.layout().byteSize() * capacity, pollfd.layout().byteAlignment());
            }
            set(fds, 0, changed.fd());
            for (int i = 0; i < polled.size(); i++) {
                set(fds, i + 1, polled.get(i).pidfd);
            }
            int ready = poll_h.poll(fds, polled.size() + 1, -1);
            if (ready <= 0) {
                continue; // EINTR
            }
            if (revents(fds, 0) != 0) {
                changed.drain();
            }
            closing.clear();
            for (int i = 0; i < polled.size(); i++) {
                if (revents(fds, i + 1) != 0) {
                    Watch watch = polled.get(i);
                    watch.fired = true; // before the wake: the woken sleeper reads it
                    try {
                        INT.getAndAdd(watch.word, 0L, 1);
                        futex_h.futex_wake(watch.word, Integer.MAX_VALUE);
                    } catch (IllegalStateException unmapped) {
                        // its channel was closed meanwhile: nobody sleeps on it
                    }
                    closing.add(watch);
                }
            }
            synchronized (LOCK) {
                for (Watch watch : closing) {
                    if (!watch.done) {
                        watch.done = true;
                        WATCHES.remove(watch);
                    } else {
                        TO_CLOSE.remove(watch); // cancelled meanwhile: closed once, here
                    }
                }
                closing.addAll(TO_CLOSE);
                TO_CLOSE.clear();
            }
            for (Watch watch : closing) {
                Descriptors.closeQuietly(watch.pidfd);
            }
        }
    }

    private static void set(MemorySegment fds, int i, int fd) {
        MemorySegment entry = fds.asSlice(i * pollfd.layout().byteSize(), pollfd.layout().byteSize());
        pollfd.fd(entry, fd);
        pollfd.events(entry, poll_h.POLLIN());
        pollfd.revents(entry, (short) 0);
    }

    private static short revents(MemorySegment fds, int i) {
        return pollfd.revents(fds.asSlice(i * pollfd.layout().byteSize(), pollfd.layout().byteSize()));
    }
}
