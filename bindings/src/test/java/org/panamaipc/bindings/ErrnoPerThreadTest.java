package org.panamaipc.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.panamaipc.bindings.children.ChildSupport.describe;

/**
 * {@link errno_h#errno()} is per thread: a failure on one thread does not change the errno that
 * another thread's last call left behind.
 */
@ExtendWith(NoLeakedObjects.class)
class ErrnoPerThreadTest {

    @Test
    @Timeout(30)
    void shouldKeepEachThreadsErrnoApart() throws Exception {
        // each thread fails, then waits until the other has failed too, then reads its errno
        CyclicBarrier bothFailed = new CyclicBarrier(2);
        AtomicReference<Object> missingObject = new AtomicReference<>();
        AtomicReference<Object> badDescriptor = new AtomicReference<>();
        String missing = TestNames.unique("missing");

        Thread opener = Thread.ofPlatform().name("opener").start(() -> record(missingObject, () -> {
            try (Arena arena = Arena.ofConfined()) {
                int fd = mman_h.shm_open(arena.allocateFrom(missing), fcntl_h.O_RDWR(), 0);
                if (fd != -1) {
                    unistd_h.close(fd);
                    throw new AssertionError(missing + " exists");
                }
            }
            bothFailed.await(10, TimeUnit.SECONDS);
            return errno_h.errno();
        }));
        Thread closer = Thread.ofPlatform().name("closer").start(() -> record(badDescriptor, () -> {
            if (unistd_h.close(-1) != -1) {
                throw new AssertionError("close(-1) succeeded");
            }
            bothFailed.await(10, TimeUnit.SECONDS);
            return errno_h.errno();
        }));
        // and this thread fails a third way, in between
        assertEquals(-1, unistd_h.sysconf(-1), "sysconf(-1)");
        int mine = errno_h.errno();

        opener.join(20_000);
        closer.join(20_000);
        assertFalse(opener.isAlive() || closer.isAlive(), "threads still running");
        assertEquals(errno_h.ENOENT(), missingObject.get(), "shm_open of a missing object: " + describe(errno_h.ENOENT()));
        assertEquals(errno_h.EBADF(), badDescriptor.get(), "close(-1): " + describe(errno_h.EBADF()));
        assertEquals(errno_h.EINVAL(), mine, "sysconf(-1): " + describe(mine));
        assertEquals(errno_h.EINVAL(), errno_h.errno(), "this thread's errno, read again after the others");
    }

    private interface Body {
        int run() throws Exception;
    }

    /** Records what {@code body} returns, or what it throws, so the test thread can assert it. */
    private static void record(AtomicReference<Object> result, Body body) {
        try {
            result.set(body.run());
        } catch (Throwable t) {
            result.set(t);
        }
    }
}
