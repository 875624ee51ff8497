package org.panamaipc.attack.children;

import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker of the mutex fault-injection attack:
 * {@code work MUTEX DATA DIR ID SEED COUNT [HOLD_AT]}. It increments a counter in the shared
 * segment DATA COUNT times under the mutex, with a plain read-modify-write that only the mutex
 * keeps exact, and logs each increment once it has unlocked ({@code DIR/ack-ID}). While it holds
 * the mutex it marks the data dirty and names itself as holder, so the next holder can tell a
 * critical section left half-done: it must then have been told {@link IpcMutex#ownerDied()}.
 * With HOLD_AT it stops inside its HOLD_AT-th critical section, prints {@code holding} and waits
 * to be killed.
 */
public final class MutexPeer {

    /** Offset of the counter (long). */
    public static final long COUNTER = 0;
    /** Offset of the dirty mark (int): 1 while a critical section is under way. */
    public static final long DIRTY = 8;
    /** Offset of the holder's pid (int). */
    public static final long HOLDER = 12;
    /** Offset of the number of violations seen (long): two holders, or a dirty section without ownerDied. */
    public static final long VIOLATIONS = 16;
    /** Offset of the number of dirty sections repaired after ownerDied (long). */
    public static final long REPAIRS = 24;
    /** Bytes of the data segment. */
    public static final long SIZE = 64;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final Duration LOCK_DEADLINE = Duration.ofSeconds(30);

    private MutexPeer() {
    }

    public static void main(String[] args) {
        Watchdog.start("mutex worker", DEADLINE);
        try {
            work(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                    Long.parseLong(args[6]), args.length > 7 ? Long.parseLong(args[7]) : -1);
        } catch (Throwable t) {
            Peers.fail(t);
        }
        System.exit(0);
    }

    private static void work(String mutexName, String dataName, Path dir, int id, long seed, long count, long holdAt)
            throws InterruptedException {
        int me = (int) ProcessHandle.current().pid();
        try (IpcMutex mutex = IpcMutex.open(mutexName);
             SharedMemory data = SharedMemory.open(dataName);
             Log acks = new Log(dir.resolve("ack-" + id))) {
            MemorySegment d = data.segment();
            Peers.say("ready");
            for (long i = 1; i <= count; i++) {
                lock(mutex, Frames.mix(seed ^ id * 97L ^ i) & 3);
                boolean died = mutex.ownerDied();
                int dirty = d.get(ValueLayout.JAVA_INT, DIRTY);
                int holder = d.get(ValueLayout.JAVA_INT, HOLDER);
                if (dirty != 0 && !died) {
                    violation(d, "section left dirty by pid " + holder + " but ownerDied() is false");
                } else if (dirty != 0) {
                    LONG.getAndAdd(d, REPAIRS, 1L); // the dead holder's increment may or may not have happened
                }
                if (holder != 0 && holder != me && !died && Peers.running(holder)) {
                    violation(d, "pid " + holder + " is alive and still marked as holder");
                }
                d.set(ValueLayout.JAVA_INT, DIRTY, 1);
                d.set(ValueLayout.JAVA_INT, HOLDER, me);
                long c = d.get(ValueLayout.JAVA_LONG, COUNTER);
                if (i == holdAt) {
                    Peers.say("holding " + i);
                    Peers.pause(DEADLINE.toMillis()); // until killed, half-way through
                }
                for (int spin = (int) (Frames.mix(seed + i) & 63); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                d.set(ValueLayout.JAVA_LONG, COUNTER, c + 1);
                d.set(ValueLayout.JAVA_INT, HOLDER, 0);
                d.set(ValueLayout.JAVA_INT, DIRTY, 0);
                mutex.unlock();
                acks.write(id, i, 0);
            }
            Peers.say("done " + count);
        }
    }

    private static void lock(IpcMutex mutex, long form) throws InterruptedException {
        switch ((int) form) {
            case 0 -> mutex.lock(); // as long as it takes: the parent's deadline watches this one
            case 1 -> {
                long deadline = System.nanoTime() + LOCK_DEADLINE.toNanos();
                while (!mutex.tryLock()) {
                    if (System.nanoTime() - deadline >= 0) {
                        Peers.hang("tryLock never succeeded in " + LOCK_DEADLINE + ": " + mutex);
                    }
                    Thread.onSpinWait();
                }
            }
            default -> {
                if (!mutex.tryLock(LOCK_DEADLINE)) {
                    Peers.hang("lock(" + LOCK_DEADLINE + ") timed out: " + mutex);
                }
            }
        }
    }

    private static void violation(MemorySegment d, String what) {
        LONG.getAndAdd(d, VIOLATIONS, 1L);
        Peers.say("VIOLATION " + what);
    }
}
