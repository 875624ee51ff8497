package org.panamaipc.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.panamaipc.bindings.children.ChildSupport.describe;

/**
 * A shared memory object a test creates and maps through the raw bindings, and removes again:
 * {@code shm_open(O_CREAT | O_EXCL | O_RDWR, 0600)}, {@code ftruncate}, {@code mmap(MAP_SHARED)};
 * {@link #close()} does {@code munmap}, {@code close} and {@code shm_unlink}, each even if another
 * fails. Use it in try-with-resources, so the object is gone also when the test fails.
 */
final class SharedSegment implements AutoCloseable {

    private final Arena arena;
    private final String name;
    private final MemorySegment cName;
    private final int fd;
    private final MemorySegment mapping;

    private SharedSegment(Arena arena, String name, MemorySegment cName, int fd, MemorySegment mapping) {
        this.arena = arena;
        this.name = name;
        this.cName = cName;
        this.fd = fd;
        this.mapping = mapping;
    }

    /** {@return a new object {@code name} of {@code size} bytes, mapped read-write; fails if it exists} */
    static SharedSegment create(String name, long size) {
        Arena arena = Arena.ofConfined();
        MemorySegment cName = arena.allocateFrom(name);
        int fd = mman_h.shm_open(cName, fcntl_h.O_CREAT() | fcntl_h.O_EXCL() | fcntl_h.O_RDWR(),
                stat_h.S_IRUSR() | stat_h.S_IWUSR());
        if (fd == -1) {
            int errno = errno_h.errno();
            arena.close();
            throw new AssertionError("shm_open(" + name + ", O_CREAT | O_EXCL | O_RDWR, 0600) failed: " + describe(errno));
        }
        try {
            if (unistd_h.ftruncate(fd, size) == -1) {
                throw new AssertionError("ftruncate(" + name + ", " + size + ") failed: " + describe(errno_h.errno()));
            }
            MemorySegment address = mman_h.mmap(MemorySegment.NULL, size,
                    mman_h.PROT_READ() | mman_h.PROT_WRITE(), mman_h.MAP_SHARED(), fd, 0);
            if (address.address() == mman_h.MAP_FAILED().address()) {
                throw new AssertionError("mmap(" + name + ", " + size + ") failed: " + describe(errno_h.errno()));
            }
            return new SharedSegment(arena, name, cName, fd, address.reinterpret(size));
        } catch (Throwable t) {
            unistd_h.close(fd);
            mman_h.shm_unlink(cName);
            arena.close();
            throw t;
        }
    }

    /** {@return the object's name, such as {@code /pipc-test-...}} */
    String name() {
        return name;
    }

    /** {@return the object's name as a C string} */
    MemorySegment cName() {
        return cName;
    }

    /** {@return the file descriptor {@code shm_open} returned} */
    int fd() {
        return fd;
    }

    /** {@return the mapping, as long as the object} */
    MemorySegment mapping() {
        return mapping;
    }

    /** Unmaps, closes and unlinks; throws if any of them failed, after trying all three. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        if (mman_h.munmap(mapping, mapping.byteSize()) == -1) {
            failures.add("munmap: " + describe(errno_h.errno()));
        }
        if (unistd_h.close(fd) == -1) {
            failures.add("close: " + describe(errno_h.errno()));
        }
        if (mman_h.shm_unlink(cName) == -1) {
            failures.add("shm_unlink(" + name + "): " + describe(errno_h.errno()));
        }
        arena.close();
        if (!failures.isEmpty()) {
            throw new AssertionError("cleaning up " + name + " failed: " + failures);
        }
    }
}
