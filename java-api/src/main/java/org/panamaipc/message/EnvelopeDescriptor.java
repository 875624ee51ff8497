package org.panamaipc.message;

/**
 * The envelope a {@link Mailbox} or {@link Port} writes before each value: what the transport's
 * own header lacks. A ring mailbox created {@link MailboxOptions#withoutEnvelope() without the
 * envelope} ({@link MailboxDescriptor#FLAG_BARE}) and a {@link TypedSender#withoutEnvelope} sender
 * write the value alone instead. Mirrored by {@code struct pipc_envelope} and {@code struct pipc_queue_envelope}
 * in {@code native/include/pipc_message.h}.
 *
 * <p>In a ring record the payload starts with the 24-byte envelope; the ring's record header
 * already holds the type, the sending endpoint, the length and the sequence:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic "PMS1" (32)                         |  0
 *  +---------------------------------------------------------------+
 *  |                  source pid: the sender (32)                  |  4
 *  +---------------------------------------------------------------+
 *  |           send time, CLOCK_MONOTONIC nanoseconds (64)         |  8
 *  +---------------------------------------------------------------+
 *  |    reply-to: registry sequence (32) | registry entry (32)     | 16
 *  +---------------------------------------------------------------+
 *  |                        the value ...                          | 24
 *  +---------------------------------------------------------------+
 * </pre>
 * A message of a POSIX message queue has no header besides its priority, so there the envelope
 * goes on with what the ring's header would have said (40 bytes):
 * <pre>
 *  +---------------------------------------------------------------+
 *  |               the 24 bytes above                              |  0
 *  +---------------------------------------------------------------+
 *  |                       message type (32)                       | 24
 *  +---------------------------------------------------------------+
 *  |     source: the sending handle's number in its process (32)   | 28
 *  +---------------------------------------------------------------+
 *  |          sequence number, per sending handle (64)             | 32
 *  +---------------------------------------------------------------+
 *  |                        the value ...                          | 40
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The send time is read from {@code CLOCK_MONOTONIC}, the clock every process of the machine
 * shares, so a receiver can subtract it from its own reading of that clock
 * ({@link Header#ageNanos()}). The reply-to word is {@link #NO_REPLY} unless the sender is a
 * named endpoint ({@link org.panamaipc.endpoint.Endpoint}), whose registry entry and registration
 * sequence it then holds. The magic lets a receiver refuse a record that some other writer put in
 * the ring without an envelope.
 *
 * <p><b>Forwarded records.</b> A message a bridge carried from another host keeps the header it
 * had there ({@link ForwardingSender}): in a ring record the envelope then takes the queue
 * envelope's 40 bytes, with {@link #FORWARDED_MAGIC} in place of {@link #MAGIC}, and its type,
 * source and sequence (the original sender's) stand for those of the ring's record header. A
 * mailbox's ring is made for records of that longer envelope and the longest value (its
 * {@code maxMessageLength} and capacity in bytes count it), so that forwarded values may be as long,
 * and as many, as local ones. A queue message needs no second layout: its envelope holds those
 * fields already.
 */
public final class EnvelopeDescriptor {

    /** "PMS1" read as a little-endian int: an envelope of layout 1. */
    public static final int MAGIC = 0x31534D50;
    /**
     * "PMF1" read as a little-endian int: a ring record whose envelope is laid out as a queue
     * envelope ({@link #FORWARDED_LENGTH} bytes) and names the original sender (see "Forwarded records").
     */
    public static final int FORWARDED_MAGIC = 0x31464D50;
    /** The reply-to word of a message whose sender has no named endpoint. */
    public static final long NO_REPLY = -1;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the sender's pid. */
    public static final int SOURCE_PID_OFFSET = MAGIC_OFFSET + Integer.BYTES;
    /** Offset of the send time. */
    public static final int SEND_TIME_OFFSET = SOURCE_PID_OFFSET + Integer.BYTES;
    /** Offset of the reply-to address. */
    public static final int REPLY_TO_OFFSET = SEND_TIME_OFFSET + Long.BYTES;
    /** Bytes of the envelope in a ring record: where the value starts. */
    public static final int LENGTH = REPLY_TO_OFFSET + Long.BYTES;

    /** Offset of the message type in a queue envelope. */
    public static final int QUEUE_TYPE_OFFSET = LENGTH;
    /** Offset of the sending handle's number in a queue envelope. */
    public static final int QUEUE_SOURCE_OFFSET = QUEUE_TYPE_OFFSET + Integer.BYTES;
    /** Offset of the sequence number in a queue envelope. */
    public static final int QUEUE_SEQUENCE_OFFSET = QUEUE_SOURCE_OFFSET + Integer.BYTES;
    /** Bytes of the envelope in a queue message: where the value starts. */
    public static final int QUEUE_LENGTH = QUEUE_SEQUENCE_OFFSET + Long.BYTES;
    /** Bytes of the envelope of a forwarded ring record ({@link #FORWARDED_MAGIC}): the queue envelope's. */
    public static final int FORWARDED_LENGTH = QUEUE_LENGTH;

    private EnvelopeDescriptor() {
    }

    /** {@return the reply-to address of registry entry {@code entry} in its registration {@code sequence}} */
    public static long replyTo(int entry, int sequence) {
        return ((long) sequence << 32) | (entry & 0xFFFF_FFFFL);
    }

    /** {@return the registry entry of a reply-to address} */
    public static int replyEntry(long replyTo) {
        return (int) replyTo;
    }

    /** {@return the registration sequence of a reply-to address} */
    public static int replySequence(long replyTo) {
        return (int) (replyTo >>> 32);
    }
}
