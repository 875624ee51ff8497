package org.panamaipc.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.IpcException;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.LimitReachedException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.PermissionDeniedException;
import org.panamaipc.WouldBlockException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.mman_h;
import org.panamaipc.bindings.mq_attr;
import org.panamaipc.bindings.mqueue_h;
import org.panamaipc.bindings.timespec;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each errno that panama-ipc names is produced by a real failing call and mapped to its exception,
 * which keeps errno's name and the C library's text.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(30)
class ErrnoMappingTest {

    private static final int MODE = 0600;

    @Test
    void shouldMapEexistToAlreadyExists() {
        String name = TestNames.unique("eexist");
        try (SharedMemory first = SharedMemory.create(name, 4096)) {
            AlreadyExistsException e = assertThrows(AlreadyExistsException.class, () -> SharedMemory.create(name, 4096));
            assertErrno(e, errno_h.EEXIST(), "EEXIST", "File exists");
            assertEquals("Unable to create shared memory " + name + " since it already exists (EEXIST: File exists)",
                    e.getMessage());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldMapEnoentToNotFound() {
        String name = TestNames.unique("enoent");
        NotFoundException e = assertThrows(NotFoundException.class, () -> SharedMemory.open(name));
        assertErrno(e, errno_h.ENOENT(), "ENOENT", "No such file or directory");
        assertTrue(e.getMessage().startsWith("Unable to open shared memory " + name + " since it does not exist"),
                e.getMessage());
        assertThrows(NotFoundException.class, () -> SharedMemory.unlink(name));
    }

    @Test
    void shouldMapEaccesToPermissionDenied() {
        // root passes every permission check on modes, so produce EACCES the way the kernel gives it
        // to anyone: mapping for writing a descriptor opened read-only
        String name = TestNames.unique("eacces");
        try (SharedMemory shm = SharedMemory.create(name, 4096); Arena arena = Arena.ofConfined()) {
            int fd = mman_h.shm_open(arena.allocateFrom(name), fcntl_h.O_RDONLY(), 0);
            assertTrue(fd >= 0);
            try {
                MemorySegment map = mman_h.mmap(MemorySegment.NULL, 4096, mman_h.PROT_READ() | mman_h.PROT_WRITE(),
                        mman_h.MAP_SHARED(), fd, 0);
                assertEquals(mman_h.MAP_FAILED().address(), map.address());
                IpcException e = Errors.lastError("map shared memory", name);
                assertInstanceOf(PermissionDeniedException.class, e);
                assertErrno(e, errno_h.EACCES(), "EACCES", "Permission denied");
            } finally {
                unistd_h.close(fd);
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldMapEinvalOnANameToInvalidName() {
        try (Arena arena = Arena.ofConfined()) {
            // a second slash: glibc refuses the name with EINVAL before the kernel sees it
            int fd = mman_h.shm_open(arena.allocateFrom("/a/b"), fcntl_h.O_RDONLY(), 0);
            assertEquals(-1, fd);
            int errno = Errno.last();
            assertEquals(errno_h.EINVAL(), errno);
            InvalidNameException e = Errors.invalidName(errno, "open shared memory", "/a/b");
            assertErrno(e, errno_h.EINVAL(), "EINVAL", "Invalid argument");
            // without the call site's knowledge an EINVAL is only an IpcException that keeps its errno
            IpcException generic = Errors.fromErrno(errno, "open shared memory", "/a/b");
            assertEquals(IpcException.class, generic.getClass());
            assertEquals("EINVAL", generic.errnoName());
        }
    }

    @Test
    void shouldMapEmsgsizeToMessageTooLong() {
        withQueue(0, (mq, name) -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment big = arena.allocate(129);
                assertEquals(-1, mqueue_h.mq_send(mq, big, big.byteSize(), 0));
                IpcException e = Errors.lastError("send to message queue", name);
                assertInstanceOf(MessageTooLongException.class, e);
                assertErrno(e, errno_h.EMSGSIZE(), "EMSGSIZE", "Message too long");
            }
        });
    }

    @Test
    void shouldMapEagainToWouldBlock() {
        withQueue(fcntl_h.O_NONBLOCK(), (mq, name) -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(128);
                assertEquals(-1, mqueue_h.mq_receive(mq, buffer, buffer.byteSize(), MemorySegment.NULL));
                IpcException e = Errors.lastError("receive from message queue", name);
                assertInstanceOf(WouldBlockException.class, e);
                assertErrno(e, errno_h.EAGAIN(), "EAGAIN", "Resource temporarily unavailable");
            }
        });
    }

    @Test
    void shouldMapEtimedoutToTimeout() {
        withQueue(0, (mq, name) -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(128);
                MemorySegment past = timespec.allocate(arena); // 1970: the deadline has passed
                assertEquals(-1, mqueue_h.mq_timedreceive(mq, buffer, buffer.byteSize(), MemorySegment.NULL, past));
                IpcException e = Errors.lastError("receive from message queue", name);
                assertInstanceOf(IpcTimeoutException.class, e);
                assertErrno(e, errno_h.ETIMEDOUT(), "ETIMEDOUT", "Connection timed out");
            }
        });
    }

    @Test
    void shouldNameTheLimitAndHowToRaiseIt() {
        IpcException e = Errors.fromErrno(errno_h.EMFILE(), "open message queue", "/q");
        LimitReachedException limit = assertInstanceOf(LimitReachedException.class, e);
        assertEquals("EMFILE", limit.errnoName());
        assertTrue(limit.limit().startsWith("RLIMIT_NOFILE"), limit.limit());
        assertTrue(limit.howToRaise().contains("ulimit -n"), limit.howToRaise());
        assertTrue(limit.getMessage().contains("RLIMIT_NOFILE") && limit.getMessage().contains("(now "),
                limit.getMessage());
    }

    @Test
    void shouldKeepUnknownErrnoAsNumber() {
        IpcException e = Errors.fromErrno(4000, "do something", null);
        assertEquals(IpcException.class, e.getClass());
        assertEquals("errno 4000", e.errnoName());
        assertEquals("Unknown error 4000", e.strerror());
    }

    private interface QueueBody {
        void run(int mq, String name);
    }

    private static void withQueue(int extraFlags, QueueBody body) {
        String name = TestNames.unique("mq");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = mq_attr.allocate(arena);
            mq_attr.mq_maxmsg(attr, 4);
            mq_attr.mq_msgsize(attr, 128);
            MemorySegment cName = arena.allocateFrom(name);
            int mq = mqueue_h.mq_open(cName, fcntl_h.O_RDWR() | fcntl_h.O_CREAT() | fcntl_h.O_EXCL() | extraFlags,
                    MODE, attr);
            assertTrue(mq >= 0, () -> "mq_open failed: " + Errno.name(Errno.last()));
            try {
                body.run(mq, name);
            } finally {
                mqueue_h.mq_close(mq);
                mqueue_h.mq_unlink(cName);
            }
        }
    }

    private static void assertErrno(IpcException e, int errno, String name, String text) {
        assertEquals(errno, e.errno());
        assertEquals(name, e.errnoName());
        assertEquals(text, e.strerror());
        assertTrue(e.getMessage().endsWith("(" + name + ": " + text + ")"), e.getMessage());
    }
}
