package org.panamaipc.bench;

import org.panamaipc.codec.Codec;
import org.panamaipc.codec.Length;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.codec.RecordField;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The typed messages of the benchmarks: records of the two sizes measured (32 bytes and 1 KiB), a
 * sequence number and a payload, and a codec that sends the harness's bytes as they are.
 */
public final class BenchRecords {

    private BenchRecords() {
    }

    /** 32 bytes: a sequence number and three words. */
    public record Rec32(long sequence, @Length(3) long[] payload) {
    }

    /** 1024 bytes: a sequence number and 127 words. */
    public record Rec1K(long sequence, @Length(127) long[] payload) {
    }

    /** The codec of {@link Rec32}. */
    public static final RecordCodec<Rec32> REC32 = Codec.ofRecord(Rec32.class);
    /** The codec of {@link Rec1K}. */
    public static final RecordCodec<Rec1K> REC1K = Codec.ofRecord(Rec1K.class);

    /** The codec whose encodings are {@code size} bytes: {@link #REC32} for 32 or less, else {@link #REC1K}. */
    public static RecordCodec<? extends Record> codecFor(int size) {
        return size <= 32 ? REC32 : REC1K;
    }

    /** {@return the field of the sequence number, at offset 0 in both records} */
    static RecordField sequenceField(RecordCodec<?> codec) {
        return codec.field("sequence");
    }

    /**
     * The bytes of a segment as they are: what the harness sends through mailboxes, ports and
     * endpoints, so that they carry what the ring beside them carries. Tells the size before
     * encoding, so the value is written straight into the claimed record.
     */
    public static final Codec<MemorySegment> SEGMENTS = new Codec<>() {
        @Override
        public long encode(MemorySegment value, MemorySegment target, long offset) {
            long length = value.byteSize();
            if (length > target.byteSize() - offset) {
                return -length;
            }
            MemorySegment.copy(value, 0, target, offset, length);
            return length;
        }

        @Override
        public long encodedSize(MemorySegment value) {
            return value.byteSize();
        }

        @Override
        public MemorySegment decode(MemorySegment source) {
            return MemorySegment.ofArray(source.toArray(ValueLayout.JAVA_BYTE));
        }

        @Override
        public String toString() {
            return "BenchRecords.SEGMENTS";
        }
    };

    /** Hands out slices of a message, one per length, not one per send. */
    static final class Slices {
        private MemorySegment message;
        private long length = -1;
        private MemorySegment slice;

        MemorySegment of(MemorySegment message, int length) {
            if (message != this.message || length != this.length) {
                this.message = message;
                this.length = length;
                this.slice = message.asSlice(0, length);
            }
            return slice;
        }
    }
}
