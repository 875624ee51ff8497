package org.panamaipc.socket;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.NotFoundException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.bindings.socket_h;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.internal.DescriptorGuard;
import org.panamaipc.internal.Descriptors;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.FdWait;
import org.panamaipc.internal.InterruptFd;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Unix-domain socket listening at a path in the file system, whose connections
 * ({@link DescriptorSocket}s) carry messages with descriptors. Who may connect is decided first by
 * the socket file's mode ({@code 0600} unless a mode is given: only this user), and then by the
 * server, which knows each client's pid, uid and gid ({@link DescriptorSocket#peer()}) and may
 * close a connection it will not serve:
 *
 * {@snippet lang=java :
 * try (DescriptorServer server = DescriptorServer.create(Path.of("/run/app/memory.sock"))) {
 *     while (true) {
 *         try (DescriptorSocket client = server.accept()) {
 *             if (!client.peer().isSameUser()) {
 *                 continue;                              // refused: closed without a word
 *             }
 *             client.send(ByteBuffer.wrap(HELLO), Attachments.of(memory));
 *         }
 *     }
 * }
 * }
 *
 * <h2>Three forms of accept</h2>
 * {@link #accept()} waits as long as it takes for a connection, {@link #tryAccept()} returns
 * {@code null} at once if none is pending, {@link #accept(Duration)} waits at most the timeout.
 * Interrupting a waiting thread ends the wait with {@link InterruptedException}; {@link #close()}
 * ends it with {@link IllegalStateException}.
 *
 * <h2>Names, modes and lifetime</h2>
 * The path holds at most 107 bytes ({@code sun_path}). The socket file is created with mode
 * {@code 0600} unless a mode is given, applied exactly whatever the umask (never looser while it
 * is set: the socket's own mode is set before {@code bind}, which takes the umask away from it, and
 * {@code chmod} then sets the exact bits). Connecting needs write permission on it. Like every
 * named object of panama-ipc, the file stays until unlinked: {@link #close()} stops listening but
 * leaves it, so call {@link #unlink()} before closing when the server is done, or
 * {@link #unlinkIfExists(Path)} before creating it again after a crash.
 *
 * <p>Safe for use by several threads.
 */
public final class DescriptorServer implements AutoCloseable {

    /** The mode socket files are created with unless told otherwise: {@code 0600}, owner read and write. */
    public static final int DEFAULT_MODE = stat_h.S_IRUSR() | stat_h.S_IWUSR();

    private static final int ALL_PERMISSION_BITS = 0777;

    private final Path path;
    private final DescriptorGuard guard;

    private DescriptorServer(Path path, int fd) {
        this.path = path;
        this.guard = DescriptorGuard.of(fd, "socket " + path + " (server)");
    }

    /**
     * Creates the socket file {@code path} with mode {@code 0600} and listens on it.
     *
     * @throws AlreadyExistsException if anything exists at {@code path} (a socket file left by a
     *         server that died, too: {@link #unlinkIfExists(Path)} removes it)
     * @throws NotFoundException if the directory it is to go in does not exist
     * @throws org.panamaipc.InvalidNameException if the path is empty, holds a NUL or is longer than 107 bytes
     */
    public static DescriptorServer create(Path path) {
        return create(path, DEFAULT_MODE);
    }

    /**
     * Creates the socket file as {@link #create(Path)} does, with permission bits {@code mode}
     * (such as {@code 0660} to let the group connect), applied exactly whatever the umask.
     *
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public static DescriptorServer create(Path path, int mode) {
        String text = UnixSockets.check(path);
        if ((mode & ~ALL_PERMISSION_BITS) != 0) {
            throw new IllegalArgumentException("mode=0" + Integer.toOctalString(mode)
                    + " has bits outside the permission bits 0777");
        }
        int fd = UnixSockets.socket("create socket", text);
        boolean bound = false;
        try (Arena arena = Arena.ofConfined()) {
            // bind creates the file with the socket's own mode less the umask: never looser than mode
            if (stat_h.fchmod(fd, mode) != 0) {
                throw Errors.lastError("set the mode of socket", text);
            }
            MemorySegment address = UnixSockets.address(arena, text);
            if (socket_h.bind(fd, address, (int) address.byteSize()) != 0) {
                int errno = Errno.last();
                if (errno == errno_h.EADDRINUSE()) {
                    throw new AlreadyExistsException("create socket", text, "a file exists at that path", errno,
                            Errno.name(errno), Errno.text(errno));
                }
                if (errno == errno_h.ENOENT()) {
                    throw new NotFoundException("create socket", text, "its directory does not exist", errno,
                            Errno.name(errno), Errno.text(errno));
                }
                throw Errors.fromErrno(errno, "create socket", text);
            }
            bound = true;
            if (stat_h.chmod(arena.allocateFrom(text), mode) != 0) {
                throw Errors.lastError("set the mode of socket", text);
            }
            if (socket_h.listen(fd, socket_h.SOMAXCONN()) != 0) {
                throw Errors.lastError("listen on socket", text);
            }
        } catch (RuntimeException e) {
            Descriptors.closeQuietly(fd);
            if (bound) {
                unlinkIfExists(path);
            }
            throw e;
        }
        return new DescriptorServer(path, fd);
    }

    /**
     * Removes the socket file {@code path}. A server still listening on it keeps its connections
     * but can no longer be reached.
     *
     * @throws NotFoundException if nothing exists at {@code path}
     * @throws IllegalArgumentException if what is there is not a socket (it is left alone)
     */
    public static void unlink(Path path) {
        String text = UnixSockets.check(path);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(text);
            int fd = fcntl_h.open(name, UnixSockets.pathOnly() | fcntl_h.O_NOFOLLOW(), 0);
            if (fd < 0) {
                throw Errors.lastError("unlink socket", text);
            }
            int type;
            try {
                type = Descriptors.fileType(fd, text);
            } finally {
                unistd_h.close(fd);
            }
            if (type != stat_h.S_IFSOCK()) {
                throw new IllegalArgumentException("path=" + path + " is not a socket (file type 0"
                        + Integer.toOctalString(type) + ")");
            }
            if (unistd_h.unlink(name) != 0) {
                throw Errors.lastError("unlink socket", text);
            }
        }
    }

    /**
     * {@return whether a socket file was at {@code path} and was removed} Like
     * {@link #unlink(Path)}, without failing when nothing is there.
     */
    public static boolean unlinkIfExists(Path path) {
        try {
            unlink(path);
            return true;
        } catch (NotFoundException missing) {
            return false;
        }
    }

    /** {@return whether a socket file exists at {@code path} now} Whether a server listens on it is another matter. */
    public static boolean exists(Path path) {
        String text = UnixSockets.check(path);
        try (Arena arena = Arena.ofConfined()) {
            int fd = fcntl_h.open(arena.allocateFrom(text), UnixSockets.pathOnly(), 0);
            if (fd < 0) {
                int errno = Errno.last();
                if (errno == errno_h.ENOENT() || errno == errno_h.ENOTDIR()) {
                    return false;
                }
                throw Errors.fromErrno(errno, "look up socket", text);
            }
            try {
                return Descriptors.fileType(fd, text) == stat_h.S_IFSOCK();
            } finally {
                unistd_h.close(fd);
            }
        }
    }

    /** Removes this server's socket file (see {@link #unlink(Path)}); connections made stay. */
    public void unlink() {
        unlink(path);
    }

    /**
     * Accepts the next connection, waiting as long as it takes.
     *
     * @return the connection; its {@link DescriptorSocket#peer()} says who made it
     * @throws InterruptedException if the thread is interrupted, before or while waiting
     * @throws IllegalStateException if this server is closed, before or while waiting
     */
    public DescriptorSocket accept() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return accept(Timeouts.FOREVER, true);
    }

    /** {@return a pending connection, accepted, or {@code null} if none is pending} */
    public DescriptorSocket tryAccept() {
        try {
            return accept(Timeouts.deadline(0), false);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("the try form does not wait", cannotHappen);
        }
    }

    /**
     * Accepts as {@link #accept()} does, waiting at most {@code timeout}.
     *
     * @return the connection, or {@code null} if none came in time
     * @throws NullPointerException if {@code timeout} is null
     */
    public DescriptorSocket accept(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.toNanos(timeout);
        if (nanos == 0) {
            return tryAccept();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return accept(Timeouts.deadline(nanos), true);
    }

    private DescriptorSocket accept(long deadline, boolean wait) throws InterruptedException {
        int fd = guard.begin();
        InterruptFd interrupt = wait ? InterruptFd.current() : null;
        if (interrupt != null) {
            interrupt.arm();
        }
        try {
            while (true) {
                int connection = socket_h.accept4(fd, MemorySegment.NULL, MemorySegment.NULL,
                        socket_h.SOCK_NONBLOCK() | socket_h.SOCK_CLOEXEC());
                if (connection >= 0) {
                    return DescriptorSocket.accepted(path, connection);
                }
                int errno = Errno.last();
                if (errno == errno_h.EINTR()) {
                    continue;
                }
                if (errno != errno_h.EAGAIN()) {
                    throw Errors.fromErrno(errno, "accept a connection on socket", path.toString());
                }
                if (interrupt == null || Timeouts.passed(deadline, System.nanoTime())) {
                    return null;
                }
                FdWait.await(fd, poll_h.POLLIN(), guard.closeSignalFd(), interrupt, deadline,
                        "wait for a connection on socket", path.toString());
                if (guard.isClosed()) {
                    throw new IllegalStateException("socket " + path + " (server) was closed while waiting");
                }
            }
        } finally {
            if (interrupt != null) {
                interrupt.disarm();
            }
            guard.end();
        }
    }

    /** {@return the socket file's path, as given} */
    public Path path() {
        return path;
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Stops listening. Threads waiting in {@code accept} throw {@link IllegalStateException};
     * connections accepted before stay open; clients that connected but were not yet accepted see
     * their connection end. The socket file stays until unlinked. Calling it again does nothing.
     */
    @Override
    public void close() {
        guard.close();
    }

    @Override
    public String toString() {
        return "DescriptorServer[" + path + (isClosed() ? ", closed" : "") + "]";
    }
}
