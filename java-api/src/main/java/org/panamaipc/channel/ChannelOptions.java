package org.panamaipc.channel;

import org.panamaipc.internal.Lifecycle;

import java.util.Objects;

/**
 * How to create a ring channel: its type, the ring's capacity in bytes (a power of two), the
 * longest message, the number of endpoint slots, and the permission bits.
 *
 * {@snippet lang=java :
 * ChannelOptions options = ChannelOptions.of(ChannelType.MPSC)
 *         .capacity(1 << 22)        // 4 MiB of records
 *         .maxMessageLength(8192);
 * }
 *
 * @param type             how many senders and receivers it admits
 * @param capacity         bytes of records, a power of two from 1024 to 2^62
 * @param maxMessageLength the longest payload, at most {@code capacity / 2 - 32}
 * @param endpointSlots    how many senders and receivers may be attached at once, in all
 * @param mode             permission bits, {@code 0600} by default; they must give the owner read and
 *                         write ({@code 0600}), which every endpoint needs
 */
public record ChannelOptions(ChannelType type, long capacity, int maxMessageLength, int endpointSlots, int mode) {

    /** The default capacity: 1 MiB. */
    public static final long DEFAULT_CAPACITY = 1 << 20;
    /** The default longest message: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 16;
    /** The default number of endpoint slots. */
    public static final int DEFAULT_ENDPOINT_SLOTS = 16;
    /** The smallest capacity. */
    public static final long MIN_CAPACITY = 1024;

    /** Checks the options. */
    public ChannelOptions {
        Objects.requireNonNull(type, "type");
        if (capacity < MIN_CAPACITY || capacity > (1L << 62) || Long.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two from "
                    + MIN_CAPACITY + " to 2^62");
        }
        long largest = capacity / 2 - RecordDescriptor.HEADER_LENGTH;
        if (maxMessageLength < 0 || maxMessageLength > largest) {
            throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " must be from 0 to "
                    + largest + " (capacity / 2 - " + RecordDescriptor.HEADER_LENGTH + ") for capacity=" + capacity);
        }
        if (endpointSlots < 2 || endpointSlots > ChannelDescriptor.MAX_ENDPOINT_SLOTS) {
            throw new IllegalArgumentException("endpointSlots=" + endpointSlots + " must be from 2 to "
                    + ChannelDescriptor.MAX_ENDPOINT_SLOTS);
        }
        Lifecycle.checkWritableMode(mode, "ring channel");
    }

    /** {@return the default options for a channel of {@code type}} */
    public static ChannelOptions of(ChannelType type) {
        return new ChannelOptions(type, DEFAULT_CAPACITY, DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_ENDPOINT_SLOTS,
                Lifecycle.DEFAULT_MODE);
    }

    /** {@return these options with {@code capacity}; the longest message shrinks to fit if need be} */
    public ChannelOptions capacity(long capacity) {
        long fit = Math.max(0, capacity / 2 - RecordDescriptor.HEADER_LENGTH);
        return new ChannelOptions(type, capacity, (int) Math.min(maxMessageLength, fit), endpointSlots, mode);
    }

    /** {@return these options with {@code maxMessageLength}} */
    public ChannelOptions maxMessageLength(int maxMessageLength) {
        return new ChannelOptions(type, capacity, maxMessageLength, endpointSlots, mode);
    }

    /** {@return these options with {@code endpointSlots}} */
    public ChannelOptions endpointSlots(int endpointSlots) {
        return new ChannelOptions(type, capacity, maxMessageLength, endpointSlots, mode);
    }

    /** {@return these options with permission bits {@code mode}} */
    public ChannelOptions mode(int mode) {
        return new ChannelOptions(type, capacity, maxMessageLength, endpointSlots, mode);
    }
}
