package org.panamaipc.bench;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Chronicle Queue: two queues (one each way) in a directory under {@code /dev/shm}, built with
 * {@link SingleChronicleQueueBuilder#binary} and its defaults. Sending is
 * {@code appender.writeBytes}; receiving is {@code tailer.readBytes} in a busy-spin loop. Each side
 * copies through one direct buffer of its own that Chronicle's {@code Bytes} wraps, so there is no
 * allocation per message. The queue is a persisted journal: every message stays in the files
 * until {@link #tearDown} removes the directory.
 */
public final class ChronicleTransport implements Transport {

    private static final int MAX_LENGTH = 64 * 1024;

    @Override
    public String name() {
        return "chronicle-queue";
    }

    /**
     * Chronicle reaches into the JDK (file mapping, Unsafe, reflection on {@code java.lang}); these
     * are the options its documentation lists for Java 17 and later, plus quiet {@code sun.misc.Unsafe}
     * on JDK 25, no analytics and no disk-space monitor thread (a third busy thread on two CPUs).
     */
    @Override
    public List<String> jvmFlags() {
        return List.of(
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
                "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Dchronicle.analytics.disable=true",
                "-Dchronicle.disk.monitor.disable=true");
    }

    private static Path directory(String id) {
        return MappedFiles.path(id, "chronicle");
    }

    @Override
    public void setUp(String id) throws Exception {
        Files.createDirectory(directory(id), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Override
    public void tearDown(String id) {
        MappedFiles.deleteQuietly(directory(id));
    }

    @Override
    public Side open(String id, boolean ping) {
        Path dir = directory(id);
        return new ChronicleSide(dir.resolve(ping ? "a" : "b"), dir.resolve(ping ? "b" : "a"));
    }

    /** Loaded only in a peer, which has the flags Chronicle needs; the harness never touches it. */
    private static final class ChronicleSide implements Side {
        private final ChronicleQueue out;
        private final ChronicleQueue in;
        private final ExcerptAppender appender;
        private final ExcerptTailer tailer;
        private final ByteBuffer outBuffer = ByteBuffer.allocateDirect(MAX_LENGTH);
        private final ByteBuffer inBuffer = ByteBuffer.allocateDirect(MAX_LENGTH);
        private final MemorySegment outBytes = MemorySegment.ofBuffer(outBuffer);
        private final MemorySegment inBytes = MemorySegment.ofBuffer(inBuffer);
        private final Bytes<ByteBuffer> outMessage = Bytes.wrapForRead(outBuffer);
        private final Bytes<ByteBuffer> inMessage = Bytes.wrapForWrite(inBuffer);
        private final Spinner spinner = new Spinner();

        ChronicleSide(Path outDir, Path inDir) {
            out = SingleChronicleQueueBuilder.binary(outDir).build();
            in = SingleChronicleQueueBuilder.binary(inDir).build();
            appender = out.createAppender();
            tailer = in.createTailer().toStart();
        }

        @Override
        public void send(MemorySegment message, int length) {
            if (length < 0 || length > MAX_LENGTH) {
                throw new IllegalArgumentException("length=" + length + " exceeds MAX_LENGTH=" + MAX_LENGTH);
            }
            MemorySegment.copy(message, 0, outBytes, 0, length);
            outMessage.readPositionRemaining(0, length);
            appender.writeBytes(outMessage);
        }

        @Override
        public int receive(MemorySegment buffer) {
            inMessage.clear();
            spinner.reset();
            while (!tailer.readBytes(inMessage)) {
                spinner.idle("nothing in the Chronicle queue");
            }
            int length = (int) inMessage.readRemaining();
            if (length > buffer.byteSize()) {
                throw new IllegalStateException("message length=" + length + " does not fit buffer=" + buffer.byteSize());
            }
            MemorySegment.copy(inBytes, 0, buffer, 0, length);
            return length;
        }

        @Override
        public void close() {
            tailer.close();
            appender.close();
            in.close();
            out.close();
        }
    }
}
