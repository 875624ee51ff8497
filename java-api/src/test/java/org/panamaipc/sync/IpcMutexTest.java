package org.panamaipc.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class IpcMutexTest {

    private static final int MY_PID = (int) ProcessHandle.current().pid();

    @Test
    void shouldLockAndUnlockWithoutWaitersFlag() throws InterruptedException {
        String name = TestNames.unique("mutex");
        try (IpcMutex mutex = IpcMutex.create(name)) {
            assertEquals(0, mutex.owner());
            for (int i = 0; i < 1000; i++) {
                mutex.lock();
                // uncontended: the word holds our pid alone, so unlock will not call FUTEX_WAKE
                assertEquals(MY_PID, wordOf(mutex));
                assertTrue(mutex.isHeldByCurrentThread());
                assertFalse(mutex.ownerDied());
                mutex.unlock();
            }
            assertEquals(1000, mutex.acquisitions());
            assertEquals(0, wordOf(mutex));
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldNotLetASecondThreadInAndTimeOut() throws Exception {
        String name = TestNames.unique("mutex-timeout");
        try (IpcMutex mutex = IpcMutex.create(name)) {
            mutex.lock();
            CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
                try {
                    boolean tried = mutex.tryLock();
                    long start = System.nanoTime();
                    boolean locked = mutex.tryLock(Duration.ofMillis(100));
                    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
                    return tried || locked;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertFalse(other.get(30, TimeUnit.SECONDS));
            assertTrue((wordOf(mutex) & MutexDescriptor.WAITERS) != 0, "the waiter flagged itself");
            mutex.unlock();
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeAWaitingThreadOnUnlock() throws Exception {
        String name = TestNames.unique("mutex-handoff");
        try (IpcMutex mutex = IpcMutex.create(name)) {
            mutex.lock();
            CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
                try {
                    boolean locked = mutex.tryLock(Duration.ofSeconds(30));
                    mutex.unlock();
                    return locked;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((wordOf(mutex) & MutexDescriptor.WAITERS) == 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            mutex.unlock();
            assertTrue(other.get(30, TimeUnit.SECONDS));
            assertEquals(2, mutex.acquisitions());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseUnlockByNonOwner() throws Exception {
        String name = TestNames.unique("mutex-owner");
        try (IpcMutex mutex = IpcMutex.create(name)) {
            IllegalStateException free = assertThrows(IllegalStateException.class, mutex::unlock);
            assertTrue(free.getMessage().contains("it is free"), free.getMessage());
            mutex.lock();
            Throwable fromOther = CompletableFuture.supplyAsync(() -> {
                try {
                    mutex.unlock();
                    return null;
                } catch (IllegalStateException expected) {
                    return expected;
                }
            }).get(30, TimeUnit.SECONDS);
            assertTrue(fromOther instanceof IllegalStateException, "unlock from another thread must fail");
            assertTrue(fromOther.getMessage().contains("is held by pid " + MY_PID), fromOther.getMessage());
            assertTrue(mutex.isHeldByCurrentThread(), "still ours");
            mutex.unlock();
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldEndAWaitingLockOnInterrupt() throws Exception {
        String name = TestNames.unique("mutex-interrupt");
        try (IpcMutex mutex = IpcMutex.create(name)) {
            mutex.lock();
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    mutex.lock();
                    result.complete(null);
                } catch (Throwable t) {
                    result.complete(t);
                }
            });
            waiter.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((wordOf(mutex) & MutexDescriptor.WAITERS) == 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            waiter.interrupt();
            assertTrue(result.get(30, TimeUnit.SECONDS) instanceof InterruptedException);
            mutex.unlock();
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldTakeOverFromADeadOwnerRecordedInTheWord() throws Exception {
        // simulate what a killed process leaves: the word holds a pid that no longer runs
        String name = TestNames.unique("mutex-dead");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        int deadPid = (int) gone.pid();
        try (IpcMutex mutex = IpcMutex.create(name); SharedMemory raw = SharedMemory.open(name)) {
            long body = org.panamaipc.shm.SegmentHeaderDescriptor.HEADER_SIZE;
            raw.segment().set(ValueLayout.JAVA_INT, body + MutexDescriptor.WORD_OFFSET, deadPid);
            raw.segment().set(ValueLayout.JAVA_INT, body + MutexDescriptor.OWNER_PID_OFFSET, deadPid);
            assertTrue(mutex.tryLock(Duration.ofSeconds(10)));
            assertTrue(mutex.ownerDied());
            assertEquals(1, mutex.takeovers());
            mutex.unlock();
            assertFalse(mutex.ownerDied());
            // tryLock sees through a dead owner as well
            raw.segment().set(ValueLayout.JAVA_INT, body + MutexDescriptor.WORD_OFFSET, deadPid);
            assertTrue(mutex.tryLock());
            assertTrue(mutex.ownerDied());
            mutex.unlock();
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldOpenOrCreateAndRefuseOtherKinds() {
        String name = TestNames.unique("mutex-kinds");
        String latch = TestNames.unique("latch-not-mutex");
        try (IpcMutex first = IpcMutex.openOrCreate(name); IpcMutex second = IpcMutex.openOrCreate(name);
             IpcLatch notAMutex = IpcLatch.create(latch, 1)) {
            assertTrue(first.tryLock());
            assertFalse(second.tryLock(), "same mutex, held by this thread");
            first.unlock();
            assertThrows(AlreadyExistsException.class, () -> IpcMutex.create(name));
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> IpcMutex.open(latch));
            assertEquals(InvalidSegmentException.Reason.WRONG_KIND, e.reason());
            assertTrue(e.getMessage().contains("it holds LATCH (kind 4), expected MUTEX (kind 1)"), e.getMessage());
        } finally {
            SharedMemory.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(latch);
        }
    }

    @Test
    void shouldWorkInACallersRegion() throws InterruptedException {
        String name = TestNames.unique("mutex-region");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            IpcMutex mutex = IpcMutex.wrap(shm.segment().asSlice(64, 64));
            mutex.lock();
            assertEquals(MY_PID, shm.segment().get(ValueLayout.JAVA_INT, 64));
            mutex.unlock();
            assertThrows(IllegalArgumentException.class, () -> IpcMutex.wrap(shm.segment().asSlice(4, 64)));
            assertThrows(IllegalArgumentException.class, () -> IpcMutex.wrap(shm.segment().asSlice(0, 32)));
            assertThrows(IllegalStateException.class, mutex::unlink);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static int wordOf(IpcMutex mutex) {
        // the word, read through a second mapping of the mutex's segment
        String text = mutex.toString();
        String name = text.substring("IpcMutex[".length(), text.indexOf(','));
        try (SharedMemory raw = SharedMemory.open(name)) {
            return raw.segment().get(ValueLayout.JAVA_INT,
                    org.panamaipc.shm.SegmentHeaderDescriptor.HEADER_SIZE + MutexDescriptor.WORD_OFFSET);
        }
    }
}
