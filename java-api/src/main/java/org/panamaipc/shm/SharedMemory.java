package org.panamaipc.shm;

import org.panamaipc.Access;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.IpcException;
import org.panamaipc.NotFoundException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.mman_h;
import org.panamaipc.bindings.stat;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Limits;
import org.panamaipc.internal.Namespace;
import org.panamaipc.internal.PosixNames;
import org.panamaipc.internal.Sleepers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.Objects;

/**
 * A named POSIX shared-memory object ({@code shm_open}) mapped into this process ({@code mmap}),
 * seen as a {@link MemorySegment} bounded to the object's size: an offset outside it is an
 * {@link IndexOutOfBoundsException}, never a stray write, and any access after {@link #close()} is
 * an {@link IllegalStateException}, never a crash. Sizes are {@code long}; segments over 2 GiB work.
 *
 * {@snippet lang=java :
 * // process A
 * try (SharedMemory shm = SharedMemory.create("/orders", 4096)) {
 *     shm.segment().set(ValueLayout.JAVA_LONG, 0, 42L);
 *     // ... later, when no one else will open it by name:
 *     shm.unlink();
 * }
 * // process B
 * try (SharedMemory shm = SharedMemory.open("/orders")) {
 *     long value = shm.segment().get(ValueLayout.JAVA_LONG, 0);
 * }
 * }
 *
 * <p>The object outlives every process that maps it until it is unlinked: {@link #unlink()} (or
 * {@link #unlink(String)}) removes the name at once, and the memory goes when the last mapping
 * does. Objects are created with mode {@code 0600} (owner read and write) unless a mode is given;
 * the mode is applied exactly, whatever the umask.
 *
 * <p>Instances are safe for use by several threads; {@link #close()} and {@link #grow(long)} make
 * earlier {@link #segment()} results unusable (accessing them throws {@link IllegalStateException}).
 * They wake the threads of this process that wait on the memory they unmap, which then throw
 * {@link IllegalStateException} naming the object, and return once the memory is unmapped: there is
 * no moment when the object looks closed while its memory is still mapped.
 */
public final class SharedMemory implements AutoCloseable {

    /** The mode objects are created with unless told otherwise: {@code 0600}, owner read and write. */
    public static final int DEFAULT_MODE = Lifecycle.DEFAULT_MODE;

    private static final String WHAT = "shared memory";

    /**
     * How long {@link #close()}, {@link #grow(long)} and {@link #remap()} wait for native calls on
     * the memory to end before they give up and leave the mapping as it was.
     */
    public static final Duration UNMAP_TIMEOUT = Duration.ofSeconds(5);

    private static final Path DEV_SHM = Path.of("/dev/shm");

    private final String name;
    private final Access access;
    private final boolean created;
    private int fd;
    private Arena arena;
    private MemorySegment segment;

    private SharedMemory(String name, Access access, boolean created, int fd) {
        this.name = name;
        this.access = access;
        this.created = created;
        this.fd = fd;
    }

    /**
     * Creates the object {@code name} of {@code size} bytes, zero-filled, with mode {@code 0600},
     * and maps it for reading and writing.
     *
     * <p>Every byte is reserved in {@code /dev/shm} now ({@code fallocate}), so a {@code /dev/shm}
     * too small for it fails here, never with a {@code SIGBUS} at the first touch of a page that
     * has no room. Reserving costs time (the kernel clears every page) and counts the whole size
     * as used shared memory from the start.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws AlreadyExistsException if an object of that name exists
     * @throws org.panamaipc.InvalidNameException if the name breaks the POSIX rules
     * @throws IllegalArgumentException if {@code size} is not positive
     * @throws org.panamaipc.LimitReachedException if {@code /dev/shm} has no room for {@code size}
     *         bytes; the message says its size and how to raise it
     * @throws IpcException for other failures
     */
    public static SharedMemory create(String name, long size) {
        return create(name, size, DEFAULT_MODE);
    }

    /**
     * Creates the object as {@link #create(String, long)} does, with permission bits {@code mode}
     * (such as {@code 0660}).
     */
    public static SharedMemory create(String name, long size, int mode) {
        PosixNames.check(name);
        checkSize(size);
        Lifecycle.checkMode(mode);
        int fd = Namespace.SHARED_MEMORY.create(name, fcntl_h.O_RDWR(), mode, MemorySegment.NULL, WHAT, null);
        return setUp(name, fd, size, true);
    }

    /**
     * Opens the existing object {@code name} for reading and writing and maps all of it.
     *
     * @throws NotFoundException if no object of that name exists
     * @throws org.panamaipc.PermissionDeniedException if its mode does not allow this process to read and write it
     * @throws InvalidSegmentException if the object is empty (its creator has not yet sized it)
     */
    public static SharedMemory open(String name) {
        return open(name, Access.READ_WRITE);
    }

    /**
     * Opens the existing object {@code name} as {@link #open(String)} does, with the given access:
     * {@link Access#READ_ONLY} maps a read-only segment, so a write throws instead of faulting.
     *
     * @throws IllegalArgumentException if {@code access} is {@link Access#WRITE_ONLY}: memory cannot
     *         be mapped for writing alone
     */
    public static SharedMemory open(String name, Access access) {
        PosixNames.check(name);
        Objects.requireNonNull(access, "access");
        if (access == Access.WRITE_ONLY) {
            throw new IllegalArgumentException("access=WRITE_ONLY: shared memory is mapped READ_ONLY or READ_WRITE");
        }
        int flags = access == Access.READ_ONLY ? fcntl_h.O_RDONLY() : fcntl_h.O_RDWR();
        int fd = Namespace.SHARED_MEMORY.open(name, flags, WHAT);
        SharedMemory shm = new SharedMemory(name, access, false, fd);
        try {
            long size = shm.objectSize();
            if (size == 0) {
                throw new InvalidSegmentException(name, InvalidSegmentException.Reason.EMPTY,
                        "its size is 0: its creator has not sized it yet, or it is not a panama-ipc object");
            }
            shm.map(size);
            return shm;
        } catch (RuntimeException e) {
            shm.close();
            throw e;
        }
    }

    /**
     * Opens {@code name} if it exists, or else creates it with {@code size} bytes and mode
     * {@code 0600}. An existing object smaller than {@code size} is grown to {@code size}; a larger
     * one is mapped whole. {@link #created()} tells which happened. What it creates or grows is
     * reserved as {@link #create(String, long)} says.
     *
     * @throws org.panamaipc.LimitReachedException if {@code /dev/shm} has no room for the bytes it
     *         would add; an existing object then keeps its size
     */
    public static SharedMemory openOrCreate(String name, long size) {
        return openOrCreate(name, size, DEFAULT_MODE);
    }

    /**
     * As {@link #openOrCreate(String, long)}, creating with permission bits {@code mode}. The
     * create/open race with another process that removes the name is retried (a few times).
     */
    public static SharedMemory openOrCreate(String name, long size, int mode) {
        PosixNames.check(name);
        checkSize(size);
        Lifecycle.checkMode(mode);
        return Lifecycle.openOrCreate(() -> create(name, size, mode),
                () -> setUp(name, Namespace.SHARED_MEMORY.open(name, fcntl_h.O_RDWR(), WHAT), size, false));
    }

    /**
     * Removes the name {@code name}. Processes that have it mapped keep their mappings; the memory
     * is freed when the last one unmaps.
     *
     * @throws NotFoundException if no object of that name exists
     */
    public static void unlink(String name) {
        Namespace.SHARED_MEMORY.unlink(name, WHAT);
    }

    /** {@return whether the name existed and was removed} Like {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return Namespace.SHARED_MEMORY.unlinkIfExists(name, WHAT);
    }

    /**
     * {@return whether a shared-memory object named {@code name} exists now} Whatever it holds:
     * the primitives, segments and rings of panama-ipc are shared-memory objects too.
     */
    public static boolean exists(String name) {
        return Namespace.SHARED_MEMORY.exists(name, WHAT);
    }

    /**
     * Creates shared memory without a name ({@code memfd_create}) of {@code size} bytes,
     * zero-filled, mapped for reading and writing, and sealed against shrinking and growing
     * ({@link Seal#SHRINK}, {@link Seal#GROW}): every process it is handed to can rely on its size.
     * Equivalent to {@code anonymous(size, EnumSet.of(Seal.SHRINK, Seal.GROW))}.
     *
     * @throws IllegalArgumentException if {@code size} is not positive
     * @see #anonymous(long, Set)
     */
    public static SharedMemory anonymous(long size) {
        return anonymous(size, EnumSet.of(Seal.SHRINK, Seal.GROW));
    }

    /**
     * Creates shared memory without a name ({@code memfd_create}) of {@code size} bytes,
     * zero-filled, mapped for reading and writing, with {@code seals} added once it is sized and
     * mapped. Other processes reach it only through its descriptor: passed over a Unix-domain
     * socket ({@code org.panamaipc.socket}) or inherited. Nothing can open it by name, and nothing
     * is left behind: the memory goes with the last descriptor and mapping, also when every process
     * that held it dies.
     *
     * <p>{@link #name()} is {@code "memfd:pipc-anonymous"} (what {@code /proc/PID/fd} shows);
     * {@link #unlink()} throws {@link IllegalStateException}; {@link #grow(long)} fails with
     * {@link org.panamaipc.PermissionDeniedException} ({@code EPERM}) when sealed against growing.
     *
     * @param seals the seals to add: {@link Seal#SEAL} forbids adding more, {@link Seal#FUTURE_WRITE}
     *              leaves this mapping writable and makes every later one read-only;
     *              {@link Seal#WRITE} is refused (this mapping is writable)
     * @throws IllegalArgumentException if {@code size} is not positive, or {@code seals} holds {@link Seal#WRITE}
     * @throws NullPointerException if {@code seals} is null
     * @throws IpcException if the kernel refuses (no memory, no descriptor left)
     */
    public static SharedMemory anonymous(long size, Set<Seal> seals) {
        return AnonymousMemory.create(size, seals);
    }

    /**
     * Maps {@code fd} (a memfd, or a descriptor received from another process), which the new
     * object owns from the call on: it is closed if mapping fails. {@code size} -1 maps the
     * file's current size.
     */
    static SharedMemory adopt(String label, int fd, Access access, long size, boolean created) {
        SharedMemory shm = new SharedMemory(label, access, created, fd);
        try {
            shm.map(size >= 0 ? size : shm.objectSize());
            return shm;
        } catch (RuntimeException e) {
            shm.close();
            throw e;
        }
    }

    /** {@return the descriptor; hold this object's monitor while using it, so close() cannot reuse the number} */
    int descriptor() {
        ensureOpen();
        return fd;
    }

    private static SharedMemory setUp(String name, int fd, long size, boolean created) {
        SharedMemory shm = new SharedMemory(name, Access.READ_WRITE, created, fd);
        try {
            long existing = shm.objectSize();
            if (existing < size) {
                shm.reserve(existing, size);
            }
            shm.map(Math.max(existing, size));
            return shm;
        } catch (RuntimeException e) {
            shm.close();
            if (created) {
                unlinkIfExists(name);
            }
            throw e;
        }
    }

    private static void checkSize(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size=" + size + " must be positive");
        }
    }

    private long objectSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            if (stat_h.fstat(fd, st) != 0) {
                throw Errors.lastError("read the size of shared memory", name);
            }
            return stat.st_size(st);
        }
    }

    /**
     * Grows the object from {@code existing} to {@code size} bytes and reserves the new bytes in
     * {@code /dev/shm} now ({@code fallocate}), so that a full {@code /dev/shm} fails here rather
     * than with {@code SIGBUS} at the first touch of a page that has no room. On a file system that
     * cannot reserve ({@code EOPNOTSUPP}), only sizes the object.
     */
    private void reserve(long existing, long size) {
        int errno;
        do {
            // mode 0: allocate [existing, size) and extend the size over it
            if (fcntl_h.fallocate(fd, 0, existing, size - existing) == 0) {
                return;
            }
            errno = Errno.last();
        } while (errno == errno_h.EINTR());
        if (errno == errno_h.EOPNOTSUPP()) {
            truncate(size);
            return;
        }
        throw sizeFailure(errno, size);
    }

    private void truncate(long size) {
        if (unistd_h.ftruncate(fd, size) != 0) {
            throw sizeFailure(Errno.last(), size);
        }
    }

    private IpcException sizeFailure(int errno, long size) {
        if (errno == errno_h.EFBIG() || errno == errno_h.ENOSPC() || errno == errno_h.EINVAL()) {
            return Errors.limit(errno, "size shared memory", name + " to " + size + " bytes",
                    "size of /dev/shm", Limits.spaceOf(DEV_SHM),
                    "mount -o remount,size=N /dev/shm (docker run --shm-size=N in a container)");
        }
        return Errors.fromErrno(errno, "size shared memory", name);
    }

    private void map(long size) {
        install(mapNew(size));
    }

    /** A mapping of the object: the arena whose closing unmaps it, and its memory. */
    private record Mapping(Arena arena, MemorySegment segment) {
    }

    /** Maps {@code size} bytes of the object anew, without installing them. */
    private Mapping mapNew(long size) {
        int prot = access == Access.READ_ONLY ? mman_h.PROT_READ() : mman_h.PROT_READ() | mman_h.PROT_WRITE();
        MemorySegment address = mman_h.mmap(MemorySegment.NULL, size, prot, mman_h.MAP_SHARED(), fd, 0);
        if (address.address() == mman_h.MAP_FAILED().address()) {
            throw Errors.lastError("map shared memory", name);
        }
        long start = address.address();
        Arena newArena = Arena.ofShared();
        MemorySegment mapped = address.reinterpret(size, newArena,
                ignored -> mman_h.munmap(MemorySegment.ofAddress(start), size));
        return new Mapping(newArena, access == Access.READ_ONLY ? mapped.asReadOnly() : mapped);
    }

    private void install(Mapping mapping) {
        this.arena = mapping.arena();
        this.segment = mapping.segment();
    }

    /**
     * {@return the mapped memory, exactly {@link #size()} bytes long} Read-only for
     * {@link Access#READ_ONLY}. Unusable after {@link #close()} or {@link #grow(long)}.
     *
     * @throws IllegalStateException if this mapping is closed
     */
    public synchronized MemorySegment segment() {
        ensureOpen();
        return segment;
    }

    /** {@return the size of the mapping, in bytes} */
    public synchronized long size() {
        ensureOpen();
        return segment.byteSize();
    }

    /** {@return the object's name, such as {@code "/orders"}} */
    public String name() {
        return name;
    }

    /** {@return how the object is mapped} */
    public Access access() {
        return access;
    }

    /** {@return whether this call created the object (rather than opening an existing one)} */
    public boolean created() {
        return created;
    }

    /** {@return whether this memory has no name: made by {@link #anonymous(long, Set)}, or received as a memfd} */
    public boolean isAnonymous() {
        return !name.startsWith("/");
    }

    /**
     * {@return the seals on the memory ({@code F_GET_SEALS}), unmodifiable} A named object, which
     * cannot be sealed, reports {@link Seal#SEAL}: no seal can be added to it.
     *
     * @throws IllegalStateException if this mapping is closed
     */
    public synchronized Set<Seal> seals() {
        return AnonymousMemory.seals(descriptor(), name);
    }

    /**
     * Grows the object to {@code newSize} bytes (the new bytes read as zero, reserved as
     * {@link #create(String, long)} says) and maps it again; the
     * segment returned by {@link #segment()} before becomes unusable. Other processes keep their
     * old, shorter mapping until they call {@link #remap()}. Threads of this process that wait on
     * the old mapping are woken and throw {@link IllegalStateException}, as {@link #close()} does.
     *
     * @throws IllegalArgumentException if {@code newSize} is not larger than {@link #size()}
     * @throws org.panamaipc.LimitReachedException if {@code /dev/shm} has no room for the new bytes;
     *         the object and this mapping stay as they were
     * @throws IllegalStateException if mapped read-only, or closed, or if a native call of the
     *         caller's own still uses the old mapping after {@link #UNMAP_TIMEOUT} (the old mapping
     *         then stays)
     */
    public synchronized void grow(long newSize) {
        ensureOpen();
        if (access == Access.READ_ONLY) {
            throw new IllegalStateException("shared memory " + name + " is mapped read-only; it cannot grow");
        }
        if (newSize <= segment.byteSize()) {
            throw new IllegalArgumentException("newSize=" + newSize + " must exceed size=" + segment.byteSize());
        }
        reserve(segment.byteSize(), newSize);
        replaceMapping(newSize, "grown");
    }

    /**
     * Maps the object anew at {@code size} bytes and unmaps the old mapping, waking the threads
     * that wait on it first; if the old one cannot be unmapped, keeps it and throws.
     */
    private void replaceMapping(long size, String how) {
        Mapping replacement = mapNew(size);
        try {
            unmap("shared memory " + name + " was " + how + " and mapped anew: the memory this thread used is unmapped");
        } catch (RuntimeException | Error e) {
            replacement.arena().close();
            throw e;
        }
        install(replacement);
    }

    /**
     * Maps the object again if another process has grown it, and returns the new size. The segment
     * returned by {@link #segment()} before becomes unusable if the size changed.
     */
    public synchronized long remap() {
        ensureOpen();
        long now = objectSize();
        if (now != segment.byteSize()) {
            replaceMapping(now, "remapped");
        }
        return now;
    }

    /**
     * Removes this object's name (see {@link #unlink(String)}); this mapping stays usable.
     *
     * @throws NotFoundException if the name was removed already
     * @throws IllegalStateException if the memory is {@linkplain #isAnonymous() anonymous}: it has no name
     */
    public void unlink() {
        if (isAnonymous()) {
            throw new IllegalStateException("shared memory " + name + " is anonymous: it has no name to unlink");
        }
        unlink(name);
    }

    private void ensureOpen() {
        if (segment == null) {
            throw new IllegalStateException("shared memory " + name + " is closed");
        }
    }

    /**
     * Unmaps the current mapping once no thread of this process waits on it: wakes those that do
     * (they throw {@link IllegalStateException} with {@code message}) and waits for them to leave.
     * The fields are cleared only once the memory is unmapped.
     *
     * @throws IllegalStateException if a native call other than panama-ipc's waits still uses the
     *         memory after {@link #UNMAP_TIMEOUT}; the mapping then stays as it was
     */
    private void unmap(String message) {
        if (arena != null) {
            if (!Sleepers.close(arena, message, UNMAP_TIMEOUT.toNanos())) {
                throw new IllegalStateException("shared memory " + name + " cannot be unmapped: a native call still"
                        + " uses it after " + UNMAP_TIMEOUT.toSeconds() + " s; it stays mapped");
            }
            arena = null;
            segment = null;
        }
    }

    /**
     * Unmaps the memory and closes the descriptor. The object itself remains until unlinked.
     * Threads of this process that wait on the memory (in a {@link org.panamaipc.sync.Futex} wait,
     * or in a lock, acquire or await of a primitive that lives in it) are woken and throw
     * {@link IllegalStateException} naming the object; this call returns once they have left the
     * memory and it is unmapped. Calling it again does nothing.
     *
     * @throws IllegalStateException if a native call of the caller's own (not one of panama-ipc's
     *         waits) still uses the memory after {@link #UNMAP_TIMEOUT}; nothing is closed then
     */
    @Override
    public synchronized void close() {
        unmap("shared memory " + name + " is closed");
        if (fd >= 0) {
            unistd_h.close(fd);
            fd = -1;
        }
    }

    @Override
    public String toString() {
        return "SharedMemory[" + name + ", " + (segment != null ? segment.byteSize() + " bytes" : "closed")
                + ", " + access + "]";
    }
}
