package org.panamaipc.patterns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastDescriptor;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousDescriptor;
import org.panamaipc.rendezvous.RendezvousOptions;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.MutexDescriptor;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attaching to a broadcast or a rendezvous whose registration lock a live process keeps (a stuck
 * peer, or a hostile value in the lock word) is a lifecycle wait that runs out: an
 * {@link IpcTimeoutException} naming the holder after 10 s, as for a ring channel, not an
 * undocumented {@code IllegalStateException}. The holder here is a thread of this process, which is
 * as alive as another process would be.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(90)
class RegistrationLockTest {

    @Test
    void shouldTimeOutSubscribingWhileTheLockIsHeld() throws Throwable {
        String name = TestNames.unique("bc-lock");
        try (Broadcast broadcast = Broadcast.create(name, BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(4))) {
            assertTimesOutWhileHeld(name, SegmentKind.BROADCAST, BroadcastDescriptor.LOCK_OFFSET,
                    () -> broadcast.subscribe().close());
        } finally {
            Broadcast.unlinkIfExists(name);
        }
    }

    @Test
    void shouldTimeOutAttachingARendezvousSenderWhileTheLockIsHeld() throws Throwable {
        String name = TestNames.unique("rv-lock");
        try (Rendezvous rendezvous = Rendezvous.create(name, RendezvousOptions.of(64))) {
            assertTimesOutWhileHeld(name, SegmentKind.RENDEZVOUS, RendezvousDescriptor.LOCK_OFFSET,
                    () -> rendezvous.sender().close());
        } finally {
            Rendezvous.unlinkIfExists(name);
        }
    }

    private static void assertTimesOutWhileHeld(String name, SegmentKind kind, long lockOffset, Executable attach)
            throws Throwable {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().name("lock-holder").start(() -> {
            try (IpcSegment segment = IpcSegment.open(name, kind, lockOffset + MutexDescriptor.SIZE)) {
                IpcMutex lock = IpcMutex.wrap(segment.body().asSlice(lockOffset, MutexDescriptor.SIZE));
                lock.lock();
                held.countDown();
                release.await();
                lock.unlock();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(held.await(10, TimeUnit.SECONDS));
            IpcTimeoutException e = assertThrows(IpcTimeoutException.class, attach);
            assertTrue(e.getMessage().contains("process " + ProcessHandle.current().pid()), e.getMessage());
        } finally {
            release.countDown();
            holder.join(10_000);
        }
        attach.execute(); // once the lock is free, attaching works
    }
}
