package org.panamaipc.unbounded;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RecordDescriptor;
import org.panamaipc.internal.Lifecycle;

/**
 * How to create an unbounded link: the ring's capacity, the longest message, the size of each
 * spill segment, the memory cap on the spill, and the permission bits.
 *
 * {@snippet lang=java :
 * UnboundedOptions options = UnboundedOptions.of(4096)   // messages of up to 4 KiB
 *         .ringCapacity(256 * 1024)                      // what the ring holds before anything spills
 *         .spillSegmentSize(4 << 20)                     // spill in segments of 4 MiB
 *         .memoryCap(1L << 30);                          // at most 1 GiB of spill segments at once
 * }
 *
 * @param ringCapacity     bytes of the ring, a power of two from 1 KiB; the fast path
 * @param maxMessageLength the longest payload: at most half the ring less 16 bytes, and at most 16 MiB
 * @param spillSegmentSize bytes of each spill segment, header included, from 4 KiB to 1 GiB; must
 *                         hold one message of {@code maxMessageLength}
 * @param memoryCap        the most bytes of spill segments that may exist at once; at least one segment
 * @param mode             permission bits of the link, its ring and its spill segments, {@code 0600}
 *                         by default; must give the owner read and write
 */
public record UnboundedOptions(long ringCapacity, int maxMessageLength, long spillSegmentSize, long memoryCap,
                               int mode) {

    /** The default ring: 64 KiB. */
    public static final long DEFAULT_RING_CAPACITY = 64 * 1024;
    /** The default longest message: 4 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 4096;
    /** The default spill segment: 1 MiB. */
    public static final long DEFAULT_SPILL_SEGMENT_SIZE = 1 << 20;
    /** The default memory cap: 256 MiB of spill segments. */
    public static final long DEFAULT_MEMORY_CAP = 256L << 20;

    /** Checks the options. */
    public UnboundedOptions {
        if (ringCapacity < ChannelOptions.MIN_CAPACITY || ringCapacity > (1L << 40) || Long.bitCount(ringCapacity) != 1) {
            throw new IllegalArgumentException("ringCapacity=" + ringCapacity + " must be a power of two from "
                    + ChannelOptions.MIN_CAPACITY + " to 2^40");
        }
        long largest = Math.min(ringCapacity / 2 - RecordDescriptor.HEADER_LENGTH, UnboundedDescriptor.MAX_MESSAGE_LENGTH);
        if (maxMessageLength < 0 || maxMessageLength > largest) {
            throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " must be from 0 to " + largest
                    + " for ringCapacity=" + ringCapacity);
        }
        if (spillSegmentSize < UnboundedDescriptor.MIN_SPILL_SEGMENT_SIZE
                || spillSegmentSize > UnboundedDescriptor.MAX_SPILL_SEGMENT_SIZE
                || UnboundedDescriptor.recordLength(maxMessageLength) > UnboundedDescriptor.recordsCapacity(spillSegmentSize)) {
            throw new IllegalArgumentException("spillSegmentSize=" + spillSegmentSize + " must be from "
                    + UnboundedDescriptor.MIN_SPILL_SEGMENT_SIZE + " to " + UnboundedDescriptor.MAX_SPILL_SEGMENT_SIZE
                    + " and hold a message of maxMessageLength=" + maxMessageLength);
        }
        if (memoryCap < spillSegmentSize) {
            throw new IllegalArgumentException("memoryCap=" + memoryCap + " must be at least spillSegmentSize="
                    + spillSegmentSize);
        }
        Lifecycle.checkWritableMode(mode, "unbounded link");
    }

    /** {@return the default options: a 64 KiB ring, messages of up to 4 KiB, 1 MiB spill segments, a 256 MiB cap, mode 0600} */
    public static UnboundedOptions defaults() {
        return of(DEFAULT_MAX_MESSAGE_LENGTH);
    }

    /** {@return the default options with messages of up to {@code maxMessageLength} bytes} */
    public static UnboundedOptions of(int maxMessageLength) {
        return new UnboundedOptions(DEFAULT_RING_CAPACITY, maxMessageLength, DEFAULT_SPILL_SEGMENT_SIZE,
                DEFAULT_MEMORY_CAP, Lifecycle.DEFAULT_MODE);
    }

    /** {@return these options with a ring of {@code ringCapacity} bytes} */
    public UnboundedOptions ringCapacity(long ringCapacity) {
        return new UnboundedOptions(ringCapacity, maxMessageLength, spillSegmentSize, memoryCap, mode);
    }

    /** {@return these options with {@code maxMessageLength}} */
    public UnboundedOptions maxMessageLength(int maxMessageLength) {
        return new UnboundedOptions(ringCapacity, maxMessageLength, spillSegmentSize, memoryCap, mode);
    }

    /** {@return these options with spill segments of {@code spillSegmentSize} bytes} */
    public UnboundedOptions spillSegmentSize(long spillSegmentSize) {
        return new UnboundedOptions(ringCapacity, maxMessageLength, spillSegmentSize, memoryCap, mode);
    }

    /** {@return these options with a cap of {@code memoryCap} bytes on the spill segments} */
    public UnboundedOptions memoryCap(long memoryCap) {
        return new UnboundedOptions(ringCapacity, maxMessageLength, spillSegmentSize, memoryCap, mode);
    }

    /** {@return these options with permission bits {@code mode}} */
    public UnboundedOptions mode(int mode) {
        return new UnboundedOptions(ringCapacity, maxMessageLength, spillSegmentSize, memoryCap, mode);
    }

    /** {@return the options of the link's ring} */
    ChannelOptions ringOptions() {
        return ChannelOptions.of(ChannelType.SPSC).capacity(ringCapacity).maxMessageLength(maxMessageLength).mode(mode);
    }
}
