package org.panamaipc.message;

import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.internal.Lifecycle;

import java.util.Objects;

/**
 * How to create a {@link Mailbox} or {@link Port}: its transport, how many messages it holds, the
 * longest value, the permission bits, and how this process's handle waits on a ring.
 *
 * {@snippet lang=java :
 * MailboxOptions jobs = MailboxOptions.ring()          // an MPMC ring (a port, or withSingleReceiver(): MPSC)
 *         .capacity(4096)                              // room for at least 4096 of the longest values
 *         .mode(0660);                                 // the group may send and receive too
 * MailboxOptions urgent = MailboxOptions.queue()       // a POSIX message queue: priorities
 *         .capacity(10).maxMessageLength(256);
 * }
 *
 * @param transport        what holds the messages
 * @param capacity         how many values of the longest length it holds at least, positive (a
 *                         ring is rounded up to a power of two bytes, so it may hold more)
 * @param maxMessageLength the longest value's encoding in bytes; 0 means the codec's fixed size
 *                         (a record's), or {@link #DEFAULT_MAX_MESSAGE_LENGTH} for a codec whose
 *                         encodings differ in size
 * @param mode             permission bits, {@code 0600} by default; they must give the owner read
 *                         and write. Whoever may write the objects may send and receive.
 * @param waitStrategy     how this process's senders and receivers wait on a ring; not recorded
 *                         (every process chooses its own when it opens), ignored by a queue
 * @param enveloped        whether each message carries the envelope (the sending pid, the send
 *                         time, the reply address): true unless {@link #withoutEnvelope()} made
 *                         these options. Recorded in the mailbox, so every process that opens it
 *                         sends and receives alike.
 * @param singleReceiver   whether one receiver at a time takes from it (an MPSC ring): false unless
 *                         {@link #withSingleReceiver()} made these options. A port always is so.
 */
public record MailboxOptions(Transport transport, int capacity, int maxMessageLength, int mode,
                             WaitStrategy waitStrategy, boolean enveloped, boolean singleReceiver) {

    /** The capacity of {@link #ring()}: 1024 messages. */
    public static final int DEFAULT_RING_CAPACITY = 1024;
    /** The capacity of {@link #queue()}: 10 messages, Linux's default {@code fs.mqueue.msg_max}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10;
    /** The longest value of a codec whose encodings differ in size, unless given: 1024 bytes. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1024;

    /** Checks the options. */
    public MailboxOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(waitStrategy, "waitStrategy");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be positive");
        }
        if (maxMessageLength < 0) {
            throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " must be 0 (the codec's size) or positive");
        }
        Lifecycle.checkWritableMode(mode, "mailbox");
        if (!enveloped && transport != Transport.RING) {
            throw new IllegalArgumentException("transport=" + transport + " cannot go without the envelope: a message"
                    + " queue's messages have no header besides it; only a ring's mailbox can (its records have one)");
        }
        if (singleReceiver && transport != Transport.RING) {
            throw new IllegalArgumentException("transport=" + transport + " cannot keep to a single receiver: the kernel"
                    + " lets every process that may open a message queue receive from it; only a ring's mailbox can");
        }
    }

    /** Options of a mailbox that any number of receivers may take from: the form of the earlier versions of this record. */
    public MailboxOptions(Transport transport, int capacity, int maxMessageLength, int mode, WaitStrategy waitStrategy,
                          boolean enveloped) {
        this(transport, capacity, maxMessageLength, mode, waitStrategy, enveloped, false);
    }

    /** Options of a mailbox whose messages carry the envelope: the form of the earlier versions of this record. */
    public MailboxOptions(Transport transport, int capacity, int maxMessageLength, int mode, WaitStrategy waitStrategy) {
        this(transport, capacity, maxMessageLength, mode, waitStrategy, true, false);
    }

    /** {@return options for a ring: {@link #DEFAULT_RING_CAPACITY} messages, mode {@code 0600}, blocking waits} */
    public static MailboxOptions ring() {
        return new MailboxOptions(Transport.RING, DEFAULT_RING_CAPACITY, 0, Lifecycle.DEFAULT_MODE, WaitStrategy.blocking());
    }

    /** {@return options for a message queue: {@link #DEFAULT_QUEUE_CAPACITY} messages, mode {@code 0600}} */
    public static MailboxOptions queue() {
        return new MailboxOptions(Transport.QUEUE, DEFAULT_QUEUE_CAPACITY, 0, Lifecycle.DEFAULT_MODE, WaitStrategy.blocking());
    }

    /** {@return these options with {@code capacity} messages} */
    public MailboxOptions capacity(int capacity) {
        return new MailboxOptions(transport, capacity, maxMessageLength, mode, waitStrategy, enveloped, singleReceiver);
    }

    /** {@return these options with values of at most {@code maxMessageLength} bytes} */
    public MailboxOptions maxMessageLength(int maxMessageLength) {
        return new MailboxOptions(transport, capacity, maxMessageLength, mode, waitStrategy, enveloped, singleReceiver);
    }

    /** {@return these options with permission bits {@code mode}, such as {@code 0660}} */
    public MailboxOptions mode(int mode) {
        return new MailboxOptions(transport, capacity, maxMessageLength, mode, waitStrategy, enveloped, singleReceiver);
    }

    /** {@return these options with {@code waitStrategy} for this process's handle} */
    public MailboxOptions waitStrategy(WaitStrategy waitStrategy) {
        return new MailboxOptions(transport, capacity, maxMessageLength, mode, waitStrategy, enveloped, singleReceiver);
    }

    /**
     * {@return these options for a mailbox of bare values, without the envelope} Its messages carry
     * the value alone, so no clock is read when sending and at 32 bytes a message and the ring's
     * record header fill one cache line (when the record starts on one, as in a stream of values of
     * one size), where the envelope makes them two: the fastest mailbox. Versions of panama-ipc
     * before this option do not know the flag that records it: every process using such a mailbox
     * needs one that does (those that know it refuse flags they do not know).
     * Its receivers' {@link Header} then says the ring's type, sending endpoint, length and sequence,
     * and 0 for the sending pid and the send time; it has no reply address, so a named
     * {@link org.panamaipc.endpoint.Endpoint} cannot be answered through it. Only a ring's mailbox
     * or port can go without the envelope.
     *
     * @throws IllegalArgumentException if these options are for a message queue
     */
    public MailboxOptions withoutEnvelope() {
        return new MailboxOptions(transport, capacity, maxMessageLength, mode, waitStrategy, false, singleReceiver);
    }

    /**
     * {@return these options for a mailbox that one receiver at a time takes from} Its ring is MPSC
     * rather than MPMC: any number of senders, one receiver. A receive then reads each message in
     * place in the ring and takes it by moving the head with one store, with no compare-and-set and no copy, where a
     * mailbox of many receivers copies a batch out before its compare-and-set. Whoever receives
     * first holds it: another handle's first receive (in this process or another) is an
     * {@link IllegalStateException} naming the holder, until that handle is closed or its process
     * has died. Recorded in the mailbox (its ring's type), so it holds for every process that opens
     * it. The stand-in a bridge creates for a remote mailbox is one: only the bridge may take from it. A
     * {@link Port} keeps to its owner anyway, so this changes nothing there; a message queue cannot
     * keep to one receiver.
     *
     * @throws IllegalArgumentException if these options are for a message queue
     */
    public MailboxOptions withSingleReceiver() {
        return new MailboxOptions(transport, capacity, maxMessageLength, mode, waitStrategy, enveloped, true);
    }

    /** {@return the longest value for a codec whose encodings are all {@code fixedSize} bytes, or -1 if they differ} */
    int effectiveMaxMessageLength(int fixedSize) {
        if (maxMessageLength > 0) {
            return maxMessageLength;
        }
        return fixedSize >= 0 ? Math.max(1, fixedSize) : DEFAULT_MAX_MESSAGE_LENGTH;
    }
}
