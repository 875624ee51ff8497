package org.panamaipc.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.codec.CodecRecords.Order;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In steady state, a stream of records costs no allocation on either side: encoding a record,
 * writing one field by field, and reading its fields in place. Measured with the JVM's per-thread
 * allocation counter over many messages after a warm-up, the codec and fields held in instance
 * fields as a transport holds them (not constants the JIT could fold). The bound allows a few
 * stray objects of the JVM's own, not one per message; decoding, which creates the record, shows
 * that the measurement sees allocation.
 */
@Timeout(120)
class RecordCodecAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;
    /** Far below one object (16 bytes at least) per message. */
    private static final long ALLOWED_BYTES = 4096;
    private static final int ROUNDS = 10;

    private final RecordCodec<Order> codec = Codec.ofRecord(Order.class);
    private final Codec<Order> asCodec = codec;
    private final RecordField id = codec.field("id");
    private final RecordField symbol = codec.field("symbol");
    private final RecordField levels = codec.field("levels");
    private final RecordField bid = codec.field("quote.bid");
    private final RecordField flags = codec.field("flags");
    private final RecordField tail = codec.field("tail");
    private final Order order = CodecRecords.javaOrder();
    private long sink;

    /** {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes}, through reflection (see MessageQueueAllocationTest). */
    private static long allocatedBytes() {
        try {
            Object threads = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean").invoke(null);
            Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes");
            return (long) allocated.invoke(threads);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JVM does not count allocated bytes per thread", e);
        }
    }

    /** {@return the fewest bytes one measured round of {@link #MEASURED} messages allocated} */
    private static long allocatedBy(IntConsumer message) {
        for (int i = 0; i < WARM_UP; i++) {
            message.accept(i);
        }
        allocatedBytes();
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && fewest > ALLOWED_BYTES; round++) {
            long before = allocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                message.accept(i);
            }
            fewest = Math.min(fewest, allocatedBytes() - before);
        }
        return fewest;
    }

    /** Reads some fields of each kind in place, as a receive handler would. */
    private long read(MemorySegment segment, long offset) {
        long sum = id.getLong(segment, offset) + (long) bid.getDouble(segment, offset) + tail.getShort(segment, offset);
        for (int i = 0; i < levels.length(); i++) {
            sum += levels.getInt(segment, offset, i);
        }
        sum += flags.getBoolean(segment, offset, 2) ? 1 : 0;
        sum += symbol.stringLength(segment, offset);
        sum += symbol.stringEquals(segment, offset, "Gr\u00fc\u00dfe \u20ac") ? 1 : 0;
        return sum;
    }

    @Test
    void shouldAllocateNothingToEncodeARecordAndReadItsFieldsInPlace() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(64 * codec.byteSize());
            long bytes = allocatedBy(i -> {
                long offset = (i & 63) * codec.byteSize();
                asCodec.encode(order, ring, offset);
                sink += read(ring, offset);
            });
            System.out.printf("bytes allocated over %d encodes and in-place reads: %d%n", MEASURED, bytes);
            assertTrue(bytes < ALLOWED_BYTES, "encode + read: " + bytes + " bytes");
            assertEquals(order, codec.decode(ring, 5 * codec.byteSize()));
        }
    }

    @Test
    void shouldAllocateNothingToWriteARecordFieldByField() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(64 * codec.byteSize());
            long bytes = allocatedBy(i -> {
                long offset = (i & 63) * codec.byteSize();
                id.setLong(ring, offset, i);
                symbol.setString(ring, offset, "Gr\u00fc\u00dfe \u20ac");
                for (int k = 0; k < levels.length(); k++) {
                    levels.setInt(ring, offset, k, i + k);
                }
                bid.setDouble(ring, offset, i * 0.5);
                flags.setBoolean(ring, offset, 2, (i & 1) == 0);
                sink += read(ring, offset);
            });
            System.out.printf("bytes allocated over %d field-by-field writes and reads: %d%n", MEASURED, bytes);
            assertTrue(bytes < ALLOWED_BYTES, "set + read: " + bytes + " bytes");
        }
    }

    @Test
    void shouldSeeTheAllocationOfDecoding() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(codec.byteSize());
            codec.encode(order, segment, 0);
            long bytes = allocatedBy(i -> sink += asCodec.decode(segment).id());
            System.out.printf("bytes allocated over %d decodes: %d%n", MEASURED, bytes);
            // the record, its nested records, eight arrays and a string: far more than 16 bytes each
            assertTrue(bytes > 16L * MEASURED, "decode: " + bytes + " bytes");
        }
    }
}
