package org.panamaipc.bridge;

import org.panamaipc.codec.Codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The codec a bridge opens mailboxes with: a value is the bytes of a segment as they are, so an
 * encoding read on one host is written unchanged on the other, whatever codec the applications
 * use. It tells its size before encoding, so a send claims exactly that much and copies once.
 */
final class SegmentCodec implements Codec<MemorySegment> {

    static final SegmentCodec INSTANCE = new SegmentCodec();

    private SegmentCodec() {
    }

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
        return "bytes as they are";
    }
}
