package org.panamaipc.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/** Byte arrays, copied as they are: an encoding is the array's bytes. See {@link Codec#bytes()}. */
final class BytesCodec implements Codec<byte[]> {

    static final BytesCodec INSTANCE = new BytesCodec();

    private BytesCodec() {
    }

    @Override
    public long encode(byte[] value, MemorySegment target, long offset) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(target, "target");
        if (value.length > target.byteSize() - offset) {
            return -value.length;
        }
        MemorySegment.copy(value, 0, target, ValueLayout.JAVA_BYTE, offset, value.length);
        return value.length;
    }

    @Override
    public long encodedSize(byte[] value) {
        Objects.requireNonNull(value, "value");
        return value.length;
    }

    @Override
    public byte[] decode(MemorySegment source) {
        Objects.requireNonNull(source, "source");
        return source.toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public String toString() {
        return "Codec.bytes()";
    }
}
