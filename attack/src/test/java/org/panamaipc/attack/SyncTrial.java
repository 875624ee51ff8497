package org.panamaipc.attack;

import org.panamaipc.attack.children.MutexPeer;
import org.panamaipc.attack.children.SemaphorePeer;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fault-injection trial on an {@link IpcMutex} or an {@link IpcSemaphore}: worker JVMs take and
 * give back the lock (or a permit) in a loop, and one of them is killed with SIGKILL, either at a
 * random moment or paused on purpose while it holds it, half-way through its critical section.
 * Then the survivors finish within their deadline; for the mutex: no two live holders at once, the
 * holder after a dead one is told {@link IpcMutex#ownerDied()} whenever the dead one left its
 * section half-done, and the counter it protects is exact (every acknowledged increment, plus at
 * most the one the victim was making); for the semaphore: never more live holders than permits,
 * and no permit created (a dead holder's permit is lost, as documented).
 */
final class SyncTrial extends Trial {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration FINISH = Duration.ofSeconds(180);

    private final boolean mutex;
    long operations;

    SyncTrial(boolean mutex, long seed) {
        super(mutex ? "mutex" : "semaphore", seed);
        this.mutex = mutex;
    }

    SyncTrial run() {
        int workers = 3;
        long count = AttackMode.current().messagesPerTrialSender();
        int permits = 2;
        int victim = random.nextInt(workers);
        boolean hold = random.nextBoolean();
        long holdAt = 1 + random.nextLong(count / 2);
        scenario = (hold ? "KILL_HOLDER_MID_SECTION (at " + holdAt + ")" : "KILL_WORKER_AT_RANDOM") + ", " + workers + " workers";
        String name = TestNames.unique("atk-" + transport);
        String dataName = TestNames.unique("atk-" + transport + "-data");
        try (SharedMemory data = SharedMemory.create(dataName, mutex ? MutexPeer.SIZE : SemaphorePeer.SIZE);
             AutoCloseable primitive = mutex ? IpcMutex.create(name) : IpcSemaphore.create(name, permits)) {
            List<Child> all = new ArrayList<>();
            for (int id = 0; id < workers; id++) {
                List<String> args = new ArrayList<>(List.of("work", name, dataName, dir.toString(), Integer.toString(id),
                        Long.toString(seed), Long.toString(count)));
                if (!mutex) {
                    args.add(Integer.toString(permits));
                }
                if (hold && id == victim) {
                    args.add(Long.toString(holdAt));
                }
                all.add(start(Child.java(mutex ? MutexPeer.class : SemaphorePeer.class, args.toArray(String[]::new))
                        .label(transport + "-worker-" + id)));
            }
            for (Child c : all) {
                await(c, "ready", READY);
            }
            Child target = all.get(victim);
            if (hold) {
                await(target, "holding", FINISH);
            } else {
                Child.sleep(random.nextInt(20, 400));
            }
            if (!target.isAlive()) {
                scenario += ", victim finished before the kill";
            }
            kill(target);
            for (Child c : all) {
                if (c != target) {
                    finish(c, FINISH);
                }
            }
            for (Child c : all) {
                for (String line : c.lines()) {
                    if (line.startsWith("VIOLATION")) {
                        problem(Kind.VIOLATION, c + ": " + line);
                    }
                }
            }
            long acked = 0;
            for (int id = 0; id < workers; id++) {
                acked += org.panamaipc.attack.children.Log.read(dir.resolve("ack-" + id)).size();
            }
            operations = acked;
            MemorySegment d = data.segment();
            if (mutex) {
                checkMutex((IpcMutex) primitive, d, acked, hold);
            } else {
                checkSemaphore((IpcSemaphore) primitive, d, permits);
            }
        } catch (Exception e) {
            problem(Kind.AFTERMATH, "the trial failed: " + e);
        } finally {
            close();
            SharedMemory.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(dataName);
        }
        checkNothingLeft(name);
        checkNothingLeft(dataName);
        return this;
    }

    private void checkMutex(IpcMutex mutex, MemorySegment d, long acked, boolean heldWhenKilled) throws InterruptedException {
        long counter = d.get(ValueLayout.JAVA_LONG, MutexPeer.COUNTER);
        if (counter < acked || counter > acked + 1) {
            problem(Kind.LOST, "the counter is " + counter + " after " + acked
                    + " acknowledged increments (and at most one in progress when the victim died)");
        }
        if (heldWhenKilled && d.get(ValueLayout.JAVA_LONG, MutexPeer.REPAIRS) < 1 && d.get(ValueLayout.JAVA_INT, MutexPeer.DIRTY) == 0) {
            problem(Kind.VIOLATION, "the victim died half-way through its section and no later holder repaired it");
        }
        if (!mutex.tryLock(Duration.ofSeconds(10))) {
            problem(Kind.AFTERMATH, "the mutex could not be locked after the attack: " + mutex);
            return;
        }
        // after this lock at the latest (the survivors may have finished before the victim stopped)
        if (heldWhenKilled && mutex.takeovers() < 1) {
            problem(Kind.VIOLATION, "the victim died holding the mutex, and takeovers() is " + mutex.takeovers()
                    + " after the next lock");
        }
        if (d.get(ValueLayout.JAVA_INT, MutexPeer.DIRTY) != 0 && !mutex.ownerDied()) {
            problem(Kind.VIOLATION, "the section was left half-done, and locking after the attack did not say ownerDied()");
        }
        mutex.unlock();
        if (mutex.owner() != 0) {
            problem(Kind.AFTERMATH, "the mutex is not free after the attack: " + mutex);
        }
    }

    private void checkSemaphore(IpcSemaphore semaphore, MemorySegment d, int permits) throws InterruptedException {
        int available = semaphore.availablePermits();
        if (available > permits || available < permits - 1) {
            problem(Kind.AFTERMATH, "availablePermits() is " + available + " of " + permits
                    + " after the attack (the victim can have taken at most one with it)");
        }
        if (!semaphore.tryAcquire(Duration.ofSeconds(10))) {
            problem(Kind.AFTERMATH, "no permit could be taken after the attack: " + semaphore);
            return;
        }
        semaphore.release();
    }
}
