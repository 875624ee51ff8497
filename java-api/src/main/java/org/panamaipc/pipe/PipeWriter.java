package org.panamaipc.pipe;

import org.panamaipc.PeerGoneException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.poll_h;
import org.panamaipc.internal.DescriptorGuard;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.FdWait;
import org.panamaipc.internal.NoSigpipe;
import org.panamaipc.internal.Timeouts;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The writing end of a {@link NamedPipe}: a {@link WritableByteChannel} into the FIFO. The kernel
 * holds 64 KiB by default ({@code /proc/sys/fs/pipe-max-size} bounds what it may be raised to); a
 * write of at most 4096 bytes ({@code PIPE_BUF}) goes in whole or not at all, never interleaved
 * with another writer's.
 *
 * <h2>Three forms of write</h2>
 * {@link #write(ByteBuffer)} writes every remaining byte, waiting for room as long as it takes;
 * {@link #tryWrite(ByteBuffer)} writes what fits now (0 if nothing does; a buffer of at most 4096
 * bytes all or nothing); {@link #write(ByteBuffer, Duration)} writes what fits within the timeout.
 * Each returns the number of bytes written and advances the buffer's position past them.
 *
 * <h2>When the reader has gone</h2>
 * A write to a FIFO that no reader has open any more throws {@link PeerGoneException}, in every
 * form, after the bytes it could write before (the position says how many went). The kernel also
 * raises {@code SIGPIPE} in the writing thread, whose default action ends the process; the write
 * therefore runs with {@code SIGPIPE} blocked and takes the signal it raised, so the JVM lives
 * whatever the signal's disposition (see {@code org.panamaipc.internal.NoSigpipe}).
 *
 * <h2>Closing and interrupts</h2>
 * As every {@link java.nio.channels.InterruptibleChannel}: {@link #close()} from another thread
 * ends a blocked write with {@link java.nio.channels.AsynchronousCloseException}; an interrupt
 * closes the channel and ends the write with {@link java.nio.channels.ClosedByInterruptException};
 * a write on a closed writer throws {@link ClosedChannelException}. When the last writer closes,
 * the reader sees the end of the stream once it has read what is left. Closing never removes the
 * FIFO.
 *
 * <p>Safe for use by several threads.
 */
public final class PipeWriter extends AbstractInterruptibleChannel implements WritableByteChannel {

    /** What the write loop returns when the writer was closed while it waited. */
    private static final int CLOSED_MEANWHILE = Integer.MIN_VALUE;

    private final Path path;
    private final DescriptorGuard guard;

    /** Takes {@code fd}, a non-blocking descriptor of the FIFO open for writing. */
    PipeWriter(Path path, int fd) {
        this.path = path;
        this.guard = DescriptorGuard.of(fd, "named pipe " + path + " (writer)");
    }

    /**
     * Writes every remaining byte of {@code src}, waiting for room as long as it takes.
     *
     * @return the number of bytes written: all that remained
     * @throws PeerGoneException if no reader has the FIFO open any more
     * @throws ClosedChannelException if this writer is closed (before, or while waiting: then an
     *         {@link java.nio.channels.AsynchronousCloseException} or
     *         {@link java.nio.channels.ClosedByInterruptException})
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        return write(src, Timeouts.FOREVER);
    }

    /**
     * Writes what fits now. A buffer of at most 4096 bytes goes in whole or not at all.
     *
     * @return the number of bytes written, 0 if the FIFO is full
     * @throws PeerGoneException if no reader has the FIFO open any more
     * @throws ClosedChannelException if this writer is closed
     */
    public int tryWrite(ByteBuffer src) throws IOException {
        return write(src, Timeouts.deadline(0));
    }

    /**
     * Writes as much of {@code src} as fits within {@code timeout} (zero or negative: as
     * {@link #tryWrite(ByteBuffer)}). It returns as soon as every byte is written, or when the
     * time is up.
     *
     * @return the number of bytes written
     * @throws NullPointerException if {@code timeout} is null
     * @throws PeerGoneException if no reader has the FIFO open any more
     */
    public int write(ByteBuffer src, Duration timeout) throws IOException {
        long nanos = Timeouts.toNanos(timeout);
        return write(src, Timeouts.deadline(nanos));
    }

    private int write(ByteBuffer src, long deadline) throws IOException {
        Objects.requireNonNull(src, "src");
        int fd = guard.tryBegin();
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        boolean completed = false;
        int result = 0;
        try {
            begin();
            result = writeLoop(fd, src, deadline);
            completed = result != CLOSED_MEANWHILE;
        } finally {
            guard.end();
            end(completed); // throws AsynchronousCloseException or ClosedByInterruptException if closed meanwhile
        }
        return result;
    }

    private int writeLoop(int fd, ByteBuffer src, long deadline) {
        int total = 0;
        while (src.hasRemaining()) {
            int length = Math.min(src.remaining(), Scratch.SIZE);
            MemorySegment memory = Scratch.of(src, length);
            if (!src.isDirect()) {
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, memory, 0, length);
            }
            long n = NoSigpipe.write(fd, memory, length);
            if (n > 0) {
                src.position(src.position() + (int) n);
                total += (int) n;
                continue;
            }
            if (n == -errno_h.EPIPE()) {
                throw new PeerGoneException("write to named pipe", path.toString(),
                        "no reader has it open any more (EPIPE), after " + total + " bytes of this write");
            }
            if (n != -errno_h.EAGAIN() && n != -errno_h.EINTR()) {
                throw Errors.fromErrno((int) -n, "write to named pipe", path.toString());
            }
            if (n == -errno_h.EAGAIN()) {
                if (Timeouts.passed(deadline, System.nanoTime())) {
                    return total;
                }
                try {
                    FdWait.await(fd, poll_h.POLLOUT(), guard.closeSignalFd(), null, deadline,
                            "wait for room in named pipe", path.toString());
                } catch (InterruptedException cannotHappen) {
                    throw new AssertionError("no InterruptFd was given", cannotHappen);
                }
                if (guard.isClosed()) {
                    return CLOSED_MEANWHILE;
                }
            }
        }
        return total;
    }

    /**
     * {@return an output stream over this writer} Its writes block as {@link #write(ByteBuffer)}
     * does and throw {@link PeerGoneException} when the reader has gone; closing it closes this
     * writer.
     */
    public OutputStream outputStream() {
        return Channels.newOutputStream(this);
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
        return "PipeWriter[" + path + (isOpen() ? "" : ", closed") + "]";
    }
}
