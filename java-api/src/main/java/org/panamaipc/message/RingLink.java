package org.panamaipc.message;

import org.panamaipc.channel.EndpointInfo;
import org.panamaipc.channel.MessageHandler;
import org.panamaipc.channel.MessageHeader;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.MalformedMessageException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import static org.panamaipc.message.EnvelopeDescriptor.*;

/**
 * A mailbox over a ring channel. A record's payload is the envelope, then the value: a record
 * codec's value is encoded straight into the claimed record; others are encoded into a buffer of
 * this link and copied. The sending and the receiving endpoint attach at their first use, so a
 * process that only sends never counts as a receiver of the ring.
 */
final class RingLink<T> extends Link<T> {

    private static final String SEND = "send to mailbox";

    private final RingChannel ring;
    private final WaitStrategy strategy;
    private final Arena arena;
    /** Envelope and value of a variable-size codec: {@code ENVELOPE + maxLength} bytes; null for fixed sizes. */
    private final MemorySegment scratch;
    private final MessageHandler unwrap = this::unwrap;
    private Sender sender;
    private Receiver receiver;
    private RecordHandler handler;
    private boolean closed;
    /** Whether records hold the value alone ({@link MailboxDescriptor#FLAG_BARE}). */
    final boolean bare;
    /** Bytes of the envelope before each value: {@link EnvelopeDescriptor#LENGTH}, or 0 when bare. */
    private final int envelope;

    RingLink(String name, Values<T> values, int maxLength, RingChannel ring, WaitStrategy strategy, boolean bare) {
        super(name, values, maxLength);
        this.ring = ring;
        this.strategy = strategy;
        this.bare = bare;
        this.envelope = bare ? 0 : LENGTH;
        if (values.fixed()) {
            arena = null;
            scratch = null;
        } else {
            arena = Arena.ofShared();
            // when bare, the value alone: no room for more than maxLength bytes
            scratch = arena.allocate(LENGTH + (long) maxLength, Long.BYTES).asSlice(0, envelope + (long) maxLength);
        }
    }

    @Override
    Transport transport() {
        return Transport.RING;
    }

    RingChannel ring() {
        return ring;
    }

    private Sender sender() {
        if (sender == null) {
            ensureOpen();
            sender = ring.sender(strategy);
        }
        return sender;
    }

    /**
     * Attaches this handle's receiver at its first receive.
     *
     * @throws IllegalStateException if the ring takes one receiver (a port's, a
     *         {@link MailboxOptions#withSingleReceiver()} mailbox's) and another handle holds it
     */
    @Override
    void attachReceiver() {
        if (receiver == null) {
            ensureOpen();
            try {
                receiver = ring.receiver(strategy, false);
            } catch (IllegalStateException taken) {
                if (ring.type().manyReceivers() || ring.endpoints().stream()
                        .noneMatch(e -> e.role() == EndpointInfo.Role.RECEIVER && e.alive())) {
                    throw taken;                    // not held by another: every endpoint slot is in use
                }
                throw new IllegalStateException("mailbox " + name + " takes one receiver at a time and another handle"
                        + " holds it (" + taken.getMessage() + "); it is free again once that handle is closed or"
                        + " its process has died", taken);
            }
        }
    }

    @Override
    long send(T value, int priority, Duration timeout) throws InterruptedException {
        if (priority != 0) {
            throw new IllegalArgumentException("priority=" + priority + ", but " + name + " runs on a ring, which has"
                    + " no priorities: create it with MailboxOptions.queue() for them");
        }
        Sender s = sender();
        long size = values.sizeOf(value);
        // the send time is read before anything is written: the envelope, value, record header and
        // tag then go in one burst, not with the clock's read between a first store to the
        // record's line and the tag a receiver spins on
        long sendTime = bare ? 0 : MessageClock.nanos();
        if (size >= 0) { // known before encoding: claim exactly that and encode in place
            checkValueLength(size, SEND);
            int length = envelope + (int) size;
            long index = s.tryClaim(TYPE, length);
            if (index == Sender.FULL && waits(timeout)) {
                index = s.claim(TYPE, length, timeout);
            }
            if (index < 0) {
                return index;
            }
            MemorySegment buffer = s.buffer();
            try {
                values.encodeSized(value, buffer, index + envelope, size);
                if (!bare) {
                    RingEnvelope.write(buffer, index, sendTime, replyTo);
                }
            } catch (RuntimeException | Error e) {
                s.abort(index);
                throw e;
            }
            return s.commit(index);
        }
        if (scratch == null) {
            throw new IllegalStateException("codec=" + values.codec + " did not say the size of a value it encodes");
        }
        int length = envelope + values.encode(value, scratch, envelope, SEND, name);
        if (!bare) {
            RingEnvelope.write(scratch, 0, sendTime, replyTo);
        }
        long sent = s.trySend(TYPE, scratch, 0, length);
        return sent == Sender.FULL && waits(timeout) ? s.send(TYPE, scratch, 0, length, timeout) : sent;
    }

    @Override
    int receive(RecordHandler handler, int limit, Duration timeout) throws InterruptedException {
        attachReceiver();
        this.handler = handler;
        try {
            int count;
            if (timeout == TRY) {
                count = receiver.poll(unwrap, limit);
            } else if (timeout == FOREVER) {
                count = receiver.receive(unwrap, limit);
            } else {
                count = receiver.receive(unwrap, limit, timeout);
            }
            return count; // EMPTY or how many: the receiver was attached not to be told CLOSED (senders may always come)
        } finally {
            this.handler = null;
        }
    }

    private void unwrap(MessageHeader ring, MemorySegment buffer, long offset, int length) {
        if (bare) {
            if (length > maxLength) { // no sender of this mailbox writes more: a stranger's record
                throw new MalformedMessageException(values.codec.toString(), "the record of " + length
                        + " bytes from endpoint " + ring.source() + " in " + name + " is longer than its longest value, "
                        + maxLength + " bytes: a writer other than this mailbox's senders put it there");
            }
            header.set(ring.type(), ring.source(), 0, length, ring.sequence(), 0, 0, Header.NO_REPLY);
            handler.onRecord(header, buffer, offset, length);
            return;
        }
        int magic = length < LENGTH ? 0 : buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset + MAGIC_OFFSET);
        if (magic == FORWARDED_MAGIC && length >= FORWARDED_LENGTH) {
            unwrapForwarded(buffer, offset, length); // a bridge's delivery: the original sender's header
            return;
        }
        RingEnvelope.read(header, ring, buffer, offset, length, values.codec, name);
        handler.onRecord(header, buffer, offset + LENGTH, length - LENGTH);
    }

    /** A record a bridge forwarded from another host: the header is its original sender's (see {@link ForwardingSender}). */
    private void unwrapForwarded(MemorySegment buffer, long offset, int length) {
        header.set(buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset + QUEUE_TYPE_OFFSET),
                buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset + QUEUE_SOURCE_OFFSET),
                buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset + SOURCE_PID_OFFSET), length - FORWARDED_LENGTH,
                buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + QUEUE_SEQUENCE_OFFSET), 0,
                buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + SEND_TIME_OFFSET), Header.NO_REPLY);
        handler.onRecord(header, buffer, offset + FORWARDED_LENGTH, length - FORWARDED_LENGTH);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("mailbox " + name + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        ring.close();
        if (arena != null) {
            arena.close();
        }
    }
}
