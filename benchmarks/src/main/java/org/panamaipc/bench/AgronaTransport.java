package org.panamaipc.bench;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * What a user of Agrona would write: two {@link OneToOneRingBuffer}s (one each way), each over a
 * file in {@code /dev/shm} mapped as a {@code MappedByteBuffer} and wrapped in an
 * {@link UnsafeBuffer}. Sending is {@code write} retried while the ring is full; receiving is
 * {@code read(handler, 1)} in a busy-spin loop with {@link Thread#onSpinWait()}, the handler copying
 * the message into the caller's segment. Agrona's defaults are kept (bounds checks on).
 */
public final class AgronaTransport implements Transport {

    /** The ring's data capacity, as the panama-ipc ring channels of the harness have. */
    static final int CAPACITY = 1 << 20;
    private static final int MESSAGE_TYPE = 1;

    @Override
    public String name() {
        return "agrona";
    }

    /** Agrona 2 reaches {@code jdk.internal.misc.Unsafe}; on JDK 25 that needs an export. */
    @Override
    public List<String> jvmFlags() {
        return List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    }

    private static Path toPong(String id) {
        return MappedFiles.path(id, "agrona-a");
    }

    private static Path toPing(String id) {
        return MappedFiles.path(id, "agrona-b");
    }

    /** Creates both files, zero-filled: all zeros is an empty Agrona ring (head = tail = 0). */
    @Override
    public void setUp(String id) throws Exception {
        MappedFiles.create(toPong(id), CAPACITY + RingBufferDescriptor.TRAILER_LENGTH);
        MappedFiles.create(toPing(id), CAPACITY + RingBufferDescriptor.TRAILER_LENGTH);
    }

    @Override
    public void tearDown(String id) {
        MappedFiles.deleteQuietly(toPong(id));
        MappedFiles.deleteQuietly(toPing(id));
    }

    @Override
    public Side open(String id, boolean ping) throws Exception {
        RingBuffer out = new OneToOneRingBuffer(new UnsafeBuffer(MappedFiles.map(ping ? toPong(id) : toPing(id))));
        RingBuffer in = new OneToOneRingBuffer(new UnsafeBuffer(MappedFiles.map(ping ? toPing(id) : toPong(id))));
        return new AgronaSide(out, in);
    }

    private static final class AgronaSide implements Side, MessageHandler {
        private final RingBuffer out;
        private final RingBuffer in;
        private final UnsafeBuffer source = new UnsafeBuffer(new byte[0]);
        private final UnsafeBuffer target = new UnsafeBuffer(new byte[0]);
        private final Spinner spinner = new Spinner();
        private int received;

        AgronaSide(RingBuffer out, RingBuffer in) {
            this.out = out;
            this.in = in;
        }

        @Override
        public void send(MemorySegment message, int length) {
            source.wrap(nativeAddress(message, length), length);
            spinner.reset();
            while (!out.write(MESSAGE_TYPE, source, 0, length)) {
                spinner.idle("no room in the Agrona ring");
            }
        }

        @Override
        public int receive(MemorySegment buffer) {
            target.wrap(nativeAddress(buffer, 0), (int) Math.min(buffer.byteSize(), Integer.MAX_VALUE));
            spinner.reset();
            while (in.read(this, 1) == 0) {
                spinner.idle("nothing in the Agrona ring");
            }
            return received;
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            target.putBytes(0, buffer, index, length);
            received = length;
        }

        private static long nativeAddress(MemorySegment segment, int length) {
            if (!segment.isNative() || length > segment.byteSize()) {
                throw new IllegalArgumentException("need a native segment of at least length=" + length + ": " + segment);
            }
            return segment.address();
        }

        @Override
        public void close() {
            // the mappings go with the buffers
        }
    }
}
