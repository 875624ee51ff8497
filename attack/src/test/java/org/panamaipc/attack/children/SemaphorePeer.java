package org.panamaipc.attack.children;

import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker of the semaphore fault-injection attack:
 * {@code work SEMAPHORE DATA DIR ID SEED COUNT PERMITS [HOLD_AT]}. It takes and gives back a
 * permit COUNT times. While it holds one, its slot in DATA holds its pid and it counts itself in
 * an atomic count of holders, which must never exceed PERMITS. Each holding is logged once the
 * permit is back ({@code DIR/ack-ID}). With HOLD_AT it stops while holding its HOLD_AT-th permit,
 * prints {@code holding} and waits to be killed (the permit is then lost: a semaphore does not
 * recover permits of the dead, as documented).
 */
public final class SemaphorePeer {

    /** Offset of the number of violations (long). */
    public static final long VIOLATIONS = 0;
    /** Offset of the number of workers holding a permit now (long). */
    public static final long HOLDERS = 8;
    /** Offset of worker 0's slot (long: the pid while holding, else 0); worker i's is 8 bytes further per i. */
    public static final long SLOTS = 64;
    /** Bytes of the data segment. */
    public static final long SIZE = 4096;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final Duration ACQUIRE_DEADLINE = Duration.ofSeconds(30);

    private SemaphorePeer() {
    }

    public static void main(String[] args) {
        Watchdog.start("semaphore worker", DEADLINE);
        try {
            work(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                    Long.parseLong(args[6]), Integer.parseInt(args[7]), args.length > 8 ? Long.parseLong(args[8]) : -1);
        } catch (Throwable t) {
            Peers.fail(t);
        }
        System.exit(0);
    }

    private static void work(String semName, String dataName, Path dir, int id, long seed, long count, int permits,
                             long holdAt) throws InterruptedException {
        long me = ProcessHandle.current().pid();
        try (IpcSemaphore semaphore = IpcSemaphore.open(semName);
             SharedMemory data = SharedMemory.open(dataName);
             Log acks = new Log(dir.resolve("ack-" + id))) {
            MemorySegment d = data.segment();
            long slot = SLOTS + 8L * id;
            Peers.say("ready");
            for (long i = 1; i <= count; i++) {
                acquire(semaphore, Frames.mix(seed ^ id * 97L ^ i) & 3);
                LONG.setVolatile(d, slot, me);
                // an atomic count of holders: a victim killed holding keeps its permit (documented)
                // and its count, so the count exceeds the permits only if the semaphore gave out more
                long holders = (long) LONG.getAndAdd(d, HOLDERS, 1L) + 1;
                if (holders > permits) {
                    LONG.getAndAdd(d, VIOLATIONS, 1L);
                    Peers.say("VIOLATION " + holders + " holders of " + permits + " permits");
                }
                if (i == holdAt) {
                    Peers.say("holding " + i);
                    Peers.pause(DEADLINE.toMillis()); // until killed
                }
                for (int spin = (int) (Frames.mix(seed + i) & 255); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                LONG.getAndAdd(d, HOLDERS, -1L);
                LONG.setVolatile(d, slot, 0L);
                semaphore.release();
                acks.write(id, i, 0);
            }
            Peers.say("done " + count);
        }
    }

    private static void acquire(IpcSemaphore semaphore, long form) throws InterruptedException {
        switch ((int) form) {
            case 0 -> semaphore.acquire(); // as long as it takes: the parent's deadline watches this one
            case 1 -> {
                long deadline = System.nanoTime() + ACQUIRE_DEADLINE.toNanos();
                while (!semaphore.tryAcquire()) {
                    if (System.nanoTime() - deadline >= 0) {
                        Peers.hang("tryAcquire never succeeded in " + ACQUIRE_DEADLINE + ": " + semaphore);
                    }
                    Thread.onSpinWait();
                }
            }
            default -> {
                if (!semaphore.tryAcquire(ACQUIRE_DEADLINE)) {
                    Peers.hang("tryAcquire(" + ACQUIRE_DEADLINE + ") timed out: " + semaphore);
                }
            }
        }
    }
}
