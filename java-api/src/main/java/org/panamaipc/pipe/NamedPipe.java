package org.panamaipc.pipe;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.NotFoundException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.stat;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.internal.BlockedThreads;
import org.panamaipc.internal.DescriptorGuard;
import org.panamaipc.internal.Descriptors;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A named pipe (a FIFO, {@code mkfifo(3)}): a name in the file system for a pipe in the kernel,
 * which unrelated processes open, one side for reading ({@link PipeReader}, a
 * {@link java.nio.channels.ReadableByteChannel}) and the other for writing ({@link PipeWriter}).
 * The bytes never touch the disk. Any program can be the other end: a shell's {@code echo > path}
 * or {@code cat path}, a C or Python process.
 *
 * {@snippet lang=java :
 * // process A
 * try (NamedPipe pipe = NamedPipe.create(Path.of("/run/app/events"));      // mode 0600
 *      PipeWriter writer = pipe.openWriter(Duration.ofSeconds(5))) {        // null if no reader came
 *     writer.write(StandardCharsets.UTF_8.encode("started\n"));
 * }
 * // process B, or a shell: cat /run/app/events
 * try (NamedPipe pipe = NamedPipe.open(Path.of("/run/app/events"));
 *      PipeReader reader = pipe.openReader()) {                              // waits for a writer
 *     reader.inputStream().transferTo(System.out);                           // until every writer has gone
 * }
 * }
 *
 * <h2>Opening an end waits for the other end</h2>
 * The kernel makes an open of a FIFO wait until the other end is open too. Each end comes in the
 * three forms of every waiting call:
 * <table class="striped">
 * <caption>What each open does when nobody is at the other end</caption>
 * <tr><th>call</th><th>nobody at the other end</th></tr>
 * <tr><td>{@link #openReader()}, {@link #openWriter()}</td><td>waits until somebody opens it</td></tr>
 * <tr><td>{@link #openReader(Duration)}, {@link #openWriter(Duration)}</td><td>waits at most the
 *     timeout, then returns {@code null}</td></tr>
 * <tr><td>{@link #tryOpenWriter()}</td><td>returns {@code null} at once ({@code O_NONBLOCK}:
 *     the kernel refuses a writer without a reader, {@code ENXIO})</td></tr>
 * <tr><td>{@link #tryOpenReader()}</td><td>returns a reader at once ({@code O_NONBLOCK}: the kernel
 *     lets a reader in without a writer). Its reads wait for the first writer, and see the end of
 *     the stream only once a writer has come and gone. Writers that arrive meanwhile find a reader
 *     and open at once.</td></tr>
 * </table>
 * A timed open with a zero or negative timeout is the {@code try} form; so
 * {@code openReader(Duration.ZERO)} returns a reader, while a timed open with a positive timeout
 * returns {@code null} when no writer came. The waiting opens end with {@link InterruptedException}
 * when the thread is interrupted, and with {@link IllegalStateException} when this object is closed
 * meanwhile. They wait in the kernel's {@code open}, in slices of at most 100 ms, and are woken by a
 * signal ({@code SIGRTMAX - 2}, the JDK's own; see {@code FifoOpen}); if the JDK's handler for it
 * is missing, a writer's open retries {@code tryOpenWriter()} every 1 to 10 ms instead, and a
 * reader's open returns at once as {@code tryOpenReader()} does.
 *
 * <h2>Names, modes and lifetime</h2>
 * The name is a file-system path (at most 4095 bytes, no NUL); a FIFO is created with mode
 * {@code 0600} unless a mode is given, applied exactly whatever the umask. It stays until
 * unlinked, whoever created it; an unlinked FIFO whose ends are open keeps working for them. This
 * object holds the FIFO itself (an {@code O_PATH} descriptor) and opens its ends through it, so
 * they open the FIFO that was created or checked even if the path is later renamed or replaced.
 * {@link #close()} releases that descriptor; the ends opened from it stay open.
 *
 * <p>Safe for use by several threads.
 */
public final class NamedPipe implements AutoCloseable {

    /** The mode FIFOs are created with unless told otherwise: {@code 0600}, owner read and write. */
    public static final int DEFAULT_MODE = stat_h.S_IRUSR() | stat_h.S_IWUSR();

    private static final int ALL_PERMISSION_BITS = 0777;
    private static final int PATH_MAX = 4096;
    private static final long POLL_FIRST_NANOS = 1_000_000L;
    private static final long POLL_MAX_NANOS = 10_000_000L;

    private final Path path;
    private final boolean created;
    private final DescriptorGuard guard;
    /** The threads blocked in {@code open}, which {@link #close()} signals. */
    private final BlockedThreads blocked = new BlockedThreads();

    private NamedPipe(Path path, boolean created, int pathFd) {
        this.path = path;
        this.created = created;
        this.guard = DescriptorGuard.of(pathFd, "named pipe " + path);
    }

    // ---------------------------------------------------------------------------------------------
    // creating, opening, removing

    /**
     * Creates the FIFO {@code path} with mode {@code 0600}.
     *
     * @throws AlreadyExistsException if anything exists at {@code path}
     * @throws NotFoundException if the directory it is to go in does not exist
     * @throws InvalidNameException if the path is empty, too long or holds a NUL
     * @throws org.panamaipc.PermissionDeniedException if this process may not create files there
     */
    public static NamedPipe create(Path path) {
        return create(path, DEFAULT_MODE);
    }

    /**
     * Creates the FIFO as {@link #create(Path)} does, with permission bits {@code mode} (such as
     * {@code 0660}), applied exactly whatever the umask.
     *
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public static NamedPipe create(Path path, int mode) {
        String text = check(path);
        checkMode(mode);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(text);
            // the umask can only take bits away; chmod below then sets exactly these
            if (stat_h.mkfifo(name, mode) != 0) {
                int errno = Errno.last();
                if (errno == errno_h.ENOENT()) {
                    throw new NotFoundException("create named pipe", text, "its directory does not exist",
                            errno, Errno.name(errno), Errno.text(errno));
                }
                throw Errors.fromErrno(errno, "create named pipe", text);
            }
            int fd = openPath(name, text, "create named pipe", fcntl_h.O_NOFOLLOW());
            try {
                checkFifo(fd, path); // replaced between the two calls: not ours to remove
            } catch (RuntimeException e) {
                unistd_h.close(fd);
                throw e;
            }
            try {
                if (stat_h.chmod(arena.allocateFrom(procPath(fd)), mode) != 0) {
                    throw Errors.lastError("set the mode of named pipe", text);
                }
                return new NamedPipe(path, true, fd);
            } catch (RuntimeException e) {
                unistd_h.close(fd);
                unistd_h.unlink(name);
                throw e;
            }
        }
    }

    /**
     * Opens the existing FIFO {@code path} (following symbolic links). Its ends are opened with
     * {@link #openReader()}, {@link #openWriter()} and their other forms.
     *
     * @throws NotFoundException if nothing exists at {@code path}
     * @throws IllegalArgumentException if what is there is not a FIFO
     * @throws InvalidNameException if the path is empty, too long or holds a NUL
     */
    public static NamedPipe open(Path path) {
        String text = check(path);
        try (Arena arena = Arena.ofConfined()) {
            int fd = openPath(arena.allocateFrom(text), text, "open named pipe", 0);
            try {
                checkFifo(fd, path);
                return new NamedPipe(path, false, fd);
            } catch (RuntimeException e) {
                Descriptors.closeQuietly(fd);
                throw e;
            }
        }
    }

    /**
     * Opens the FIFO {@code path} if it exists, or else creates it with mode {@code 0600}.
     * {@link #created()} tells which happened.
     *
     * @throws IllegalArgumentException if something other than a FIFO is at {@code path}
     */
    public static NamedPipe openOrCreate(Path path) {
        return openOrCreate(path, DEFAULT_MODE);
    }

    /** As {@link #openOrCreate(Path)}, creating with permission bits {@code mode}. */
    public static NamedPipe openOrCreate(Path path, int mode) {
        check(path);
        checkMode(mode);
        for (int attempt = 0; ; attempt++) {
            try {
                return create(path, mode);
            } catch (AlreadyExistsException exists) {
                try {
                    return open(path);
                } catch (NotFoundException goneMeanwhile) {
                    if (attempt >= 3) {
                        throw goneMeanwhile;
                    }
                    // removed between our two calls: create it again
                }
            }
        }
    }

    /**
     * Removes the FIFO {@code path} (not what a symbolic link there points to). Processes that
     * have it open keep using it.
     *
     * @throws NotFoundException if nothing exists at {@code path}
     * @throws IllegalArgumentException if what is there is not a FIFO (it is left alone)
     */
    public static void unlink(Path path) {
        String text = check(path);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(text);
            int fd = openPath(name, text, "unlink named pipe", fcntl_h.O_NOFOLLOW());
            try {
                checkFifo(fd, path);
            } finally {
                unistd_h.close(fd);
            }
            if (unistd_h.unlink(name) != 0) {
                throw Errors.lastError("unlink named pipe", text);
            }
        }
    }

    /**
     * {@return whether a FIFO was at {@code path} and was removed} Like {@link #unlink(Path)},
     * without failing when nothing is there.
     *
     * @throws IllegalArgumentException if what is there is not a FIFO (it is left alone)
     */
    public static boolean unlinkIfExists(Path path) {
        try {
            unlink(path);
            return true;
        } catch (NotFoundException missing) {
            return false;
        }
    }

    /** {@return whether a FIFO exists at {@code path} now (following symbolic links)} Anything else there gives {@code false}. */
    public static boolean exists(Path path) {
        String text = check(path);
        try (Arena arena = Arena.ofConfined()) {
            int fd = fcntl_h.open(arena.allocateFrom(text), fcntl_h.O_PATH() | fcntl_h.O_CLOEXEC(), 0);
            if (fd < 0) {
                int errno = Errno.last();
                if (errno == errno_h.ENOENT() || errno == errno_h.ENOTDIR()) {
                    return false;
                }
                throw Errors.fromErrno(errno, "look up named pipe", text);
            }
            try {
                return Descriptors.fileType(fd, text) == stat_h.S_IFIFO();
            } finally {
                unistd_h.close(fd);
            }
        }
    }

    /**
     * Removes this FIFO's path, as {@link #unlink(Path)} does; this object and the ends opened
     * from it stay usable.
     */
    public void unlink() {
        unlink(path);
    }

    private static String check(Path path) {
        Objects.requireNonNull(path, "path");
        String text = path.toString();
        if (text.isEmpty()) {
            throw new InvalidNameException(text, "a FIFO's path must not be empty");
        }
        if (text.indexOf('\0') >= 0) {
            throw new InvalidNameException(text, "a path must not contain a NUL character");
        }
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= PATH_MAX) {
            throw new InvalidNameException(text, "a path must be shorter than PATH_MAX (4096) bytes");
        }
        return text;
    }

    private static void checkMode(int mode) {
        if ((mode & ~ALL_PERMISSION_BITS) != 0) {
            throw new IllegalArgumentException("mode=0" + Integer.toOctalString(mode)
                    + " has bits outside the permission bits 0777");
        }
    }

    private static int openPath(MemorySegment name, String text, String action, int extraFlags) {
        int fd = fcntl_h.open(name, fcntl_h.O_PATH() | fcntl_h.O_CLOEXEC() | extraFlags, 0);
        if (fd < 0) {
            throw Errors.lastError(action, text);
        }
        return fd;
    }

    private static void checkFifo(int fd, Path path) {
        int type = Descriptors.fileType(fd, path.toString());
        if (type != stat_h.S_IFIFO()) {
            throw new IllegalArgumentException("path=" + path + " is not a FIFO (file type 0"
                    + Integer.toOctalString(type) + ")");
        }
    }

    private static String procPath(int fd) {
        return "/proc/self/fd/" + fd;
    }

    // ---------------------------------------------------------------------------------------------
    // opening the ends

    /**
     * Opens the FIFO for reading, waiting as long as it takes for a writer.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if this object is closed, before or while waiting
     * @throws org.panamaipc.PermissionDeniedException if the FIFO's mode does not let this process read it
     */
    public PipeReader openReader() throws InterruptedException {
        return new PipeReader(path, openWaiting(fcntl_h.O_RDONLY(), Timeouts.FOREVER));
    }

    /**
     * Opens the FIFO for reading, waiting at most {@code timeout} for a writer. A zero or negative
     * timeout is {@link #tryOpenReader()}, which never returns {@code null}.
     *
     * @return the reader, or {@code null} if no writer came in time
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if this object is closed, before or while waiting
     */
    public PipeReader openReader(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.toNanos(timeout);
        if (nanos == 0) {
            return tryOpenReader();
        }
        int fd = openWaiting(fcntl_h.O_RDONLY(), Timeouts.deadline(nanos));
        return fd < 0 ? null : new PipeReader(path, fd);
    }

    /**
     * Opens the FIFO for reading at once, with or without a writer ({@code O_NONBLOCK}); never
     * {@code null}. Until a writer comes, reads find nothing (the blocking read waits); they see
     * the end of the stream only after a writer has come and every writer has gone.
     *
     * @throws IllegalStateException if this object is closed
     */
    public PipeReader tryOpenReader() {
        return new PipeReader(path, openNow(fcntl_h.O_RDONLY()));
    }

    /**
     * Opens the FIFO for writing, waiting as long as it takes for a reader.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if this object is closed, before or while waiting
     * @throws org.panamaipc.PermissionDeniedException if the FIFO's mode does not let this process write it
     */
    public PipeWriter openWriter() throws InterruptedException {
        return new PipeWriter(path, openWaiting(fcntl_h.O_WRONLY(), Timeouts.FOREVER));
    }

    /**
     * Opens the FIFO for writing, waiting at most {@code timeout} for a reader. A zero or negative
     * timeout is {@link #tryOpenWriter()}.
     *
     * @return the writer, or {@code null} if no reader came in time
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if this object is closed, before or while waiting
     */
    public PipeWriter openWriter(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.toNanos(timeout);
        if (nanos == 0) {
            return tryOpenWriter();
        }
        int fd = openWaiting(fcntl_h.O_WRONLY(), Timeouts.deadline(nanos));
        return fd < 0 ? null : new PipeWriter(path, fd);
    }

    /**
     * Opens the FIFO for writing if a reader has it open now ({@code O_NONBLOCK}).
     *
     * @return the writer, or {@code null} if no reader has it open
     * @throws IllegalStateException if this object is closed
     */
    public PipeWriter tryOpenWriter() {
        int fd = openNow(fcntl_h.O_WRONLY());
        return fd < 0 ? null : new PipeWriter(path, fd);
    }

    /** Opens an end with {@code O_NONBLOCK}: a descriptor, or -1 for a writer without a reader. */
    private int openNow(int access) {
        int pathFd = guard.begin();
        try (Arena arena = Arena.ofConfined()) {
            int fd = fcntl_h.open(arena.allocateFrom(procPath(pathFd)),
                    access | fcntl_h.O_NONBLOCK() | fcntl_h.O_CLOEXEC(), 0);
            if (fd < 0) {
                int errno = Errno.last();
                if (errno == errno_h.ENXIO() && access == fcntl_h.O_WRONLY()) {
                    return -1;
                }
                throw Errors.fromErrno(errno, action(access), path.toString());
            }
            return fd;
        } finally {
            guard.end();
        }
    }

    /** Opens an end, waiting for the other until {@code deadline}: a non-blocking descriptor, or -1 in time. */
    private int openWaiting(int access, long deadline) throws InterruptedException {
        if (!FifoOpen.available()) {
            return access == fcntl_h.O_WRONLY() ? openWriterPolling(deadline) : openNow(access);
        }
        int pathFd = guard.begin();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = FifoOpen.open(arena.allocateFrom(procPath(pathFd)), access | fcntl_h.O_CLOEXEC(), deadline,
                    blocked, guard::isClosed);
        } finally {
            guard.end();
        }
        if (fd == -1) {
            return -1;
        }
        if (fd == -2) {
            throw new IllegalStateException("named pipe " + path + " was closed while waiting to "
                    + action(access));
        }
        if (fd < 0) {
            throw Errors.fromErrno(-fd, action(access), path.toString());
        }
        try {
            Descriptors.setNonBlocking(fd, path.toString());
        } catch (RuntimeException e) {
            unistd_h.close(fd);
            throw e;
        }
        return fd;
    }

    /**
     * Opens the writing end by trying {@link #openNow} every 1 to 10 ms until a reader is there or
     * {@code deadline} passes: where the signal that ends a blocking {@code open} cannot be used.
     */
    int openWriterPolling(long deadline) throws InterruptedException {
        long pause = POLL_FIRST_NANOS;
        while (true) {
            if (guard.isClosed()) {
                throw new IllegalStateException("named pipe " + path + " was closed while waiting to "
                        + action(fcntl_h.O_WRONLY()));
            }
            int fd = openNow(fcntl_h.O_WRONLY());
            if (fd >= 0) {
                return fd;
            }
            long remaining = Timeouts.remaining(deadline);
            if (remaining <= 0) {
                return -1;
            }
            Thread.sleep(Duration.ofNanos(Math.min(pause, remaining)));
            pause = Math.min(2 * pause, POLL_MAX_NANOS);
        }
    }

    private static String action(int access) {
        return access == fcntl_h.O_WRONLY() ? "open for writing named pipe" : "open for reading named pipe";
    }

    // ---------------------------------------------------------------------------------------------
    // what it is

    /** {@return the FIFO's path, as given} */
    public Path path() {
        return path;
    }

    /** {@return whether this object created the FIFO (rather than opening an existing one)} */
    public boolean created() {
        return created;
    }

    /**
     * {@return the FIFO's permission bits now, such as {@code 0600}}
     *
     * @throws IllegalStateException if this object is closed
     */
    public int mode() {
        int fd = guard.begin();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            if (stat_h.fstat(fd, st) != 0) {
                throw Errors.lastError("read the mode of named pipe", path.toString());
            }
            return stat.st_mode(st) & ALL_PERMISSION_BITS;
        } finally {
            guard.end();
        }
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Releases the FIFO's descriptor. Threads waiting in an open wake and throw
     * {@link IllegalStateException}; the ends opened before stay open, and the FIFO stays until
     * unlinked. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (guard.close()) {
            blocked.wakeAll();
        }
    }

    @Override
    public String toString() {
        return "NamedPipe[" + path + (isClosed() ? ", closed" : "") + "]";
    }
}
