package org.panamaipc.broadcast;

import org.panamaipc.internal.Lifecycle;

import java.util.Objects;

/**
 * How to create a broadcast: its slow-subscriber policy, the number of messages the ring holds (a
 * power of two), the longest message, the number of subscriber slots, and the permission bits.
 *
 * {@snippet lang=java :
 * BroadcastOptions options = BroadcastOptions.of(SlowSubscriberPolicy.LOSSY)
 *         .capacity(4096)           // the last 4096 messages stay readable
 *         .maxMessageLength(256)
 *         .subscriberSlots(32);
 * }
 *
 * <p>Every record slot holds {@code maxMessageLength} bytes of payload (rounded up, with a 16-byte
 * header, to a multiple of 64), whatever the length of the message in it, so the ring takes
 * {@code capacity * slotLength} bytes: choose {@code maxMessageLength} close to the longest message.
 *
 * @param policy           what a subscriber a whole ring behind does to the publisher
 * @param capacity         how many messages the ring holds, a power of two from 2 to 2^30
 * @param maxMessageLength the longest payload, from 0 to 16 MiB
 * @param subscriberSlots  how many subscribers may be joined at once, 1 to 1024
 * @param mode             permission bits, {@code 0600} by default; must give the owner read and write
 */
public record BroadcastOptions(SlowSubscriberPolicy policy, long capacity, int maxMessageLength,
                               int subscriberSlots, int mode) {

    /** The default capacity: 1024 messages. */
    public static final long DEFAULT_CAPACITY = 1024;
    /** The default longest message: 1 KiB less the record header, so a record slot is 1 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1024 - BroadcastDescriptor.RECORD_HEADER_LENGTH;
    /** The default number of subscriber slots. */
    public static final int DEFAULT_SUBSCRIBER_SLOTS = 64;

    /** Checks the options. */
    public BroadcastOptions {
        Objects.requireNonNull(policy, "policy");
        String problem = BroadcastDescriptor.checkCapacity(capacity);
        if (problem != null) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two from "
                    + BroadcastDescriptor.MIN_CAPACITY + " to 2^30");
        }
        if (BroadcastDescriptor.checkMaxMessageLength(maxMessageLength) != null) {
            throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " must be from 0 to "
                    + BroadcastDescriptor.MAX_MESSAGE_LENGTH);
        }
        if (BroadcastDescriptor.checkSlots(subscriberSlots) != null) {
            throw new IllegalArgumentException("subscriberSlots=" + subscriberSlots + " must be from 1 to "
                    + BroadcastDescriptor.MAX_SUBSCRIBER_SLOTS);
        }
        Lifecycle.checkWritableMode(mode, "broadcast");
    }

    /** {@return the default options with {@code policy}} */
    public static BroadcastOptions of(SlowSubscriberPolicy policy) {
        return new BroadcastOptions(policy, DEFAULT_CAPACITY, DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_SUBSCRIBER_SLOTS,
                Lifecycle.DEFAULT_MODE);
    }

    /** {@return these options with {@code capacity} messages} */
    public BroadcastOptions capacity(long capacity) {
        return new BroadcastOptions(policy, capacity, maxMessageLength, subscriberSlots, mode);
    }

    /** {@return these options with {@code maxMessageLength}} */
    public BroadcastOptions maxMessageLength(int maxMessageLength) {
        return new BroadcastOptions(policy, capacity, maxMessageLength, subscriberSlots, mode);
    }

    /** {@return these options with {@code subscriberSlots}} */
    public BroadcastOptions subscriberSlots(int subscriberSlots) {
        return new BroadcastOptions(policy, capacity, maxMessageLength, subscriberSlots, mode);
    }

    /** {@return these options with permission bits {@code mode}} */
    public BroadcastOptions mode(int mode) {
        return new BroadcastOptions(policy, capacity, maxMessageLength, subscriberSlots, mode);
    }

    /** {@return the bytes of shared memory a broadcast with these options takes, its header included} */
    public long memorySize() {
        return org.panamaipc.shm.SegmentHeaderDescriptor.HEADER_SIZE
                + BroadcastDescriptor.bodySize(capacity, maxMessageLength, subscriberSlots);
    }
}
