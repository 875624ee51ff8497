package org.panamaipc.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The checks and the bookkeeping every receive into the caller's memory shares (a ring's receiver,
 * a subscriber, a rendezvous receiver, an unbounded link's receiver), so that each family refuses
 * a bad destination with the same exception and message.
 */
public final class Destinations {

    private Destinations() {
    }

    /**
     * Checks where in {@code destination} a receive writes.
     *
     * @throws IllegalArgumentException if {@code offset} is negative
     * @throws IndexOutOfBoundsException if {@code offset} is past the end of {@code destination}
     */
    public static void checkOffset(MemorySegment destination, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset=" + offset + " must not be negative");
        }
        if (offset > destination.byteSize()) {
            throw new IndexOutOfBoundsException("offset=" + offset + " is outside the destination of "
                    + destination.byteSize() + " bytes");
        }
    }

    /**
     * {@return the buffer's remaining bytes as a segment}
     *
     * @throws IllegalArgumentException if the buffer is read-only
     */
    public static MemorySegment segmentOf(ByteBuffer destination) {
        Objects.requireNonNull(destination, "destination");
        if (destination.isReadOnly()) {
            throw new IllegalArgumentException("destination is a read-only buffer");
        }
        return MemorySegment.ofBuffer(destination);
    }

    /** Moves the buffer's position past what was received, if anything was: {@return {@code length}} */
    public static int advanced(ByteBuffer destination, int length) {
        if (length > 0) {
            destination.position(destination.position() + length);
        }
        return length;
    }
}
