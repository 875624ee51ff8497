package org.panamaipc.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.SyncChild;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synchronisation primitives between real processes: spawned JVMs. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(240)
class SyncAcrossProcessesTest {

    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(120);

    @Test
    void shouldCountExactlyUnderTheMutexFromThreeJvms() {
        String mutexName = TestNames.unique("mutex");
        String dataName = TestNames.unique("counter");
        int total = 1_000_000;
        int[] shares = {333_334, 333_333, 333_333};
        List<ChildProcess> children = new ArrayList<>();
        try (IpcMutex mutex = IpcMutex.create(mutexName); SharedMemory data = SharedMemory.create(dataName, 4096)) {
            for (int share : shares) {
                children.add(ChildProcess.java(SyncChild.class, "mutex-count", mutexName, dataName,
                        Integer.toString(share)));
            }
            for (ChildProcess child : children) {
                child.assertSuccess(CHILD_DEADLINE);
            }
            assertEquals(total, data.segment().get(ValueLayout.JAVA_LONG, SyncChild.COUNTER));
            assertEquals(total, mutex.acquisitions());
            assertEquals(0, mutex.owner(), "free after all unlocked");
            assertEquals(0, mutex.takeovers());
        } finally {
            children.forEach(ChildProcess::close);
            SharedMemory.unlinkIfExists(mutexName);
            SharedMemory.unlinkIfExists(dataName);
        }
    }

    @Test
    void shouldHandTheMutexOfAKilledOwnerToAnotherJvm() {
        String mutexName = TestNames.unique("robust");
        try (IpcMutex mutex = IpcMutex.create(mutexName);
             ChildProcess owner = ChildProcess.java(SyncChild.class, "mutex-hold", mutexName)) {
            owner.awaitOutput("locked by", Duration.ofSeconds(30));
            assertEquals(owner.pid(), mutex.owner());
            try (ChildProcess taker = ChildProcess.java(SyncChild.class, "mutex-take", mutexName, "20000")) {
                taker.awaitOutput("taking", Duration.ofSeconds(30));
                owner.kill(); // SIGKILL while holding the mutex
                taker.assertSuccess(Duration.ofSeconds(30));
                assertTrue(taker.output().contains("locked=true ownerDied=true"), taker.output());
            }
            assertEquals(1, mutex.takeovers());
            assertEquals(0, mutex.owner());
            // a fresh lock afterwards is an ordinary one
            assertTrue(mutex.tryLock());
            assertTrue(!mutex.ownerDied());
            mutex.unlock();
        } finally {
            SharedMemory.unlinkIfExists(mutexName);
        }
    }

    @Test
    void shouldNeverLetMoreThanTwoOfFourJvmsHoldATwoPermitSemaphore() {
        String semaphoreName = TestNames.unique("sem");
        String dataName = TestNames.unique("sem-data");
        int perChild = 500;
        List<ChildProcess> children = new ArrayList<>();
        try (IpcSemaphore semaphore = IpcSemaphore.create(semaphoreName, 2);
             SharedMemory data = SharedMemory.create(dataName, 4096)) {
            for (int i = 0; i < 4; i++) {
                children.add(ChildProcess.java(SyncChild.class, "semaphore", semaphoreName, dataName,
                        Integer.toString(perChild)));
            }
            for (ChildProcess child : children) {
                child.assertSuccess(CHILD_DEADLINE);
            }
            long max = data.segment().get(ValueLayout.JAVA_LONG, SyncChild.MAX_HOLDERS);
            assertTrue(max <= 2, "max holders " + max);
            assertTrue(max >= 1, "no holder recorded");
            assertEquals(4L * perChild, data.segment().get(ValueLayout.JAVA_LONG, SyncChild.HOLDINGS));
            assertEquals(0, data.segment().get(ValueLayout.JAVA_LONG, SyncChild.HOLDERS));
            assertEquals(2, semaphore.availablePermits());
            System.out.println("semaphore: at most " + max + " holders at once over " + 4 * perChild + " holdings");
        } finally {
            children.forEach(ChildProcess::close);
            SharedMemory.unlinkIfExists(semaphoreName);
            SharedMemory.unlinkIfExists(dataName);
        }
    }

    @Test
    void shouldReleaseALatchCountedDownByThreeJvms() throws InterruptedException {
        String name = TestNames.unique("latch");
        List<ChildProcess> children = new ArrayList<>();
        try (IpcLatch latch = IpcLatch.create(name, 3)) {
            assertTrue(!latch.await(Duration.ofMillis(20)));
            for (int i = 0; i < 3; i++) {
                children.add(ChildProcess.java(SyncChild.class, "latch-down", name));
            }
            assertTrue(latch.await(CHILD_DEADLINE), "count still " + latch.count());
            for (ChildProcess child : children) {
                child.assertSuccess(CHILD_DEADLINE);
            }
            assertEquals(0, latch.count());
        } finally {
            children.forEach(ChildProcess::close);
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeAJvmAwaitingAnEvent() {
        String name = TestNames.unique("event");
        try (IpcEvent event = IpcEvent.create(name, IpcEvent.Type.MANUAL_RESET);
             ChildProcess child = ChildProcess.java(SyncChild.class, "event-await", name, "30000")) {
            child.awaitOutput("awaiting", Duration.ofSeconds(30));
            event.set();
            child.assertSuccess(Duration.ofSeconds(30));
            assertTrue(child.output().contains("set=true"), child.output());
            assertTrue(event.isSet(), "manual reset: stays set");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }
}
