package org.panamaipc.message;

import org.panamaipc.internal.Timeouts;
import org.panamaipc.process.ProcessId;

import java.time.Duration;

/**
 * The transport under a {@link Mailbox} or {@link Port}: sends a value behind its envelope and
 * hands received values, in place, to a {@link RecordHandler}. One implementation per
 * {@link Transport}; the mailbox above adds the decoding forms and the port its owner checks.
 *
 * <p>Timeouts come as the caller's {@link Duration} (so nothing is allocated per call), with two
 * special values: {@link #TRY} ({@code null}) for a try form, and {@link #FOREVER}.
 */
abstract sealed class Link<T> implements AutoCloseable permits RingLink, QueueLink {

    /** The timeout of a try form. */
    static final Duration TRY = null;
    /** The timeout of a form that waits as long as it takes. */
    static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);
    /** The message type of every message a mailbox sends. */
    static final int TYPE = 0;

    static final int PID = ProcessId.current().pid();

    final String name;
    final Values<T> values;
    /** The longest value in bytes, the envelope not counted. */
    final int maxLength;
    final Header header = new Header();
    long replyTo = Header.NO_REPLY;

    Link(String name, Values<T> values, int maxLength) {
        this.name = name;
        this.values = values;
        this.maxLength = maxLength;
    }

    static boolean waits(Duration timeout) {
        return timeout != TRY && Timeouts.toNanos(timeout) > 0;
    }

    /**
     * Sends {@code value} with {@code priority}, waiting as {@code timeout} says. {@return the
     * sequence number, or {@link org.panamaipc.Outcome#FULL}, or {@link org.panamaipc.Outcome#CLOSED}}
     * (also from {@link #FOREVER}: the caller throws)
     */
    abstract long send(T value, int priority, Duration timeout) throws InterruptedException;

    /**
     * Hands up to {@code limit} messages to {@code handler}, waiting for the first as
     * {@code timeout} says. {@return how many ({@code >= 1}), or {@link org.panamaipc.Outcome#EMPTY} if none came}
     * (never {@code CLOSED}: a mailbox's receivers wait through the absence of senders)
     */
    abstract int receive(RecordHandler handler, int limit, Duration timeout) throws InterruptedException;

    /** {@return the transport} */
    abstract Transport transport();

    /** Attaches the receiving end now rather than at the first receive (a port's owner does). */
    abstract void attachReceiver();

    /** Closes this process's ends and the transport object's handle; idempotent. */
    @Override
    public abstract void close();

    void checkValueLength(long length, String action) {
        if (length > maxLength) {
            throw Values.tooLong(action, name, length, maxLength);
        }
    }
}
