package org.panamaipc.message;

import org.panamaipc.MessageTooLongException;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.mq.MessageQueue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import static org.panamaipc.message.EnvelopeDescriptor.*;

/**
 * Sends encoded values into a {@link Mailbox} or {@link Port} with the header they were first sent
 * with somewhere else: what a bridge does with a message that arrives from another host
 * ({@code org.panamaipc.bridge}). A receiver then sees the original sender in its {@link Header}
 * ({@code lastHeader()}, or a handler's argument; but see the last paragraph): the {@link Header#type() type},
 * {@link Header#source() source}, {@link Header#sourcePid() sourcePid}, {@link Header#sequence()
 * sequence} and {@link Header#sendTime() sendTime} given here, {@link Header#NO_REPLY} as the reply
 * address, and priority 0. Across hosts the pid is a process of the sending host, and the send time
 * that host's {@code CLOCK_MONOTONIC}: {@link Header#ageNanos()} means nothing there.
 *
 * <p>On a ring a forwarded record carries a longer envelope (see {@link EnvelopeDescriptor},
 * "Forwarded records"), which the mailbox's ring is made to hold: a value may be as long as the
 * mailbox's {@code maxMessageLength} ({@link #maxValueLength()}), as on a message queue. A value is
 * the bytes a codec wrote, taken as they are, never decoded.
 *
 * <p>A mailbox without the envelope ({@link MailboxOptions#withoutEnvelope()}) has no room for
 * the original header: its records get the value and the type alone, and its receivers see this
 * sender's ring endpoint and sequence, and 0 for the pid and the send time, as for any message
 * there.
 *
 * <p>Sending has the try form only: a forwarder must not wait on one mailbox while others have
 * work, and keeps what was refused until it goes. It attaches a sending endpoint of its own to a
 * ring; it is used by one thread at a time, and closing it leaves the mailbox open.
 * {@snippet lang=java :
 * try (ForwardingSender forward = ForwardingSender.of(mailbox)) {
 *     long sent = forward.trySend(type, source, pid, sequence, sendTime, value, 0, length);
 *     if (sent == Mailbox.FULL) { ... }   // keep it, offer it again later
 * }
 * }
 */
public final class ForwardingSender implements AutoCloseable {

    private static final String SEND = "forward to mailbox";

    private final AbstractMailbox<?> mailbox;
    private final Sender ring;
    private final MessageQueue queue;
    private final Arena arena;
    /** A queue message's envelope and value; null on a ring. */
    private final MemorySegment scratch;
    private final int maxValueLength;
    /** Whether the mailbox's records hold the value alone ({@link MailboxOptions#withoutEnvelope()}). */
    private final boolean bare;
    private boolean closed;

    private ForwardingSender(AbstractMailbox<?> mailbox) {
        this.mailbox = mailbox;
        mailbox.ensureOpen();
        int maxLength = mailbox.link.maxLength;
        if (mailbox.link instanceof RingLink<?> ringLink) {
            this.bare = ringLink.bare;
            this.ring = ringLink.ring().sender(WaitStrategy.yielding()); // try forms only: never waits
            this.queue = null;
            this.arena = null;
            this.scratch = null;
            // a ring made before forwarded records had room for the shorter envelope only
            this.maxValueLength = Math.min(maxLength, Math.max(0, ring.maxMessageLength() - FORWARDED_LENGTH));
        } else {
            this.bare = false;
            this.ring = null;
            this.queue = ((QueueLink<?>) mailbox.link).queue();
            this.arena = Arena.ofConfined();
            this.scratch = arena.allocate(QUEUE_LENGTH + (long) maxLength, Long.BYTES);
            this.maxValueLength = maxLength;
        }
    }

    /**
     * {@return a forwarding sender into {@code mailbox}} It sends through the mailbox's own
     * transport, and into a port only while the port's owner is there.
     *
     * @throws NullPointerException if {@code mailbox} is {@code null}
     * @throws IllegalArgumentException if {@code mailbox} is not a mailbox or port of this library
     * @throws IllegalStateException if {@code mailbox} is closed
     */
    public static ForwardingSender of(Mailbox<?> mailbox) {
        Objects.requireNonNull(mailbox, "mailbox");
        if (!(mailbox instanceof AbstractMailbox<?> own)) {
            throw new IllegalArgumentException("mailbox=" + mailbox + " is not a mailbox or port of panama-ipc");
        }
        return new ForwardingSender(own);
    }

    /** {@return the longest value this sender forwards: the mailbox's {@code maxMessageLength}} */
    public int maxValueLength() {
        return maxValueLength;
    }

    /**
     * Sends {@code length} bytes of {@code value} from {@code offset}, with the header given, if
     * there is room now. {@return a number {@code >= 0} if it was sent (on a ring, the record's
     * sequence in the ring; on a queue, 0), {@link Mailbox#FULL} if there is no room now, or
     * {@link Mailbox#CLOSED} if a port's owner has gone or the receivers have gone as the mailbox's
     * own sends say}
     *
     * @throws MessageTooLongException if {@code length} exceeds {@link #maxValueLength()}; nothing is sent
     * @throws IndexOutOfBoundsException if {@code value} has no {@code length} bytes from {@code offset}
     * @throws IllegalStateException if this sender or the mailbox is closed
     */
    public long trySend(int type, int source, int sourcePid, long sequence, long sendTime,
                        MemorySegment value, long offset, int length) {
        Objects.requireNonNull(value, "value");
        Objects.checkFromIndexSize(offset, length, value.byteSize());
        if (closed) {
            throw new IllegalStateException("forwarding sender of " + mailbox.what() + " " + mailbox.name() + " is closed");
        }
        mailbox.ensureOpen();
        if (length > maxValueLength) {
            throw new MessageTooLongException(SEND, mailbox.name(), length, maxValueLength);
        }
        long refused = mailbox.beforeSend();
        if (refused < 0) {
            return refused;
        }
        if (ring != null && bare) { // the value alone: the mailbox's messages have no envelope to carry the header
            long index = ring.tryClaim(type, length);
            if (index < 0) {
                return index;
            }
            MemorySegment.copy(value, offset, ring.buffer(), index, length);
            return ring.commit(index);
        }
        if (ring != null) {
            long index = ring.tryClaim(type, FORWARDED_LENGTH + length);
            if (index < 0) {
                return index;
            }
            MemorySegment buffer = ring.buffer();
            buffer.set(ValueLayout.JAVA_INT_UNALIGNED, index + MAGIC_OFFSET, FORWARDED_MAGIC);
            writeHeader(buffer, index, type, source, sourcePid, sequence, sendTime);
            MemorySegment.copy(value, offset, buffer, index + FORWARDED_LENGTH, length);
            return ring.commit(index);
        }
        scratch.set(ValueLayout.JAVA_INT_UNALIGNED, MAGIC_OFFSET, MAGIC);
        writeHeader(scratch, 0, type, source, sourcePid, sequence, sendTime);
        MemorySegment.copy(value, offset, scratch, QUEUE_LENGTH, length);
        return queue.trySend(scratch.asSlice(0, QUEUE_LENGTH + length), 0);
    }

    /** Writes what follows the magic: the queue envelope's layout, which a forwarded ring record shares. */
    private static void writeHeader(MemorySegment buffer, long index, int type, int source, int sourcePid, long sequence,
                                    long sendTime) {
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, index + SOURCE_PID_OFFSET, sourcePid);
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, index + SEND_TIME_OFFSET, sendTime);
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, index + REPLY_TO_OFFSET, NO_REPLY);
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, index + QUEUE_TYPE_OFFSET, type);
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, index + QUEUE_SOURCE_OFFSET, source);
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, index + QUEUE_SEQUENCE_OFFSET, sequence);
    }

    /** Detaches this sender's ring endpoint (the mailbox stays open); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ring != null) {
            ring.close();
        }
        if (arena != null) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "ForwardingSender[" + mailbox + "]";
    }
}
