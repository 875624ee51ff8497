package org.panamaipc.pipe;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The native memory a read or write goes through when the caller's buffer is on the heap: one
 * buffer per thread, allocated on first use, so steady reading and writing allocates nothing.
 * Direct buffers are read and written in place.
 */
final class Scratch {

    /** The most one call moves through the scratch buffer. */
    static final int SIZE = 64 * 1024;

    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SIZE));

    private Scratch() {
    }

    /** {@return native memory for up to {@code length} bytes of {@code buffer} at its position: the buffer's own if direct} */
    static MemorySegment of(ByteBuffer buffer, int length) {
        if (buffer.isDirect()) {
            return MemorySegment.ofBuffer(buffer).asSlice(0, length);
        }
        return BUFFER.get().asSlice(0, length);
    }
}
