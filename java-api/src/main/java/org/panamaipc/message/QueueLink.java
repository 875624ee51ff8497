package org.panamaipc.message;

import org.panamaipc.Outcome;
import org.panamaipc.codec.MalformedMessageException;
import org.panamaipc.mq.MessageQueue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.panamaipc.message.EnvelopeDescriptor.*;

/**
 * A mailbox over a POSIX message queue. A message is the queue envelope (with the type, source and
 * sequence a ring's header would hold), then the value; both are written into a native buffer of
 * this link, which goes to the kernel without a copy, and received into another.
 */
final class QueueLink<T> extends Link<T> {

    private static final String SEND = "send to mailbox";
    /** Numbers the sending handles of this process: a message's {@link Header#source()}. */
    private static final AtomicInteger SOURCES = new AtomicInteger();

    private final MessageQueue queue;
    private final Arena arena = Arena.ofShared();
    /** Envelope and value: {@code QUEUE_LENGTH + maxLength} bytes. */
    private final MemorySegment sendBuffer;
    /** The whole message of a fixed-size codec, or the last variable-length one sent. */
    private MemorySegment message;
    private final MemorySegment receiveBuffer;
    private final int source = SOURCES.incrementAndGet();
    private long sequence = 1;
    private boolean closed;

    QueueLink(String name, Values<T> values, int maxLength, MessageQueue queue) {
        super(name, values, maxLength);
        this.queue = queue;
        this.sendBuffer = arena.allocate(QUEUE_LENGTH + (long) maxLength, Long.BYTES);
        this.receiveBuffer = arena.allocate(queue.maxMessageLength(), Long.BYTES);
        this.message = values.fixed() ? sendBuffer.asSlice(0, QUEUE_LENGTH + Math.min(values.fixedSize, maxLength)) : null;
    }

    @Override
    Transport transport() {
        return Transport.QUEUE;
    }

    MessageQueue queue() {
        return queue;
    }

    @Override
    void attachReceiver() {
        // a queue has no endpoints to attach
    }

    @Override
    long send(T value, int priority, Duration timeout) throws InterruptedException {
        ensureOpen();
        if (priority < 0 || priority > MessageQueue.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority=" + priority + " is outside 0.." + MessageQueue.MAX_PRIORITY);
        }
        if (values.fixed()) {
            if (value == null) {
                throw new NullPointerException("value");
            }
            checkValueLength(values.fixedSize, SEND);
            values.codec.encode(value, sendBuffer, QUEUE_LENGTH);
        } else {
            int length = QUEUE_LENGTH + values.encode(value, sendBuffer, QUEUE_LENGTH, SEND, name);
            if (message == null || message.byteSize() != length) {
                message = sendBuffer.asSlice(0, length);
            }
        }
        sendBuffer.set(ValueLayout.JAVA_INT, MAGIC_OFFSET, MAGIC);
        sendBuffer.set(ValueLayout.JAVA_INT, SOURCE_PID_OFFSET, PID);
        sendBuffer.set(ValueLayout.JAVA_LONG, SEND_TIME_OFFSET, MessageClock.nanos());
        sendBuffer.set(ValueLayout.JAVA_LONG, REPLY_TO_OFFSET, replyTo);
        sendBuffer.set(ValueLayout.JAVA_INT, QUEUE_TYPE_OFFSET, TYPE);
        sendBuffer.set(ValueLayout.JAVA_INT, QUEUE_SOURCE_OFFSET, source);
        sendBuffer.set(ValueLayout.JAVA_LONG, QUEUE_SEQUENCE_OFFSET, sequence);
        long sent;
        if (timeout == TRY) {
            sent = queue.trySend(message, priority);
        } else if (timeout == FOREVER) {
            sent = queue.send(message, priority);
        } else {
            sent = queue.send(message, priority, timeout);
        }
        return sent < 0 ? sent : sequence++;
    }

    @Override
    int receive(RecordHandler handler, int limit, Duration timeout) throws InterruptedException {
        ensureOpen();
        int count = 0;
        while (count < limit) {
            int length;
            if (count > 0 || timeout == TRY) {
                length = queue.tryReceive(receiveBuffer);
            } else if (timeout == FOREVER) {
                length = queue.receive(receiveBuffer);
            } else {
                length = queue.receive(receiveBuffer, timeout);
            }
            if (length == Outcome.EMPTY) {
                break;
            }
            count++;
            deliver(handler, length);
        }
        return count > 0 ? count : Outcome.EMPTY;
    }

    private void deliver(RecordHandler handler, int length) {
        MemorySegment m = receiveBuffer;
        if (length < QUEUE_LENGTH || m.get(ValueLayout.JAVA_INT, MAGIC_OFFSET) != MAGIC) {
            throw new MalformedMessageException(values.codec.toString(), "the message of " + length + " bytes in "
                    + name + " does not start with a message envelope (magic " + Integer.toHexString(MAGIC)
                    + "): a writer other than a mailbox put it there");
        }
        header.set(m.get(ValueLayout.JAVA_INT, QUEUE_TYPE_OFFSET), m.get(ValueLayout.JAVA_INT, QUEUE_SOURCE_OFFSET),
                m.get(ValueLayout.JAVA_INT, SOURCE_PID_OFFSET), length - QUEUE_LENGTH,
                m.get(ValueLayout.JAVA_LONG, QUEUE_SEQUENCE_OFFSET), queue.lastHeader().priority(),
                m.get(ValueLayout.JAVA_LONG, SEND_TIME_OFFSET), m.get(ValueLayout.JAVA_LONG, REPLY_TO_OFFSET));
        handler.onRecord(header, m, QUEUE_LENGTH, length - QUEUE_LENGTH);
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
        queue.close();
        arena.close();
    }
}
