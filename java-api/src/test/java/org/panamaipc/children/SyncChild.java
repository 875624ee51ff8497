package org.panamaipc.children;

import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import org.panamaipc.testkit.Watchdog;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for the synchronisation tests; the first argument picks the role. Every role has its
 * own deadline, so a child never outlives a test that forgot it.
 */
public final class SyncChild {

    /** Offset of the shared counter in the data segment. */
    public static final long COUNTER = 0;
    /** Offset of the number of current semaphore holders. */
    public static final long HOLDERS = 64;
    /** Offset of the highest number of holders seen. */
    public static final long MAX_HOLDERS = 128;
    /** Offset of the number of completed semaphore holdings. */
    public static final long HOLDINGS = 192;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private SyncChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start(args[0], DEADLINE);
        switch (args[0]) {
            case "mutex-count" -> mutexCount(args[1], args[2], Integer.parseInt(args[3]));
            case "mutex-hold" -> mutexHold(args[1]);
            case "mutex-take" -> mutexTake(args[1], Long.parseLong(args[2]));
            case "semaphore" -> semaphore(args[1], args[2], Integer.parseInt(args[3]));
            case "latch-down" -> latchDown(args[1]);
            case "event-await" -> eventAwait(args[1], Long.parseLong(args[2]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.exit(0);
    }

    private static void mutexCount(String mutexName, String dataName, int n) throws InterruptedException {
        try (IpcMutex mutex = IpcMutex.open(mutexName); SharedMemory data = SharedMemory.open(dataName)) {
            MemorySegment counter = data.segment();
            System.out.println("counting " + n);
            for (int i = 0; i < n; i++) {
                mutex.lock();
                try {
                    // a plain, non-atomic read-modify-write: only the mutex keeps it exact
                    counter.set(ValueLayout.JAVA_LONG, COUNTER, counter.get(ValueLayout.JAVA_LONG, COUNTER) + 1);
                } finally {
                    mutex.unlock();
                }
            }
            System.out.println("counted " + n);
        }
    }

    private static void mutexHold(String mutexName) throws InterruptedException {
        IpcMutex mutex = IpcMutex.open(mutexName);
        mutex.lock();
        System.out.println("locked by " + ProcessHandle.current().pid());
        Thread.sleep(DEADLINE.toMillis()); // until killed
    }

    private static void mutexTake(String mutexName, long timeoutMillis) throws InterruptedException {
        try (IpcMutex mutex = IpcMutex.open(mutexName)) {
            System.out.println("taking");
            long start = System.nanoTime();
            boolean locked = mutex.tryLock(Duration.ofMillis(timeoutMillis));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("locked=" + locked + " ownerDied=" + (locked && mutex.ownerDied()) + " after " + ms + " ms");
            if (locked) {
                mutex.unlock();
            }
            System.exit(locked ? 0 : 4);
        }
    }

    private static void semaphore(String semaphoreName, String dataName, int n) throws InterruptedException {
        try (IpcSemaphore semaphore = IpcSemaphore.open(semaphoreName); SharedMemory data = SharedMemory.open(dataName)) {
            MemorySegment shared = data.segment();
            for (int i = 0; i < n; i++) {
                if (!semaphore.tryAcquire(Duration.ofSeconds(30))) {
                    System.out.println("no permit within 30 s");
                    System.exit(5);
                }
                try {
                    long holders = (long) LONG.getAndAdd(shared, HOLDERS, 1L) + 1;
                    long max;
                    while (holders > (max = (long) LONG.getVolatile(shared, MAX_HOLDERS))
                            && !LONG.compareAndSet(shared, MAX_HOLDERS, max, holders)) {
                        Thread.onSpinWait();
                    }
                    long until = System.nanoTime() + 200_000; // hold 0.2 ms so holders overlap
                    while (System.nanoTime() - until < 0) {
                        Thread.onSpinWait();
                    }
                    LONG.getAndAdd(shared, HOLDERS, -1L);
                    LONG.getAndAdd(shared, HOLDINGS, 1L);
                } finally {
                    semaphore.release();
                }
            }
            System.out.println("done " + n);
        }
    }

    private static void latchDown(String latchName) {
        try (IpcLatch latch = IpcLatch.open(latchName)) {
            latch.countDown();
            System.out.println("counted down to " + latch.count());
        }
    }

    private static void eventAwait(String eventName, long timeoutMillis) throws InterruptedException {
        try (IpcEvent event = IpcEvent.open(eventName)) {
            System.out.println("awaiting");
            boolean set = event.await(Duration.ofMillis(timeoutMillis));
            System.out.println("set=" + set);
            System.exit(set ? 0 : 6);
        }
    }
}
