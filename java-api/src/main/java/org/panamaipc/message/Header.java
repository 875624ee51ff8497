package org.panamaipc.message;

/**
 * What a message says besides its value: type, source (which endpoint of which process sent it),
 * length, sequence, priority where the transport has one, and the send time. An instance is a
 * reusable view that each receive overwrites (a handler's argument, or a receiver's
 * {@code lastHeader()}), so reading it allocates nothing; copy what you need to keep.
 *
 * <table class="striped">
 * <caption>Where each field comes from</caption>
 * <thead><tr><th>field</th><th>ring ({@link TypedReceiver}, {@link Mailbox}, {@link Port})</th>
 * <th>message queue ({@link Mailbox}, {@link Port})</th></tr></thead>
 * <tbody>
 * <tr><td>{@link #type()}</td><td>the ring's record header</td><td>the envelope</td></tr>
 * <tr><td>{@link #source()}</td><td>the sender's endpoint id in the ring</td><td>the sending handle's number in its process</td></tr>
 * <tr><td>{@link #sourcePid()}</td><td>the envelope (0 without it)</td><td>the envelope</td></tr>
 * <tr><td>{@link #length()}</td><td>the record's length less the envelope (the whole record without it)</td><td>the message's length less the envelope</td></tr>
 * <tr><td>{@link #sequence()}</td><td>the ring: 1, 2, 3, ... per sender endpoint</td><td>the envelope: 1, 2, 3, ... per sending handle</td></tr>
 * <tr><td>{@link #priority()}</td><td>always 0</td><td>the queue's priority</td></tr>
 * <tr><td>{@link #sendTime()}</td><td>the envelope (0 without it)</td><td>the envelope</td></tr>
 * <tr><td>{@link #replyTo()}</td><td>the envelope; {@link #NO_REPLY} from a {@link TypedSender}</td><td>the envelope</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Together, {@code sourcePid()} and {@code source()} name the sending endpoint; messages of one
 * source arrive in the order of their sequence numbers. A message a bridge carried from another
 * host ({@link ForwardingSender}) keeps the header it was sent with there: its pid is a process of
 * that host, its send time that host's clock, and it has no reply address.
 *
 * <p>On a ring whose messages go without the envelope ({@link TypedSender#withoutEnvelope},
 * {@link MailboxOptions#withoutEnvelope()}) there is neither a pid nor a send time to tell: both
 * are 0, and there is no reply address.
 */
public final class Header {

    /** {@link #replyTo()} of a message whose sender has no named endpoint to reply to. */
    public static final long NO_REPLY = EnvelopeDescriptor.NO_REPLY;

    private int type;
    private int source;
    private int sourcePid;
    private int length;
    private long sequence;
    private int priority;
    private long sendTime;
    private long replyTo = NO_REPLY;

    Header() {
    }

    void set(int type, int source, int sourcePid, int length, long sequence, int priority, long sendTime,
             long replyTo) {
        this.type = type;
        this.source = source;
        this.sourcePid = sourcePid;
        this.length = length;
        this.sequence = sequence;
        this.priority = priority;
        this.sendTime = sendTime;
        this.replyTo = replyTo;
    }

    void copyFrom(Header other) {
        set(other.type, other.source, other.sourcePid, other.length, other.sequence, other.priority,
                other.sendTime, other.replyTo);
    }

    /** {@return the message type the sender gave} */
    public int type() {
        return type;
    }

    /** {@return the sending endpoint: its id in the ring, or its number within its process on a queue} */
    public int source() {
        return source;
    }

    /** {@return the sending process's pid (0 before the first message, and for a message without the envelope)} */
    public int sourcePid() {
        return sourcePid;
    }

    /** {@return the value's length in bytes} */
    public int length() {
        return length;
    }

    /** {@return the sender's sequence number of this message: 1, 2, 3, ... per source} */
    public long sequence() {
        return sequence;
    }

    /** {@return the message's priority on a message queue; 0 on a ring, which has none} */
    public int priority() {
        return priority;
    }

    /**
     * {@return when the message was sent: {@code CLOCK_MONOTONIC} in nanoseconds, the clock every
     * process of this machine shares (see {@link #clockNanos()}); 0 before the first message, and
     * for a message without the envelope}
     */
    public long sendTime() {
        return sendTime;
    }

    /** {@return how long ago the message was sent, in nanoseconds, by {@link #clockNanos()}; 0 without a send time} */
    public long ageNanos() {
        return sendTime == 0 ? 0 : clockNanos() - sendTime;
    }

    /**
     * {@return the address of the sender's named endpoint, for a reply, or {@link #NO_REPLY}} An
     * {@link org.panamaipc.endpoint.Endpoint} replies to it; the value is opaque elsewhere (the
     * registry entry and the registration it names, see {@link EnvelopeDescriptor}).
     */
    public long replyTo() {
        return replyTo;
    }

    /** {@return {@code CLOCK_MONOTONIC} now, in nanoseconds: the clock of {@link #sendTime()}} */
    public static long clockNanos() {
        return MessageClock.nanos();
    }

    @Override
    public String toString() {
        return "Header[type=" + type + ", source=" + source + ", sourcePid=" + sourcePid + ", length=" + length
                + ", sequence=" + sequence + ", priority=" + priority + ", sendTime=" + sendTime
                + (replyTo == NO_REPLY ? "" : ", replyTo=" + Long.toHexString(replyTo)) + "]";
    }
}
