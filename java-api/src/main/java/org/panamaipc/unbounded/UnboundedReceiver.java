package org.panamaipc.unbounded;

import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.channel.Receiver;
import org.panamaipc.internal.Destinations;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * The receiver of an {@link UnboundedLink}; one at a time per link, used by one thread at a time.
 * It takes every message in the order it was sent, from the ring and from the spill, and removes
 * each spill segment once it has consumed it.
 *
 * <p>Every receive has the three forms of the convention (docs/conventions.md): into a
 * {@code MemorySegment} or a {@code ByteBuffer} (the length, {@link #EMPTY} or {@link #CLOSED}),
 * as an array ({@code tryReceiveBytes}, {@code receiveBytes}: {@code null} for nothing,
 * {@link PeerGoneException} for closed), or handed to a {@link LinkHandler}
 * ({@code poll(handler, limit)}, {@code receive(handler, limit)}: how many, {@code EMPTY} or
 * {@code CLOSED}, never 0). {@code CLOSED} means the sender has gone (closed or died) and nothing
 * it sent is left; as on a ring it is not final, and a receiver that has never had a sender waits
 * for one instead. {@link #lastHeader()} describes the message last received.
 *
 * {@snippet lang=java :
 * try (UnboundedLink link = UnboundedLink.open("/jobs");
 *      UnboundedReceiver receiver = link.receiver();
 *      Arena arena = Arena.ofConfined()) {
 *     MemorySegment job = arena.allocate(link.maxMessageLength());
 *     int length;
 *     while ((length = receiver.receive(job, 0)) != UnboundedReceiver.CLOSED) {
 *         process(receiver.lastHeader().type(), job.asSlice(0, length));
 *     }
 * }
 * }
 *
 * <p>A waiting receive waits on the ring (with the link's wait strategy) for as long as its
 * timeout allows: a message sent to the ring wakes it, and so does one appended to the spill, for
 * which the sender puts a doorbell into the ring (see {@link UnboundedDescriptor}); so an idle
 * receiver does not wake by itself to look at the spill. If the receiver dies, the next
 * receiver goes on with the message after the last one a receive returned: the read position is
 * stored in shared memory before a receive returns. A message too long for the caller's memory is
 * an {@link IllegalArgumentException}, and it stays to be received. A spilled record that cannot
 * be right is an {@link org.panamaipc.shm.InvalidSegmentException}. A timeout of zero or less does
 * not wait; one too long to count in nanoseconds waits as long as it takes; a {@code null}
 * argument is a {@link NullPointerException} naming the parameter.
 */
public final class UnboundedReceiver implements AutoCloseable {

    /** Nothing to receive, now or within the timeout. */
    public static final int EMPTY = Outcome.EMPTY;
    /** Nothing to receive, and the sender has gone. */
    public static final int CLOSED = Outcome.CLOSED;

    private static final int NOTHING = Integer.MIN_VALUE;
    private static final String RECEIVE = "receive from unbounded link";

    private final UnboundedLink link;
    private final LinkMemory memory;
    private final Receiver ring;
    private final LinkHeader header = new LinkHeader();
    private final int[] type = new int[1];
    private long received;
    private MemorySegment scratch;
    private volatile boolean closed;
    private volatile Thread handling;

    UnboundedReceiver(UnboundedLink link, LinkMemory memory, Receiver ring) {
        this.link = link;
        this.memory = memory;
        this.ring = ring;
        this.received = memory.counter(UnboundedDescriptor.RECEIVED_OFFSET);
    }

    /** {@return the header of the message last received} */
    public LinkHeader lastHeader() {
        return header;
    }

    /** {@return how many messages this link has delivered, this receiver's predecessors' included} */
    public long received() {
        return received;
    }

    /**
     * Copies the next message's payload into {@code destination} from {@code offset}, without
     * waiting. {@return the payload's length, or {@link #EMPTY} or {@link #CLOSED}}
     *
     * @throws IllegalArgumentException if the message does not fit; it stays to be received
     * @throws IllegalArgumentException if {@code offset} is negative
     * @throws IndexOutOfBoundsException if {@code offset} is past the end of {@code destination}
     * @throws IllegalStateException if the receiver is closed
     */
    public int tryReceive(MemorySegment destination, long offset) {
        checkDestination(destination, offset);
        int length = takeOnce(destination, offset);
        return length == NOTHING ? EMPTY : length;
    }

    /** As {@link #tryReceive(MemorySegment, long)}, waiting as long as it takes. {@return the length, or {@link #CLOSED}} */
    public int receive(MemorySegment destination, long offset) throws InterruptedException {
        checkDestination(destination, offset);
        return receiveWaiting(destination, offset, Timeouts.FOREVER);
    }

    /**
     * As {@link #tryReceive(MemorySegment, long)}, waiting at most {@code timeout}.
     * {@return the length, or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     */
    public int receive(MemorySegment destination, long offset, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(destination, "destination");
        long timeoutNanos = Timeouts.toNanos(timeout);
        checkDestination(destination, offset);
        return receiveWaiting(destination, offset, timeoutNanos);
    }

    /**
     * Copies the next message into the remaining bytes of {@code destination}, without waiting,
     * and moves its position past them; when nothing came the position is unchanged.
     * {@return the length, or {@link #EMPTY} or {@link #CLOSED}}
     */
    public int tryReceive(ByteBuffer destination) {
        return Destinations.advanced(destination, tryReceive(Destinations.segmentOf(destination), 0));
    }

    /** As {@link #tryReceive(ByteBuffer)}, waiting as long as it takes. {@return the length, or {@link #CLOSED}} */
    public int receive(ByteBuffer destination) throws InterruptedException {
        return Destinations.advanced(destination, receive(Destinations.segmentOf(destination), 0));
    }

    /** As {@link #tryReceive(ByteBuffer)}, waiting at most {@code timeout}. {@return the length, {@link #EMPTY} or {@link #CLOSED}} */
    public int receive(ByteBuffer destination, Duration timeout) throws InterruptedException {
        MemorySegment segment = Destinations.segmentOf(destination);
        return Destinations.advanced(destination, receive(segment, 0, timeout));
    }

    /**
     * Hands the messages there now, up to {@code limit}, to {@code handler}, without waiting.
     * {@return how many it handed over ({@code >= 1}), or {@link #EMPTY} or {@link #CLOSED}; never 0}
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public int poll(LinkHandler handler, int limit) {
        checkHandler(handler, limit);
        int first = tryReceive(scratch(), 0);
        return first < 0 ? first : handOver(handler, limit, first); // only for a message: then the JIT inlines the handler there
    }

    /** As {@link #poll(LinkHandler, int)}, waiting as long as it takes for the first. {@return how many, or {@link #CLOSED}} */
    public int receive(LinkHandler handler, int limit) throws InterruptedException {
        checkHandler(handler, limit);
        return handOver(handler, limit, receiveWaiting(scratch(), 0, Timeouts.FOREVER));
    }

    /**
     * As {@link #poll(LinkHandler, int)}, waiting at most {@code timeout} for the first.
     * {@return how many, or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     */
    public int receive(LinkHandler handler, int limit, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        checkHandler(handler, limit);
        return handOver(handler, limit, receiveWaiting(scratch(), 0, timeoutNanos));
    }

    /** Receives the next message as a new array, without waiting. {@return the payload, or {@code null}} */
    public byte[] tryReceiveBytes() {
        return toArray(tryReceive(scratch(), 0));
    }

    /** Receives the next message as a new array, waiting as long as it takes. {@return the payload} */
    public byte[] receiveBytes() throws InterruptedException {
        return toArray(receive(scratch(), 0));
    }

    /** Receives the next message as a new array, waiting at most {@code timeout}. {@return the payload, or {@code null}} */
    public byte[] receiveBytes(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return toArray(receive(scratch(), 0, timeout));
    }

    /**
     * Takes one message if there is one: from the ring first; when the spill holds something, the
     * ring once more (a message sent before the spilled one may have become visible meanwhile),
     * then the spill, up to the write position seen before that second look.
     * {@return the length, {@link #CLOSED}, or {@link #NOTHING}}
     */
    private int takeOnce(MemorySegment destination, long offset) {
        int length = takeFromRing(destination, offset);
        if (length >= 0) {
            return delivered(ring.lastHeader().type(), length, false);
        }
        long write = memory.writePosition();
        if (memory.readPosition() != write) {
            length = takeFromRing(destination, offset);
            if (length >= 0) {
                return delivered(ring.lastHeader().type(), length, false);
            }
        }
        boolean senderGone = length == Receiver.CLOSED;
        int spilled = memory.take(destination, offset, type, write);
        if (spilled >= 0) {
            return delivered(type[0], spilled, true);
        }
        return senderGone ? CLOSED : NOTHING;
    }

    /**
     * {@return the ring's next message, passing over doorbells, or what the ring says when it has
     * none} A message the sender put into the ring after a doorbell was sent while the spill was
     * drained, so it precedes everything spilled now: the ring is read on, not the spill.
     */
    private int takeFromRing(MemorySegment destination, long offset) {
        int length;
        do {
            length = ring.tryReceive(destination, offset);
        } while (isDoorbell(length));
        return length;
    }

    /** {@return whether the ring's receive that returned {@code length} took a doorbell} */
    private boolean isDoorbell(int length) {
        return length == 0 && ring.lastHeader().type() == UnboundedDescriptor.DOORBELL_TYPE;
    }

    private int delivered(int messageType, int length, boolean spilled) {
        received++;
        memory.count(UnboundedDescriptor.RECEIVED_OFFSET, received);
        header.set(received, messageType, length, spilled);
        return length;
    }

    private int receiveWaiting(MemorySegment destination, long offset, long timeoutNanos) throws InterruptedException {
        int length = takeOnce(destination, offset);
        if (length != NOTHING) {
            return length;
        }
        if (timeoutNanos <= 0) {
            return EMPTY;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        while (true) {
            // announce, then look once more, then wait: a spill append after that look rings (Waking)
            memory.announceWaiting();
            length = takeOnce(destination, offset);
            long now = System.nanoTime();
            if (length != NOTHING || Timeouts.passed(deadline, now)) {
                memory.clearWaiting();
                return length == NOTHING ? EMPTY : length;
            }
            long remaining = Timeouts.remaining(deadline, now);
            // a receive that throws (interrupted, closed) leaves the word set: one needless doorbell at most
            length = remaining == Timeouts.FOREVER ? ring.receive(destination, offset)
                    : ring.receive(destination, offset, Duration.ofNanos(remaining));
            memory.clearWaiting();
            if (length >= 0 && !isDoorbell(length)) {
                return delivered(ring.lastHeader().type(), length, false);
            }
            // a doorbell, the sender gone, or the timeout: look at the ring and the spill again
        }
    }

    private void checkDestination(MemorySegment destination, long offset) {
        Objects.requireNonNull(destination, "destination");
        ensureReceivable();
        Destinations.checkOffset(destination, offset);
    }

    private void checkHandler(LinkHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        ensureReceivable();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be positive");
        }
    }

    /** Hands over the message just received into the scratch memory, then those there now. */
    private int handOver(LinkHandler handler, int limit, int first) {
        if (first < 0) {
            return first;
        }
        handling = Thread.currentThread();
        try {
            handler.onMessage(header, scratch, 0, first);
            int count = 1;
            while (count < limit && !closed) {
                int length = takeOnce(scratch, 0);
                if (length < 0) {
                    break;
                }
                handler.onMessage(header, scratch, 0, length);
                count++;
            }
            return count;
        } finally {
            handling = null;
        }
    }

    private MemorySegment scratch() {
        if (scratch == null) {
            scratch = Arena.ofAuto().allocate(Math.max(1, memory.maxMessageLength), 8);
        }
        return scratch;
    }

    private byte[] toArray(int length) {
        if (length == EMPTY) {
            return null;
        }
        if (length == CLOSED) {
            throw new PeerGoneException(RECEIVE, memory.name, "its sender has gone and everything it sent has been received");
        }
        return scratch.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("receiver of unbounded link " + memory.name + " is closed");
        }
    }

    /** Refuses a receive when closed, or from inside its own handler, whose message a receive would overwrite. */
    private void ensureReceivable() {
        ensureOpen();
        checkNotHandling("receive");
    }

    private void checkNotHandling(String action) {
        if (handling == Thread.currentThread()) {
            throw new IllegalStateException("receiver of unbounded link " + memory.name + " cannot " + action
                    + " from inside its own handler: return from the handler first");
        }
    }

    /**
     * Detaches the receiver; what it has not taken stays in the link for the next receiver. A
     * thread of this process waiting in a receive wakes and throws {@link IllegalStateException}.
     * Calling it again does nothing.
     *
     * @throws IllegalStateException if called from inside a handler of this receiver
     */
    @Override
    public void close() {
        checkNotHandling("be closed");
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ring.close();
        memory.closeReading();
        link.forget(this);
    }

    @Override
    public String toString() {
        return "UnboundedReceiver[" + memory.name + ", received " + received + "]";
    }
}
