package org.panamaipc.socket;

import org.panamaipc.IpcException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.bindings.socket_h;
import org.panamaipc.internal.DescriptorGuard;
import org.panamaipc.internal.Descriptors;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.FdWait;
import org.panamaipc.internal.InterruptFd;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A connected Unix-domain socket that carries messages with descriptors: each message is a
 * payload of 0 to {@link #MAX_PAYLOAD} bytes and up to {@link #MAX_DESCRIPTORS} objects (shared
 * memory, message queues; see {@link Attachments}), delivered whole and in order
 * ({@code SOCK_SEQPACKET}, {@code sendmsg}/{@code recvmsg} with {@code SCM_RIGHTS}). It knows
 * who is at the other end ({@link #peer()}). A client gets one from {@link #open(Path)}, a server
 * from {@link DescriptorServer#accept()}.
 *
 * {@snippet lang=java :
 * // the process that owns the memory
 * try (SharedMemory memory = SharedMemory.anonymous(1 << 20);          // sealed: its size is fixed
 *      DescriptorSocket client = server.accept()) {
 *     if (client.peer().isSameUser()) {
 *         client.send(ByteBuffer.wrap(HELLO), Attachments.of(memory));
 *     }
 * }
 * // the other process
 * try (DescriptorSocket socket = DescriptorSocket.open(Path.of("/run/app/memory.sock"));
 *      Received message = socket.receive();
 *      SharedMemory memory = message.takeSharedMemory(0, EnumSet.of(Seal.SHRINK, Seal.GROW))) {
 *     long value = memory.segment().get(ValueLayout.JAVA_LONG, 0);
 * }
 * }
 *
 * <h2>Three forms of every operation</h2>
 * {@code send} and {@code receive} wait as long as it takes; {@code trySend} and
 * {@code tryReceive} return at once; the forms with a {@link Duration} wait at most that long (zero
 * or negative: at once). Sends return 0 when the message went, {@link #FULL} when the socket's
 * buffer had no room now or within the timeout, {@link #CLOSED} when the peer has gone (the blocking
 * {@code send} throws {@link PeerGoneException} instead). Receives return the message, or
 * {@code null} when none came now or within the timeout, and throw {@link PeerGoneException} once
 * the peer has closed its end and every message it sent has been received. A send reads the
 * payload's remaining bytes and advances its position past them; when nothing went, the position is
 * unchanged. A message may have an empty payload only if it carries a descriptor: an empty message
 * alone cannot be told from the end of the connection.
 *
 * <h2>Interrupts and closing</h2>
 * A thread blocked in a send or receive that is interrupted throws {@link InterruptedException};
 * one blocked when another thread calls {@link #close()} throws {@link IllegalStateException}.
 * Closing never removes the server's socket file.
 *
 * <p>Sends and receives never raise {@code SIGPIPE} ({@code MSG_NOSIGNAL}). Descriptors received
 * are close-on-exec. Safe for use by several threads: each message is sent and received whole.
 */
public final class DescriptorSocket implements AutoCloseable {

    /** The longest payload a message may carry, in bytes. */
    public static final int MAX_PAYLOAD = 64 * 1024;

    /** The most descriptors a message may carry: the kernel's {@code SCM_MAX_FD}. */
    public static final int MAX_DESCRIPTORS = 253;

    /** What a send returns when the socket's buffer had no room now or within the timeout. */
    public static final long FULL = org.panamaipc.Outcome.FULL;

    /** What a send returns when the peer has gone. */
    public static final long CLOSED = org.panamaipc.Outcome.CLOSED;

    private static final long SENT = 0;

    private final Path path;
    private final DescriptorGuard guard;
    private final PeerCredentials peer;

    private DescriptorSocket(Path path, int fd, String role) {
        this.path = path;
        PeerCredentials credentials;
        try {
            credentials = PeerCredentials.of(fd, path.toString());
        } catch (RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
        this.peer = credentials;
        this.guard = DescriptorGuard.of(fd, "socket " + path + " (" + role + ")");
    }

    /** A socket over {@code fd}, a connection the server at {@code path} accepted. */
    static DescriptorSocket accepted(Path path, int fd) {
        return new DescriptorSocket(path, fd, "accepted");
    }

    /**
     * Connects to the {@link DescriptorServer} listening at {@code path}. It does not wait: a
     * server that exists takes the connection into its backlog at once, before it accepts it.
     *
     * @throws NotFoundException if nothing exists at {@code path}
     * @throws org.panamaipc.PermissionDeniedException if the socket file's mode does not let this
     *         process write it, or a directory on the way cannot be searched
     * @throws IpcException with {@code ECONNREFUSED} if no server listens there (a socket file left
     *         behind), or {@code EAGAIN} if its backlog is full
     * @throws org.panamaipc.InvalidNameException if the path is empty, holds a NUL or is longer than 107 bytes
     */
    public static DescriptorSocket open(Path path) {
        String text = UnixSockets.check(path);
        int fd = UnixSockets.socket("create a socket to connect to", text);
        try (Arena arena = Arena.ofConfined()) {
            var address = UnixSockets.address(arena, text);
            if (socket_h.connect(fd, address, (int) address.byteSize()) != 0) {
                int errno = Errno.last();
                throw errno == errno_h.ECONNREFUSED()
                        ? new IpcException("connect to socket", text, "no server listens on it", errno,
                                Errno.name(errno), Errno.text(errno))
                        : Errors.fromErrno(errno, "connect to socket", text);
            }
        } catch (RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
        return new DescriptorSocket(path, fd, "client");
    }

    /** {@return who is at the other end, as the kernel recorded it when the connection was made} */
    public PeerCredentials peer() {
        return peer;
    }

    /** {@return the path of the server's socket} */
    public Path path() {
        return path;
    }

    // ---------------------------------------------------------------------------------------------
    // sending

    /**
     * Sends {@code payload}'s remaining bytes with {@code attachments}, waiting as long as it
     * takes for room.
     *
     * @return 0
     * @throws PeerGoneException if the peer has gone
     * @throws InterruptedException if the thread is interrupted, before or while waiting
     * @throws MessageTooLongException if the payload is longer than {@link #MAX_PAYLOAD}
     * @throws IllegalArgumentException if there are more than {@link #MAX_DESCRIPTORS}
     *         attachments, or neither payload nor attachments
     * @throws IllegalStateException if this socket or an attached object is closed
     */
    public long send(ByteBuffer payload, Attachments attachments) throws InterruptedException {
        checkInterrupt();
        long result = send(payload, attachments, Timeouts.FOREVER, true);
        if (result == CLOSED) {
            throw new PeerGoneException("send to socket", path.toString(), "the peer has closed its end");
        }
        return result;
    }

    /**
     * Sends as {@link #send(ByteBuffer, Attachments)} does if there is room now.
     *
     * @return 0, {@link #FULL} or {@link #CLOSED}
     */
    public long trySend(ByteBuffer payload, Attachments attachments) {
        try {
            return send(payload, attachments, Timeouts.deadline(0), false);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("the try form does not wait", cannotHappen);
        }
    }

    /**
     * Sends as {@link #send(ByteBuffer, Attachments)} does, waiting at most {@code timeout} for
     * room.
     *
     * @return 0, {@link #FULL} or {@link #CLOSED}
     * @throws NullPointerException if {@code timeout} is null
     */
    public long send(ByteBuffer payload, Attachments attachments, Duration timeout) throws InterruptedException {
        long nanos = Timeouts.toNanos(timeout);
        if (nanos == 0) {
            return trySend(payload, attachments);
        }
        checkInterrupt();
        return send(payload, attachments, Timeouts.deadline(nanos), true);
    }

    private long send(ByteBuffer payload, Attachments attachments, long deadline, boolean wait)
            throws InterruptedException {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(attachments, "attachments");
        int length = payload.remaining();
        if (length > MAX_PAYLOAD) {
            throw new MessageTooLongException("send to socket", path.toString(), length, MAX_PAYLOAD);
        }
        if (attachments.size() > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("attachments=" + attachments.size() + " exceeds MAX_DESCRIPTORS="
                    + MAX_DESCRIPTORS);
        }
        if (length == 0 && attachments.size() == 0) {
            throw new IllegalArgumentException("a message needs a payload or an attachment: an empty one "
                    + "cannot be told from the end of the connection");
        }
        int fd = guard.begin();
        InterruptFd interrupt = wait ? InterruptFd.current() : null;
        int[] fds = null;
        try {
            fds = attachments.duplicate();
            if (interrupt != null) {
                interrupt.arm();
            }
            while (true) {
                long sent = Wire.current().send(fd, payload, fds);
                if (sent >= 0) {
                    payload.position(payload.position() + length);
                    return SENT;
                }
                int errno = (int) -sent;
                if (errno == errno_h.EPIPE() || errno == errno_h.ECONNRESET() || errno == errno_h.ENOTCONN()) {
                    return CLOSED;
                }
                if (errno == errno_h.EINTR()) {
                    continue;
                }
                if (errno != errno_h.EAGAIN()) {
                    throw Errors.fromErrno(errno, "send to socket", path.toString());
                }
                if (interrupt == null || Timeouts.passed(deadline, System.nanoTime())) {
                    return FULL;
                }
                await(fd, poll_h.POLLOUT(), interrupt, deadline, "wait for room in socket");
            }
        } finally {
            if (interrupt != null) {
                interrupt.disarm();
            }
            if (fds != null) {
                for (int copy : fds) {
                    Descriptors.closeQuietly(copy);
                }
            }
            guard.end();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // receiving

    /**
     * Receives the next message, waiting as long as it takes.
     *
     * @return the message; close it
     * @throws PeerGoneException if the peer has closed its end and every message it sent has been received
     * @throws InterruptedException if the thread is interrupted, before or while waiting
     * @throws MessageTooLongException if a peer sent a payload longer than {@link #MAX_PAYLOAD}
     *         (the message is dropped, its descriptors closed)
     * @throws org.panamaipc.LimitReachedException if this process ran out of descriptors while
     *         receiving some (the message is dropped, those received closed)
     * @throws IllegalStateException if this socket is closed, before or while waiting
     */
    public Received receive() throws InterruptedException {
        checkInterrupt();
        return receive(Timeouts.FOREVER, true);
    }

    /** {@return the next message if one is there now, as {@link #receive()} returns it, or {@code null}} */
    public Received tryReceive() {
        try {
            return receive(Timeouts.deadline(0), false);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("the try form does not wait", cannotHappen);
        }
    }

    /**
     * Receives as {@link #receive()} does, waiting at most {@code timeout}.
     *
     * @return the message, or {@code null} if none came in time
     * @throws NullPointerException if {@code timeout} is null
     */
    public Received receive(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.toNanos(timeout);
        if (nanos == 0) {
            return tryReceive();
        }
        checkInterrupt();
        return receive(Timeouts.deadline(nanos), true);
    }

    private Received receive(long deadline, boolean wait) throws InterruptedException {
        int fd = guard.begin();
        InterruptFd interrupt = wait ? InterruptFd.current() : null;
        if (interrupt != null) {
            interrupt.arm();
        }
        try {
            Wire wire = Wire.current();
            while (true) {
                long received = wire.receive(fd);
                if (received >= 0) {
                    int[] fds = wire.descriptors();
                    int flags = wire.flags();
                    if (received == 0 && fds.length == 0) {
                        throw new PeerGoneException("receive from socket", path.toString(),
                                "the peer has closed its end and every message it sent was received");
                    }
                    if ((flags & (socket_h.MSG_TRUNC() | socket_h.MSG_CTRUNC())) != 0) {
                        throw dropped(fds, flags, received);
                    }
                    return new Received(wire.payload((int) received), fds);
                }
                int errno = (int) -received;
                if (errno == errno_h.ECONNRESET()) {
                    throw new PeerGoneException("receive from socket", path.toString(), "the peer reset the connection");
                }
                if (errno == errno_h.EINTR()) {
                    continue;
                }
                if (errno != errno_h.EAGAIN()) {
                    throw Errors.fromErrno(errno, "receive from socket", path.toString());
                }
                if (interrupt == null || Timeouts.passed(deadline, System.nanoTime())) {
                    return null;
                }
                await(fd, poll_h.POLLIN(), interrupt, deadline, "wait for a message on socket");
            }
        } finally {
            if (interrupt != null) {
                interrupt.disarm();
            }
            guard.end();
        }
    }

    private IpcException dropped(int[] fds, int flags, long received) {
        for (int copy : fds) {
            Descriptors.closeQuietly(copy);
        }
        if ((flags & socket_h.MSG_TRUNC()) != 0) {
            int errno = errno_h.EMSGSIZE();
            return new MessageTooLongException("receive from socket", path.toString(), "the peer sent a payload longer than "
                    + "MAX_PAYLOAD=" + MAX_PAYLOAD + " bytes; the message was dropped and its descriptors closed",
                    errno, Errno.name(errno), Errno.text(errno));
        }
        return Errors.limit(errno_h.EMFILE(), "receive the descriptors of a message from socket", path.toString(),
                "RLIMIT_NOFILE (open files per process): the kernel dropped descriptors that did not fit (MSG_CTRUNC)",
                null, "ulimit -n N");
    }

    private void await(int fd, short events, InterruptFd interrupt, long deadline, String action)
            throws InterruptedException {
        FdWait.await(fd, events, guard.closeSignalFd(), interrupt, deadline, action, path.toString());
        if (guard.isClosed()) {
            throw new IllegalStateException("socket " + path + " was closed while waiting");
        }
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // life cycle

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Closes this end: the peer's receives end with {@link PeerGoneException} once it has received
     * what was sent, and its sends return {@link #CLOSED}. Threads blocked here throw
     * {@link IllegalStateException}. Messages received by the kernel but not by this process are
     * dropped, and the descriptors they carry closed. Calling it again does nothing.
     */
    @Override
    public void close() {
        guard.close();
    }

    @Override
    public String toString() {
        return "DescriptorSocket[" + path + ", peer " + peer + (isClosed() ? ", closed" : "") + "]";
    }
}
