package org.panamaipc.shm;

import org.panamaipc.Access;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.mman_h;
import org.panamaipc.bindings.stat;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.Limits;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Shared memory without a name: a memfd ({@code memfd_create(2)}), sized, mapped and sealed
 * ({@code fcntl(F_ADD_SEALS)}); and the checks a process makes on such memory (or a named object)
 * that it received as a descriptor. No name exists, so the memory goes with the last descriptor
 * and mapping, and nothing is left behind when every process holding it dies.
 */
final class AnonymousMemory {

    /** The name given to {@code memfd_create}, for {@code /proc/PID/fd} to show; it names nothing anyone can open. */
    private static final String MEMFD_NAME = "pipc-anonymous";
    /** The memory's {@link SharedMemory#name()}: {@code /proc/PID/fd} shows {@code /memfd:pipc-anonymous (deleted)}. */
    static final String LABEL = "memfd:" + MEMFD_NAME;

    private AnonymousMemory() {
    }

    static SharedMemory create(long size, Set<Seal> seals) {
        Objects.requireNonNull(seals, "seals");
        if (size <= 0) {
            throw new IllegalArgumentException("size=" + size + " must be positive");
        }
        if (seals.contains(Seal.WRITE)) {
            throw new IllegalArgumentException("seals=" + seals + ": WRITE cannot be added while the memory is "
                    + "mapped for writing; FUTURE_WRITE keeps this mapping writable and makes the others read-only");
        }
        long available = Limits.availableMemory();
        if (size > available) {
            // a memfd has no size limit of its own: reserving more than the machine has would end
            // in the OOM killer, not in a clean ENOSPC
            throw Errors.limit(errno_h.ENOMEM(), "create anonymous shared memory", LABEL + " of " + size + " bytes",
                    "the machine's available memory (MemAvailable + SwapFree in /proc/meminfo)",
                    available + " bytes", "freeing memory, or ask for less");
        }
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = mman_h.memfd_create(arena.allocateFrom(MEMFD_NAME), mman_h.MFD_CLOEXEC() | mman_h.MFD_ALLOW_SEALING());
        }
        if (fd < 0) {
            throw Errors.lastError("create anonymous shared memory", LABEL);
        }
        // reserve every byte now, as SharedMemory.create does: too large a size fails here with
        // ENOSPC or ENOMEM, never with SIGBUS at the first touch of a page that has no room
        int rc;
        do {
            rc = fcntl_h.fallocate(fd, 0, 0, size);
        } while (rc != 0 && Errno.last() == errno_h.EINTR());
        if (rc != 0 && Errno.last() == errno_h.EOPNOTSUPP()) {
            rc = unistd_h.ftruncate(fd, size);
        }
        if (rc != 0) {
            int errno = Errno.last();
            unistd_h.close(fd);
            if (errno == errno_h.EFBIG() || errno == errno_h.ENOSPC() || errno == errno_h.ENOMEM()
                    || errno == errno_h.EINVAL()) {
                throw Errors.limit(errno, "size anonymous shared memory", LABEL + " to " + size + " bytes",
                        "memory for tmpfs files", null, "freeing memory");
            }
            throw Errors.fromErrno(errno, "size anonymous shared memory", LABEL);
        }
        SharedMemory shm = SharedMemory.adopt(LABEL, fd, Access.READ_WRITE, size, true);
        try {
            int bits = Seal.bits(seals);
            if (bits != 0 && fcntl_h.fcntl(fd, fcntl_h.F_ADD_SEALS(), bits) != 0) {
                throw Errors.lastError("seal anonymous shared memory", LABEL + " with " + seals);
            }
            return shm;
        } catch (RuntimeException e) {
            shm.close();
            throw e;
        }
    }

    /** {@return the seals on {@code fd}: none for a file that cannot be sealed} */
    static Set<Seal> seals(int fd, String name) {
        int bits = fcntl_h.fcntl(fd, fcntl_h.F_GET_SEALS(), 0);
        if (bits < 0) {
            int errno = Errno.last();
            if (errno == errno_h.EINVAL()) {
                return Set.of(); // a file system without seals
            }
            throw Errors.fromErrno(errno, "read the seals of shared memory", name);
        }
        return Seal.of(bits);
    }

    /**
     * Checks a received descriptor: a regular file, not empty, with every seal of
     * {@code required}. {@return the access to map it with: read-only if it was opened read-only or
     * is sealed against writing}
     */
    static Access checkReceived(int fd, String label, Set<Seal> required) {
        Objects.requireNonNull(required, "required");
        long size;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            if (stat_h.fstat(fd, st) != 0) {
                throw Errors.lastError("read the status of received shared memory", label);
            }
            if ((stat.st_mode(st) & stat_h.S_IFMT()) != stat_h.S_IFREG()) {
                throw new InvalidSegmentException(label, InvalidSegmentException.Reason.CORRUPT,
                        "the descriptor received is not shared memory (file type 0"
                                + Integer.toOctalString(stat.st_mode(st) & stat_h.S_IFMT()) + ")");
            }
            size = stat.st_size(st);
        }
        Set<Seal> seals = seals(fd, label);
        if (!seals.containsAll(required)) {
            EnumSet<Seal> missing = EnumSet.copyOf(required);
            missing.removeAll(seals);
            throw new InvalidSegmentException(label, InvalidSegmentException.Reason.CORRUPT,
                    "it lacks the seals " + missing + " it was to carry (it has " + seals + ")");
        }
        if (size == 0) {
            throw new InvalidSegmentException(label, InvalidSegmentException.Reason.EMPTY, "its size is 0");
        }
        int accessMode = fcntl_h.fcntl(fd, fcntl_h.F_GETFL(), 0);
        if (accessMode < 0) {
            throw Errors.lastError("read the flags of received shared memory", label);
        }
        boolean writable = (accessMode & fcntl_h.O_ACCMODE()) == fcntl_h.O_RDWR()
                && !seals.contains(Seal.WRITE) && !seals.contains(Seal.FUTURE_WRITE);
        return writable ? Access.READ_WRITE : Access.READ_ONLY;
    }
}
