package org.panamaipc.bench;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Pipes: two FIFOs made by {@code mkfifo} in {@code java.io.tmpdir}, one each way, read and written
 * through blocking {@link FileChannel}s, each message framed by a 4-byte length. The issue asks for
 * a pipe between a parent's and a child's process streams; the harness starts ping and pong as
 * siblings, so they meet at named pipes, which are the same kernel object as {@code pipe(2)} (same
 * buffer, same wake-ups) with a name to open.
 *
 * <p>Opening a FIFO waits for the other end, so each side opens its ends on first use: the pong
 * must return from {@link #open} before the ping starts. An open that waits longer than
 * {@link Spinner#TIMEOUT_NANOS} is ended by opening the other end ourselves, and then throws.
 */
public final class PipeTransport implements Transport {

    @Override
    public String name() {
        return "pipe";
    }

    private static Path toPong(String id) {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipc-bench-" + id + "-a.fifo");
    }

    private static Path toPing(String id) {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipc-bench-" + id + "-b.fifo");
    }

    @Override
    public void setUp(String id) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", toPong(id).toString(), toPing(id).toString())
                .redirectErrorStream(true).start();
        if (!mkfifo.waitFor(10, TimeUnit.SECONDS)) {
            mkfifo.destroyForcibly();
            throw new IOException("mkfifo still running after 10 s");
        }
        if (mkfifo.exitValue() != 0) {
            throw new IOException("mkfifo exited with " + mkfifo.exitValue() + ": "
                    + new String(mkfifo.getInputStream().readAllBytes()).trim());
        }
    }

    @Override
    public void tearDown(String id) {
        MappedFiles.deleteQuietly(toPong(id));
        MappedFiles.deleteQuietly(toPing(id));
    }

    @Override
    public Side open(String id, boolean ping) {
        return new PipeSide(ping ? toPong(id) : toPing(id), ping ? toPing(id) : toPong(id));
    }

    private static final class PipeSide implements Side {
        private final Path outPath;
        private final Path inPath;
        private FileChannel out;
        private FileChannel in;
        private final ByteBuffer header = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        private final ByteBuffer[] both = {header, null};

        PipeSide(Path outPath, Path inPath) {
            this.outPath = outPath;
            this.inPath = inPath;
        }

        @Override
        public void send(MemorySegment message, int length) throws IOException {
            if (out == null) {
                out = openFifo(outPath, true);
            }
            header.clear();
            header.putInt(0, length);
            both[1] = message.asSlice(0, length).asByteBuffer();
            long left = 4L + length;
            while (left > 0) {
                left -= out.write(both);
            }
        }

        @Override
        public int receive(MemorySegment buffer) throws IOException {
            if (in == null) {
                in = openFifo(inPath, false);
            }
            header.clear();
            readFully(header);
            int length = header.getInt(0);
            if (length < 0 || length > buffer.byteSize()) {
                throw new IllegalStateException("frame length=" + length + " does not fit buffer=" + buffer.byteSize());
            }
            readFully(buffer.asSlice(0, length).asByteBuffer());
            return length;
        }

        private void readFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (in.read(b) < 0) {
                    throw new EOFException("the other side closed " + inPath);
                }
            }
        }

        @Override
        public void close() throws IOException {
            try (FileChannel o = out; FileChannel i = in) {
                // closes both, either may be null
            }
        }
    }

    /**
     * Opens a FIFO for writing or reading, which waits until the other end is opened too. If that
     * takes longer than the timeout, a helper thread opens the other end itself (which never waits,
     * since this end is already waiting), so that this open returns and can throw.
     */
    static FileChannel openFifo(Path fifo, boolean write) throws IOException {
        boolean[] gaveUp = {false};
        Thread unblocker = Thread.ofPlatform().daemon().name("fifo-open-timeout").start(() -> {
            try {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Spinner.TIMEOUT_NANOS));
            } catch (InterruptedException opened) {
                return;
            }
            synchronized (gaveUp) {
                gaveUp[0] = true;
            }
            try (FileChannel other = FileChannel.open(fifo, write ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
                // opened and closed: the waiting open returns
            } catch (IOException ignored) {
                // nothing more to do
            }
        });
        FileChannel channel = FileChannel.open(fifo, write ? StandardOpenOption.WRITE : StandardOpenOption.READ);
        unblocker.interrupt();
        synchronized (gaveUp) {
            if (gaveUp[0]) {
                channel.close();
                throw new IOException("nobody opened the other end of " + fifo + " for "
                        + TimeUnit.NANOSECONDS.toSeconds(Spinner.TIMEOUT_NANOS) + " s");
            }
        }
        return channel;
    }
}
