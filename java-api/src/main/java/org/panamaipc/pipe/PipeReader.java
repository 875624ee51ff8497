package org.panamaipc.pipe;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.internal.DescriptorGuard;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.FdWait;
import org.panamaipc.internal.Timeouts;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The reading end of a {@link NamedPipe}: a {@link ReadableByteChannel} over the FIFO. Bytes come
 * in the order they were written, whoever wrote them; a write of at most 4096 bytes
 * ({@code PIPE_BUF}) arrives whole, never interleaved with another writer's.
 *
 * <h2>Three forms of read</h2>
 * Reads follow {@link ReadableByteChannel}: they return the number of bytes read, and -1 at the
 * end of the stream, which is when every writer has closed the FIFO (after at least one had opened
 * it). {@link #read(ByteBuffer)} waits until at least one byte comes or the stream ends;
 * {@link #tryRead(ByteBuffer)} returns at once, 0 when nothing is there; {@link #read(ByteBuffer,
 * Duration)} waits at most the timeout, 0 when nothing came. A reader that no writer has reached
 * yet (opened by {@link NamedPipe#tryOpenReader()}) does not see the end of the stream: its reads
 * wait for the first writer, and end once that writer and every other has gone.
 *
 * <h2>Closing and interrupts</h2>
 * As every {@link java.nio.channels.InterruptibleChannel}: {@link #close()} from another thread
 * ends a blocked read with {@link java.nio.channels.AsynchronousCloseException}; an interrupt of
 * the reading thread closes the channel and ends the read with
 * {@link java.nio.channels.ClosedByInterruptException} (the interrupt status stays set); a read on
 * a closed reader throws {@link ClosedChannelException}. Closing the reader never removes the FIFO.
 * These are the channel contracts, which here take the place of panama-ipc's
 * {@link IllegalStateException} and {@link InterruptedException}.
 *
 * <p>Safe for use by several threads; bytes go to whichever read takes them first.
 */
public final class PipeReader extends AbstractInterruptibleChannel implements ReadableByteChannel {

    /** What a read returns at the end of the stream: every writer has closed the FIFO. */
    public static final int END_OF_STREAM = -1;

    /** What the read loop returns when the reader was closed while it waited. */
    private static final int CLOSED_MEANWHILE = Integer.MIN_VALUE;

    private final Path path;
    private final DescriptorGuard guard;

    /** Takes {@code fd}, a non-blocking descriptor of the FIFO open for reading. */
    PipeReader(Path path, int fd) {
        this.path = path;
        this.guard = DescriptorGuard.of(fd, "named pipe " + path + " (reader)");
    }

    /**
     * Reads into {@code dst} at its position, waiting until at least one byte is there or every
     * writer has gone. It returns 0 only if {@code dst} has no room.
     *
     * @return the number of bytes read, or {@link #END_OF_STREAM}
     * @throws ClosedChannelException if this reader is closed (before, or while waiting: then an
     *         {@link java.nio.channels.AsynchronousCloseException} or
     *         {@link java.nio.channels.ClosedByInterruptException})
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        return read(dst, Timeouts.FOREVER);
    }

    /**
     * Reads what is there now.
     *
     * @return the number of bytes read, 0 if none is there, or {@link #END_OF_STREAM}
     * @throws ClosedChannelException if this reader is closed
     */
    public int tryRead(ByteBuffer dst) throws IOException {
        return read(dst, Timeouts.deadline(0));
    }

    /**
     * Reads as {@link #read(ByteBuffer)} does, waiting at most {@code timeout} (zero or negative:
     * as {@link #tryRead(ByteBuffer)}).
     *
     * @return the number of bytes read, 0 if none came in time, or {@link #END_OF_STREAM}
     * @throws NullPointerException if {@code timeout} is null
     */
    public int read(ByteBuffer dst, Duration timeout) throws IOException {
        long nanos = Timeouts.toNanos(timeout);
        return read(dst, Timeouts.deadline(nanos));
    }

    private int read(ByteBuffer dst, long deadline) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is a read-only buffer");
        }
        int fd = guard.tryBegin();
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        boolean completed = false;
        int result = 0;
        try {
            begin();
            result = readLoop(fd, dst, deadline);
            completed = result != CLOSED_MEANWHILE;
        } finally {
            guard.end();
            end(completed); // throws AsynchronousCloseException or ClosedByInterruptException if closed meanwhile
        }
        return result;
    }

    private int readLoop(int fd, ByteBuffer dst, long deadline) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        while (true) {
            int length = Math.min(dst.remaining(), Scratch.SIZE);
            MemorySegment memory = Scratch.of(dst, length);
            long n = unistd_h.read(fd, memory, length);
            if (n > 0) {
                if (!dst.isDirect()) {
                    MemorySegment.copy(memory, 0, MemorySegment.ofBuffer(dst), 0, n);
                }
                dst.position(dst.position() + (int) n);
                return (int) n;
            }
            short ready;
            if (n == 0) {
                // no writer now: the end if one has been and gone (POLLHUP), or none has come yet
                ready = poll(fd, Timeouts.deadline(0));
                if ((ready & poll_h.POLLIN()) != 0) {
                    continue;
                }
                if ((ready & poll_h.POLLHUP()) != 0) {
                    return END_OF_STREAM;
                }
            } else {
                int errno = Errno.last();
                if (errno == errno_h.EINTR()) {
                    continue;
                }
                if (errno != errno_h.EAGAIN()) {
                    throw Errors.fromErrno(errno, "read from named pipe", path.toString());
                }
            }
            if (Timeouts.passed(deadline, System.nanoTime())) {
                return 0;
            }
            poll(fd, deadline);
            if (guard.isClosed()) {
                return CLOSED_MEANWHILE;
            }
        }
    }

    private short poll(int fd, long deadline) {
        try {
            return FdWait.await(fd, poll_h.POLLIN(), guard.closeSignalFd(), null, deadline,
                    "wait for data in named pipe", path.toString());
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError("no InterruptFd was given", cannotHappen);
        }
    }

    /**
     * {@return an input stream over this reader} Its reads block as {@link #read(ByteBuffer)} does;
     * closing it closes this reader.
     */
    public InputStream inputStream() {
        return Channels.newInputStream(this);
    }

    /** {@return the FIFO's path, as given when it was created or opened} */
    public Path path() {
        return path;
    }

    @Override
    protected void implCloseChannel() {
        guard.close();
    }

    @Override
    public String toString() {
        return "PipeReader[" + path + (isOpen() ? "" : ", closed") + "]";
    }
}
