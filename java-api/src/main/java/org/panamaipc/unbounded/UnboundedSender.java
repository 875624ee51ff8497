package org.panamaipc.unbounded;

import org.panamaipc.MessageTooLongException;
import org.panamaipc.channel.Sender;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * The sender of an {@link UnboundedLink}; one at a time per link, used by one thread at a time.
 *
 * <p>Every send has the three forms of the convention (docs/conventions.md), and they behave the
 * same, because a send to an unbounded link never waits: the message goes into the ring if the
 * ring has room and nothing waits in the spill, or else it is appended to the spill. Each returns
 * the message's sequence number in the link ({@code >= 1}). A send never returns
 * {@link org.panamaipc.Outcome#FULL}: there is always room until the memory cap, and past it the
 * send throws {@link MemoryCapExceededException}. It never returns
 * {@link org.panamaipc.Outcome#CLOSED} either: with no receiver attached the messages wait in the
 * link for the next one, as in a message queue. The blocking and timed forms exist so that code
 * written for a bounded link runs unchanged; {@code Duration} follows the convention's rule
 * ({@code null} is a {@link NullPointerException}).
 *
 * {@snippet lang=java :
 * try (UnboundedLink link = UnboundedLink.open("/jobs"); UnboundedSender sender = link.sender()) {
 *     long sequence = sender.trySend(JOB, job);   // >= 1, always: the ring or the spill took it
 * }
 * }
 *
 * A {@code null} argument is a {@link NullPointerException} naming the parameter; a message longer
 * than {@link UnboundedLink#maxMessageLength()} is a {@link MessageTooLongException}, and nothing
 * is sent. Every type may be sent; a message of {@link UnboundedDescriptor#DOORBELL_TYPE} with no
 * payload always travels through the spill, because in the ring such a record is the doorbell that
 * wakes a waiting receiver after a message was spilled (see {@link UnboundedDescriptor}).
 */
public final class UnboundedSender implements AutoCloseable {

    private static final String SEND = "send to unbounded link";
    private static final MemorySegment NO_BYTES = MemorySegment.ofArray(new byte[0]);

    private final UnboundedLink link;
    private final LinkMemory memory;
    private final Sender ring;
    private boolean spilling;
    private long sent;
    private long spilled;
    private volatile boolean closed;

    UnboundedSender(UnboundedLink link, LinkMemory memory, Sender ring) {
        this.link = link;
        this.memory = memory;
        this.ring = ring;
        this.spilling = !memory.drained();
        this.sent = memory.counter(UnboundedDescriptor.SENT_OFFSET);
        this.spilled = memory.counter(UnboundedDescriptor.SPILLED_OFFSET);
    }

    /**
     * Sends {@code length} bytes of {@code source} from {@code offset} as a message of {@code type}.
     * {@return the message's sequence number in the link}
     *
     * @throws MemoryCapExceededException if the ring is full and the spill at its memory cap; nothing was sent
     * @throws MessageTooLongException if {@code length} exceeds the link's maximum; nothing was sent
     * @throws IllegalArgumentException if {@code length} or {@code offset} is negative; nothing was sent
     * @throws IndexOutOfBoundsException if the bytes are not all in {@code source}
     * @throws IllegalStateException if the sender is closed
     */
    public long trySend(int type, MemorySegment source, long offset, int length) {
        Objects.requireNonNull(source, "source");
        ensureOpen();
        if (length < 0) {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
        if (length > memory.maxMessageLength) {
            throw new MessageTooLongException(SEND, memory.name, length, memory.maxMessageLength);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset=" + offset + " must not be negative");
        }
        Objects.checkFromIndexSize(offset, length, source.byteSize());
        if (spilling && memory.drained()) {
            spilling = false; // everything spilled has been taken: the ring comes first again
        }
        if (spilling || looksLikeDoorbell(type, length) || ring.trySend(type, source, offset, length) < 0) {
            memory.append(type, source, offset, length);
            spilling = true;
            memory.count(UnboundedDescriptor.SPILLED_OFFSET, ++spilled);
            if (memory.takeWaiting()) {
                ringDoorbell();
            }
        }
        memory.count(UnboundedDescriptor.SENT_OFFSET, ++sent);
        return sent;
    }

    /**
     * Wakes the receiver waiting on the ring, which only a record wakes; if the ring is full it has
     * records to take, and looks at the spill before it waits again. The message is in the spill
     * already: a ring that refuses the doorbell (closed under us, or broken) must not make this
     * send look failed, for a caller would send it again; the receiver's next look finds it.
     */
    private void ringDoorbell() {
        try {
            ring.trySend(UnboundedDescriptor.DOORBELL_TYPE, NO_BYTES, 0, 0);
        } catch (RuntimeException refused) {
            // see above: the spilled message stands; a broken ring shows itself at the next send
        }
    }

    /** The receiver takes such a record in the ring for a doorbell: such a message goes to the spill. */
    private static boolean looksLikeDoorbell(int type, int length) {
        return type == UnboundedDescriptor.DOORBELL_TYPE && length == 0;
    }

    /** As {@link #trySend(int, MemorySegment, long, int)}, which never waits. {@return the sequence number} */
    public long send(int type, MemorySegment source, long offset, int length) throws InterruptedException {
        return trySend(type, source, offset, length);
    }

    /** As {@link #trySend(int, MemorySegment, long, int)}, which never waits. {@return the sequence number} */
    public long send(int type, MemorySegment source, long offset, int length, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(timeout, "timeout");
        return trySend(type, source, offset, length);
    }

    /** As {@link #trySend(int, MemorySegment, long, int)} for the whole array. */
    public long trySend(int type, byte[] message) {
        Objects.requireNonNull(message, "message");
        return trySend(type, MemorySegment.ofArray(message), 0, message.length);
    }

    /** As {@link #trySend(int, byte[])}, which never waits. */
    public long send(int type, byte[] message) throws InterruptedException {
        return trySend(type, message);
    }

    /** As {@link #trySend(int, byte[])}, which never waits. */
    public long send(int type, byte[] message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        return trySend(type, message);
    }

    /** As {@link #trySend(int, MemorySegment, long, int)} for the buffer's remaining bytes; its position moves past them. */
    public long trySend(int type, ByteBuffer message) {
        Objects.requireNonNull(message, "message");
        long sequence = trySend(type, MemorySegment.ofBuffer(message), 0, message.remaining());
        message.position(message.limit());
        return sequence;
    }

    /** As {@link #trySend(int, ByteBuffer)}, which never waits. */
    public long send(int type, ByteBuffer message) throws InterruptedException {
        return trySend(type, message);
    }

    /** As {@link #trySend(int, ByteBuffer)}, which never waits. */
    public long send(int type, ByteBuffer message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        return trySend(type, message);
    }

    /** {@return how many messages this link has carried from its senders, this one's included} */
    public long sent() {
        return sent;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("sender of unbounded link " + memory.name + " is closed");
        }
    }

    /**
     * Detaches the sender. What it sent stays in the link for the receiver. Calling it again does
     * nothing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ring.close();
        memory.closeWriting();
        link.forget(this);
    }

    @Override
    public String toString() {
        return "UnboundedSender[" + memory.name + ", sent " + sent + ", spilled " + spilled + "]";
    }
}
