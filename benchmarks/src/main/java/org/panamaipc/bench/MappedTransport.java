package org.panamaipc.bench;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The simplest shared memory a user writes by hand: a file in {@code /dev/shm} per direction,
 * mapped as a {@code MappedByteBuffer}, holding a small ring of fixed-size slots, one message per
 * slot, single producer and single consumer, busy spin on both sides.
 *
 * <pre>
 *   0        consumed: the sequence of the last message the reader took (its own 128 bytes)
 *   128      slot 0: sequence (8) | length (4) | unused (4) | payload (MAX_LENGTH)
 *   128+S    slot 1 ...                                        S = SLOT_SIZE, a multiple of 64
 * </pre>
 *
 * Message {@code n} (from 1) goes into slot {@code (n - 1) % slots}. The writer waits until
 * {@code consumed >= n - slots} (re-reading {@code consumed} only when its cached value says the
 * ring is full), writes length and payload, then release-stores {@code n} into the slot's
 * sequence. The reader spins on an acquire load of that sequence until it equals {@code n}, copies
 * the payload out, and release-stores {@code n} into {@code consumed}. The sequence and
 * {@code consumed} go through a {@link MethodHandles#byteBufferViewVarHandle} of the mapped buffer;
 * the payload is copied through a {@code MemorySegment} view of the same buffer, made once.
 * With one slot it is the one-message-in-flight hand-off.
 */
public final class MappedTransport implements Transport {

    /** The largest message; a slot holds its header and this many bytes. */
    static final int MAX_LENGTH = 4096;
    /** Slots per direction when the spec does not say. */
    static final int DEFAULT_SLOTS = 256;

    private static final int CONSUMED_OFFSET = 0;
    private static final int SLOTS_OFFSET = 128;
    private static final int SLOT_SEQUENCE_OFFSET = 0;
    private static final int SLOT_LENGTH_OFFSET = 8;
    private static final int SLOT_PAYLOAD_OFFSET = 16;
    private static final int SLOT_SIZE = (SLOT_PAYLOAD_OFFSET + MAX_LENGTH + 63) & ~63;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final int slots;

    /** @param slots slots per direction, at least 1 */
    public MappedTransport(int slots) {
        if (slots < 1 || (long) slots * SLOT_SIZE > Integer.MAX_VALUE - SLOTS_OFFSET) {
            throw new IllegalArgumentException("slots=" + slots);
        }
        this.slots = slots;
    }

    @Override
    public String name() {
        return "mapped/" + slots;
    }

    private static Path toPong(String id) {
        return MappedFiles.path(id, "mapped-a");
    }

    private static Path toPing(String id) {
        return MappedFiles.path(id, "mapped-b");
    }

    @Override
    public void setUp(String id) throws Exception {
        MappedFiles.create(toPong(id), SLOTS_OFFSET + (long) slots * SLOT_SIZE);
        MappedFiles.create(toPing(id), SLOTS_OFFSET + (long) slots * SLOT_SIZE);
    }

    @Override
    public void tearDown(String id) {
        MappedFiles.deleteQuietly(toPong(id));
        MappedFiles.deleteQuietly(toPing(id));
    }

    @Override
    public Side open(String id, boolean ping) throws Exception {
        return new MappedSide(MappedFiles.map(ping ? toPong(id) : toPing(id)),
                MappedFiles.map(ping ? toPing(id) : toPong(id)), slots);
    }

    private static final class MappedSide implements Side {
        private final ByteBuffer out;
        private final ByteBuffer in;
        private final MemorySegment outBytes;
        private final MemorySegment inBytes;
        private final int slots;
        private final Spinner spinner = new Spinner();
        private long sent;
        private long consumedCache;
        private long received;

        MappedSide(ByteBuffer out, ByteBuffer in, int slots) {
            this.out = out.order(ByteOrder.nativeOrder());
            this.in = in.order(ByteOrder.nativeOrder());
            this.outBytes = MemorySegment.ofBuffer(out);
            this.inBytes = MemorySegment.ofBuffer(in);
            this.slots = slots;
        }

        private int slot(long sequence) {
            return SLOTS_OFFSET + (int) ((sequence - 1) % slots) * SLOT_SIZE;
        }

        @Override
        public void send(MemorySegment message, int length) {
            if (length < 0 || length > MAX_LENGTH) {
                throw new IllegalArgumentException("length=" + length + " exceeds MAX_LENGTH=" + MAX_LENGTH);
            }
            long n = sent + 1;
            if (consumedCache < n - slots) {
                spinner.reset();
                while ((consumedCache = (long) LONG.getAcquire(out, CONSUMED_OFFSET)) < n - slots) {
                    spinner.idle("no free slot in the mapped file");
                }
            }
            int slot = slot(n);
            out.putInt(slot + SLOT_LENGTH_OFFSET, length);
            MemorySegment.copy(message, 0, outBytes, slot + SLOT_PAYLOAD_OFFSET, length);
            LONG.setRelease(out, slot + SLOT_SEQUENCE_OFFSET, n);
            sent = n;
        }

        @Override
        public int receive(MemorySegment buffer) {
            long n = received + 1;
            int slot = slot(n);
            spinner.reset();
            while ((long) LONG.getAcquire(in, slot + SLOT_SEQUENCE_OFFSET) != n) {
                spinner.idle("nothing in the mapped file");
            }
            int length = in.getInt(slot + SLOT_LENGTH_OFFSET);
            if (length < 0 || length > MAX_LENGTH || length > buffer.byteSize()) {
                throw new IllegalStateException("message " + n + " has length=" + length);
            }
            MemorySegment.copy(inBytes, slot + SLOT_PAYLOAD_OFFSET, buffer, 0, length);
            LONG.setRelease(in, CONSUMED_OFFSET, n);
            received = n;
            return length;
        }

        @Override
        public void close() {
            // the mappings go with the buffers
        }
    }
}
