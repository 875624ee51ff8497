package org.panamaipc.internal;

import org.panamaipc.IpcException;
import org.panamaipc.NotFoundException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.mman_h;
import org.panamaipc.bindings.mqueue_h;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.bindings.unistd_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.IntFunction;

/**
 * The two name spaces the kernel keeps for panama-ipc's named objects, and the system calls of
 * their lifecycle, written once: POSIX shared memory ({@code shm_open}, {@code /dev/shm}), which
 * holds shared memory and everything built in it (primitives, segments, rings), and POSIX message
 * queues ({@code mq_open}, {@code /dev/mqueue}).
 *
 * <p>Every call checks the name ({@link PosixNames#check}) before any system call and reports a
 * failure as the {@link IpcException} of its errno, naming what the object is ({@code what}:
 * "shared memory", "mutex", "message queue") and the action: "Unable to unlink mutex /orders.lock
 * since it does not exist (ENOENT: No such file or directory)".
 *
 * <p>Internal: public for the packages of this module, which build their {@code create},
 * {@code open}, {@code unlink}, {@code unlinkIfExists} and {@code exists} on it; not exported.
 */
public enum Namespace {

    /** POSIX shared memory: {@code shm_open}, {@code shm_unlink}. */
    SHARED_MEMORY {
        @Override
        int rawOpen(MemorySegment name, int flags, int mode, MemorySegment attributes) {
            return mman_h.shm_open(name, flags | fcntl_h.O_CLOEXEC(), mode);
        }

        @Override
        int rawUnlink(MemorySegment name) {
            return mman_h.shm_unlink(name);
        }

        @Override
        void rawClose(int fd) {
            unistd_h.close(fd);
        }
    },

    /** POSIX message queues: {@code mq_open}, {@code mq_unlink}; their descriptors are always close-on-exec. */
    MESSAGE_QUEUE {
        @Override
        int rawOpen(MemorySegment name, int flags, int mode, MemorySegment attributes) {
            return (flags & fcntl_h.O_CREAT()) != 0
                    ? mqueue_h.mq_open(name, flags, mode, attributes)
                    : mqueue_h.mq_open(name, flags);
        }

        @Override
        int rawUnlink(MemorySegment name) {
            return mqueue_h.mq_unlink(name);
        }

        @Override
        void rawClose(int fd) {
            mqueue_h.mq_close(fd);
        }
    };

    abstract int rawOpen(MemorySegment name, int flags, int mode, MemorySegment attributes);

    abstract int rawUnlink(MemorySegment name);

    abstract void rawClose(int fd);

    /**
     * Creates {@code name} exclusively ({@code O_CREAT | O_EXCL} added to {@code flags}) and sets
     * its permission bits to exactly {@code mode} ({@code fchmod}, whatever the umask), and
     * {@return the descriptor} If setting the mode fails, closes and unlinks what it created.
     *
     * @param attributes a {@code struct mq_attr} for a message queue, {@link MemorySegment#NULL} otherwise
     * @param explain    turns the errno of a failed open into the exception to throw, or
     *                   {@code null} for the usual mapping ({@code EINVAL}: the name was refused)
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     */
    public int create(String name, int flags, int mode, MemorySegment attributes, String what,
                      IntFunction<IpcException> explain) {
        PosixNames.check(name);
        Lifecycle.checkMode(mode);
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = rawOpen(arena.allocateFrom(name), flags | fcntl_h.O_CREAT() | fcntl_h.O_EXCL(), mode, attributes);
        }
        if (fd < 0) {
            int errno = Errno.last();
            if (explain != null && errno != errno_h.EEXIST()) {
                throw explain.apply(errno);
            }
            throw failure(errno, "create " + what, name);
        }
        if (stat_h.fchmod(fd, mode) != 0) {
            IpcException e = Errors.lastError("set the mode of " + what, name);
            rawClose(fd);
            unlinkIfExists(name, what);
            throw e;
        }
        return fd;
    }

    /**
     * Opens the existing {@code name} with {@code flags} and {@return the descriptor}
     *
     * @throws NotFoundException if it does not exist
     */
    public int open(String name, int flags, String what) {
        PosixNames.check(name);
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = rawOpen(arena.allocateFrom(name), flags, 0, MemorySegment.NULL);
        }
        if (fd < 0) {
            throw failure(Errno.last(), "open " + what, name);
        }
        return fd;
    }

    /** Closes a descriptor that {@link #create} or {@link #open} returned. */
    public void close(int fd) {
        rawClose(fd);
    }

    /**
     * Removes the name {@code name}. Whoever has the object open keeps it; it is destroyed when the
     * last one closes it.
     *
     * @throws NotFoundException if no object of that name exists
     */
    public void unlink(String name, String what) {
        PosixNames.check(name);
        try (Arena arena = Arena.ofConfined()) {
            if (rawUnlink(arena.allocateFrom(name)) != 0) {
                throw Errors.lastError("unlink " + what, name);
            }
        }
    }

    /** {@return whether the name existed and was removed} As {@link #unlink}, without failing on a missing name. */
    public boolean unlinkIfExists(String name, String what) {
        try {
            unlink(name, what);
            return true;
        } catch (NotFoundException missing) {
            return false;
        }
    }

    /** {@return whether an object named {@code name} exists now in this name space} */
    public boolean exists(String name, String what) {
        PosixNames.check(name);
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = rawOpen(arena.allocateFrom(name), fcntl_h.O_RDONLY() | fcntl_h.O_NONBLOCK(), 0, MemorySegment.NULL);
        }
        if (fd >= 0) {
            rawClose(fd);
            return true;
        }
        int errno = Errno.last();
        if (errno == errno_h.ENOENT()) {
            return false;
        }
        if (errno == errno_h.EACCES()) {
            return true; // there, but not ours to read
        }
        throw Errors.fromErrno(errno, "look up " + what, name);
    }

    private static IpcException failure(int errno, String action, String name) {
        return errno == errno_h.EINVAL() ? Errors.invalidName(errno, action, name) : Errors.fromErrno(errno, action, name);
    }
}
