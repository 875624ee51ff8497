package org.panamaipc.rendezvous;

import org.panamaipc.internal.Lifecycle;

/**
 * How to create a rendezvous: the longest message, how many senders and receivers may be attached
 * at once, and the permission bits.
 *
 * {@snippet lang=java :
 * RendezvousOptions options = RendezvousOptions.of(512)   // messages of up to 512 bytes
 *         .senderSlots(8)
 *         .receiverSlots(4);
 * }
 *
 * <p>Each receiver slot holds one message of up to {@code maxMessageLength} bytes (a sender writes
 * its message there for the receiver to take), so the segment takes about
 * {@code receiverSlots * (128 + maxMessageLength)} bytes and 128 per sender slot.
 *
 * @param maxMessageLength the longest payload, from 0 to 16 MiB
 * @param senderSlots      how many senders may be attached at once, 1 to 1024
 * @param receiverSlots    how many receivers may be attached at once, 1 to 1024
 * @param mode             permission bits, {@code 0600} by default; must give the owner read and write
 */
public record RendezvousOptions(int maxMessageLength, int senderSlots, int receiverSlots, int mode) {

    /** The default longest message: 4 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 4096;
    /** The default number of slots of each kind. */
    public static final int DEFAULT_SLOTS = 16;

    /** Checks the options. */
    public RendezvousOptions {
        if (RendezvousDescriptor.checkMaxMessageLength(maxMessageLength) != null) {
            throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " must be from 0 to "
                    + RendezvousDescriptor.MAX_MESSAGE_LENGTH);
        }
        if (RendezvousDescriptor.checkSlots(senderSlots, "sender") != null) {
            throw new IllegalArgumentException("senderSlots=" + senderSlots + " must be from 1 to "
                    + RendezvousDescriptor.MAX_SLOTS);
        }
        if (RendezvousDescriptor.checkSlots(receiverSlots, "receiver") != null) {
            throw new IllegalArgumentException("receiverSlots=" + receiverSlots + " must be from 1 to "
                    + RendezvousDescriptor.MAX_SLOTS);
        }
        Lifecycle.checkWritableMode(mode, "rendezvous");
    }

    /** {@return the default options: messages of up to 4 KiB, 16 senders, 16 receivers, mode 0600} */
    public static RendezvousOptions defaults() {
        return of(DEFAULT_MAX_MESSAGE_LENGTH);
    }

    /** {@return the default options with messages of up to {@code maxMessageLength} bytes} */
    public static RendezvousOptions of(int maxMessageLength) {
        return new RendezvousOptions(maxMessageLength, DEFAULT_SLOTS, DEFAULT_SLOTS, Lifecycle.DEFAULT_MODE);
    }

    /** {@return these options with {@code maxMessageLength}} */
    public RendezvousOptions maxMessageLength(int maxMessageLength) {
        return new RendezvousOptions(maxMessageLength, senderSlots, receiverSlots, mode);
    }

    /** {@return these options with {@code senderSlots}} */
    public RendezvousOptions senderSlots(int senderSlots) {
        return new RendezvousOptions(maxMessageLength, senderSlots, receiverSlots, mode);
    }

    /** {@return these options with {@code receiverSlots}} */
    public RendezvousOptions receiverSlots(int receiverSlots) {
        return new RendezvousOptions(maxMessageLength, senderSlots, receiverSlots, mode);
    }

    /** {@return these options with permission bits {@code mode}} */
    public RendezvousOptions mode(int mode) {
        return new RendezvousOptions(maxMessageLength, senderSlots, receiverSlots, mode);
    }
}
