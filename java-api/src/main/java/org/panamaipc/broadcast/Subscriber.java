package org.panamaipc.broadcast;

import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.internal.Destinations;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import static org.panamaipc.broadcast.BroadcastDescriptor.*;
import static org.panamaipc.broadcast.BroadcastMemory.INT;
import static org.panamaipc.broadcast.BroadcastMemory.LONG;

/**
 * One subscriber of a {@link Broadcast}: it receives, in order, every message the publisher sends
 * after it joined ({@link Broadcast#subscribe()}), until it closes. Under
 * {@link SlowSubscriberPolicy#LOSSY} a subscriber that falls a whole ring behind loses the
 * messages it was lapped past, and says how many: {@link BroadcastHeader#lost()} for those just
 * before the message received, {@link #lost()} in all. A subscriber is used by one thread at a time.
 *
 * <p>Receiving comes in the three forms of the convention (docs/conventions.md):
 * {@code tryReceive(segment, offset)}, {@code tryReceive(buffer)}, {@code tryReceiveBytes()} and
 * {@code poll(handler, limit)} return at once; {@code receive(...)} and {@code receiveBytes()} wait
 * as long as it takes; {@code receive(..., Duration)} and {@code receiveBytes(Duration)} wait at
 * most that long. A receive into the caller's memory (and a receive that hands messages to a
 * {@link BroadcastHandler}: how many it handed over, never 0) returns the payload's length ({@code >= 0}), {@link #EMPTY} (nothing now, or
 * within the timeout) or {@link #CLOSED} (the publisher has gone and everything it sent has been
 * received: no publisher is attached and alive, while one was when this subscriber joined or one
 * attached since; a subscriber that has never had a publisher waits for one). A receive of an
 * array returns {@code null} for nothing and throws {@link PeerGoneException} for closed. A
 * publisher that closes wakes its subscribers at once; one that dies is noticed within a sleep
 * slice ({@link #LIVENESS_CHECK_INTERVAL}).
 *
 * {@snippet lang=java :
 * try (Broadcast prices = Broadcast.open("/prices");
 *      Subscriber subscriber = prices.subscribe();
 *      Arena arena = Arena.ofConfined()) {
 *     MemorySegment buffer = arena.allocate(prices.maxMessageLength());
 *     int length;
 *     while ((length = subscriber.receive(buffer, 0)) != Subscriber.CLOSED) {
 *         BroadcastHeader header = subscriber.lastHeader();
 *         if (header.lost() > 0) {
 *             System.out.println("missed " + header.lost() + " messages before " + header.sequence());
 *         }
 *         handle(header.type(), buffer.asSlice(0, length));
 *     }
 * }
 * }
 *
 * <p>A waiting receive spins for about 20 µs, then sleeps on a futex that the publisher bumps only
 * while a subscriber sleeps. A record that cannot be right is an
 * {@link org.panamaipc.shm.InvalidSegmentException}. A timeout of zero or less does not wait; one
 * too long to count in nanoseconds waits as long as it takes; a {@code null} argument is a
 * {@link NullPointerException} naming the parameter.
 */
public final class Subscriber implements AutoCloseable {

    /** Nothing to receive, now or within the timeout. */
    public static final int EMPTY = Outcome.EMPTY;
    /** Nothing to receive, and the publisher has gone. */
    public static final int CLOSED = Outcome.CLOSED;

    /** How often a sleeping subscriber wakes to check that the publisher is alive. */
    public static final Duration LIVENESS_CHECK_INTERVAL = Duration.ofMillis(100);

    private static final long SLICE_NANOS = LIVENESS_CHECK_INTERVAL.toNanos();
    private static final long GONE_CHECK_NANOS = 10_000_000L;
    private static final long SPIN_NANOS = 20_000L;
    private static final long CLOSE_WAIT_NANOS = 5_000_000_000L;
    private static final int NOTHING = Integer.MIN_VALUE;
    private static final String RECEIVE = "receive from broadcast";

    private final Broadcast broadcast;
    private final BroadcastMemory memory;
    private final MemorySegment records;
    private final MemorySegment body;
    private final long capacity;
    private final int maxLength;
    private final boolean block;
    private final int id;
    private final long slot;
    private final boolean publisherAtJoin;
    private final int publishersEverAtJoin;
    private final BroadcastHeader header = new BroadcastHeader();
    private final long joinedAt;

    private long cursor;
    private long received;
    private long lost;
    private long pendingLost;
    private long sleeps;
    private int publishersLeftSeen;
    private int publishersEverSeen;
    private long lastGoneCheck;
    private boolean goneSeen;
    private MemorySegment scratch;
    private volatile boolean closed;
    private volatile boolean waiting;
    private volatile Thread handling;

    Subscriber(Broadcast broadcast, BroadcastMemory memory) {
        this.broadcast = broadcast;
        this.memory = memory;
        this.records = memory.records;
        this.body = memory.body;
        this.capacity = memory.capacity;
        this.maxLength = memory.maxMessageLength;
        this.block = memory.policy == SlowSubscriberPolicy.BLOCK;
        this.publishersLeftSeen = memory.publishersLeft();
        this.publishersEverAtJoin = memory.publishersEver();
        this.publisherAtJoin = memory.publisherAlive();
        this.id = memory.join();
        this.slot = memory.slot(id);
        this.cursor = (long) LONG.getVolatile(body, slot + SUB_CURSOR_OFFSET);
        this.joinedAt = cursor;
    }

    /** {@return the sequence number of the first message this subscriber can receive: the tail when it joined} */
    public long joinedAt() {
        return joinedAt;
    }

    /** {@return the sequence number of the next message this subscriber will look for} */
    public long position() {
        return cursor;
    }

    /** {@return how many messages this subscriber has received} */
    public long received() {
        return received;
    }

    /**
     * {@return how many messages, sent after this subscriber joined, it has lost because the
     * publisher lapped it} Always 0 under {@link SlowSubscriberPolicy#BLOCK}. Together with
     * {@link #received()} it accounts for every sequence number from {@link #joinedAt()} up to
     * {@link #position()}.
     */
    public long lost() {
        return lost;
    }

    /** {@return the slot this subscriber holds in the broadcast's table} */
    public int slotId() {
        return id;
    }

    /** {@return the header of the message last received} */
    public BroadcastHeader lastHeader() {
        return header;
    }

    /**
     * Copies the next message's payload into {@code destination} from {@code offset}, without
     * waiting; {@link #lastHeader()} then describes it. Allocates nothing.
     * {@return the payload's length, or {@link #EMPTY} or {@link #CLOSED}}
     *
     * @throws IllegalArgumentException if the message does not fit; it stays to be received
     * @throws IllegalArgumentException if {@code offset} is negative
     * @throws IndexOutOfBoundsException if {@code offset} is past the end of {@code destination}
     * @throws IllegalStateException if the subscriber is closed
     */
    public int tryReceive(MemorySegment destination, long offset) {
        checkDestination(destination, offset);
        int length = take(destination, offset);
        if (length != NOTHING) {
            return length;
        }
        return publisherGone(System.nanoTime()) ? afterGone(destination, offset) : EMPTY;
    }

    /**
     * As {@link #tryReceive(MemorySegment, long)}, waiting as long as it takes.
     * {@return the payload's length, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the subscriber is closed, also by another thread while this one waits
     */
    public int receive(MemorySegment destination, long offset) throws InterruptedException {
        checkDestination(destination, offset);
        return receiveWaiting(destination, offset, Timeouts.FOREVER);
    }

    /**
     * As {@link #tryReceive(MemorySegment, long)}, waiting at most {@code timeout}.
     * {@return the payload's length, or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the subscriber is closed, also by another thread while this one waits
     */
    public int receive(MemorySegment destination, long offset, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(destination, "destination");
        long timeoutNanos = Timeouts.toNanos(timeout);
        checkDestination(destination, offset);
        return receiveWaiting(destination, offset, timeoutNanos);
    }

    /**
     * Copies the next message's payload into the remaining bytes of {@code destination}, without
     * waiting, and moves its position past them; when nothing came the position is unchanged.
     * {@return the payload's length, or {@link #EMPTY} or {@link #CLOSED}}
     *
     * @throws IllegalArgumentException if the buffer is read-only, or the message does not fit
     */
    public int tryReceive(ByteBuffer destination) {
        return Destinations.advanced(destination, tryReceive(Destinations.segmentOf(destination), 0));
    }

    /** As {@link #tryReceive(ByteBuffer)}, waiting as long as it takes. {@return the payload's length, or {@link #CLOSED}} */
    public int receive(ByteBuffer destination) throws InterruptedException {
        return Destinations.advanced(destination, receive(Destinations.segmentOf(destination), 0));
    }

    /**
     * As {@link #tryReceive(ByteBuffer)}, waiting at most {@code timeout}.
     * {@return the payload's length, or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     */
    public int receive(ByteBuffer destination, Duration timeout) throws InterruptedException {
        MemorySegment segment = Destinations.segmentOf(destination);
        return Destinations.advanced(destination, receive(segment, 0, timeout));
    }

    /**
     * Hands the messages there now, up to {@code limit}, to {@code handler}, without waiting.
     * The payload is a copy in this subscriber's memory, valid during the call.
     * {@return how many it handed over ({@code >= 1}), or {@link #EMPTY} or {@link #CLOSED}; never 0}
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public int poll(BroadcastHandler handler, int limit) {
        checkHandler(handler, limit);
        int first = tryReceive(scratch(), 0);
        return first < 0 ? first : handOver(handler, limit, first); // only for a message: then the JIT inlines the handler there
    }

    /**
     * As {@link #poll(BroadcastHandler, int)}, waiting as long as it takes for the first message.
     * {@return how many it handed over, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public int receive(BroadcastHandler handler, int limit) throws InterruptedException {
        checkHandler(handler, limit);
        return handOver(handler, limit, receiveWaiting(scratch(), 0, Timeouts.FOREVER));
    }

    /**
     * As {@link #poll(BroadcastHandler, int)}, waiting at most {@code timeout} for the first
     * message. {@return how many it handed over, or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public int receive(BroadcastHandler handler, int limit, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        checkHandler(handler, limit);
        return handOver(handler, limit, receiveWaiting(scratch(), 0, timeoutNanos));
    }

    private void checkHandler(BroadcastHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        ensureReceivable();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be positive");
        }
    }

    /** Hands over the message just received into the scratch memory, and then those there now. */
    private int handOver(BroadcastHandler handler, int limit, int first) {
        if (first < 0) {
            return first;
        }
        handling = Thread.currentThread();
        try {
            handler.onMessage(header, scratch, 0, first);
            int count = 1;
            while (count < limit && !closed) {
                int length = take(scratch, 0);
                if (length == NOTHING) {
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

    /**
     * Receives the next message as a new array, without waiting. {@return the payload, or
     * {@code null} if there is none now}
     *
     * @throws PeerGoneException if the publisher has gone and everything it sent has been received
     */
    public byte[] tryReceiveBytes() {
        return toArray(tryReceive(scratch(), 0));
    }

    /**
     * Receives the next message as a new array, waiting as long as it takes. {@return the payload}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws PeerGoneException if the publisher has gone and everything it sent has been received
     */
    public byte[] receiveBytes() throws InterruptedException {
        return toArray(receive(scratch(), 0));
    }

    /**
     * Receives the next message as a new array, waiting at most {@code timeout}. {@return the
     * payload, or {@code null} on timeout}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws PeerGoneException if the publisher has gone and everything it sent has been received
     */
    public byte[] receiveBytes(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return toArray(receive(scratch(), 0, timeout));
    }

    private MemorySegment scratch() {
        if (scratch == null) {
            scratch = Arena.ofAuto().allocate(Math.max(1, maxLength), 8);
        }
        return scratch;
    }

    private byte[] toArray(int length) {
        if (length == EMPTY) {
            return null;
        }
        if (length == CLOSED) {
            throw new PeerGoneException(RECEIVE, memory.name, "its publisher has gone and every message it sent"
                    + " has been received");
        }
        return scratch.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private void checkDestination(MemorySegment destination, long offset) {
        Objects.requireNonNull(destination, "destination");
        ensureReceivable();
        Destinations.checkOffset(destination, offset);
    }

    /**
     * Takes the message at the cursor if it is there. {@return its length, or {@link #NOTHING}}
     * Passes over what the publisher overwrote, counting it as lost (see "Reading" in
     * {@link BroadcastDescriptor}).
     */
    private int take(MemorySegment destination, long offset) {
        while (true) {
            long sequence = cursor;
            long at = memory.recordOffset(sequence);
            long tag = (long) LONG.getAcquire(records, at);
            if (tag == tag(sequence)) {
                long word = records.get(ValueLayout.JAVA_LONG_UNALIGNED, at + RECORD_LENGTH_OFFSET);
                int length = (int) word;
                int type = (int) (word >>> 32);
                if (length < 0 || length > maxLength) {
                    if (unchanged(at, tag)) {
                        throw memory.corrupt(RECEIVE, "the record of message " + sequence + " has length " + length
                                + " (max message length " + maxLength + ")");
                    }
                    lapped(sequence);
                    continue;
                }
                if (length > destination.byteSize() - offset) {
                    if (unchanged(at, tag)) {
                        throw new IllegalArgumentException("message " + sequence + " of length=" + length
                                + " does not fit the destination's " + (destination.byteSize() - offset)
                                + " bytes from offset=" + offset + "; it stays to be received");
                    }
                    lapped(sequence);
                    continue;
                }
                MemorySegment.copy(records, at + RECORD_HEADER_LENGTH, destination, offset, length);
                if (!unchanged(at, tag)) {
                    lapped(sequence); // overwritten while we copied: what we have is torn
                    continue;
                }
                deliver(sequence, type, length);
                return length;
            }
            if (tag >>> 1 <= sequence) {
                return NOTHING; // an older message, or this one being written
            }
            lapped(sequence);
        }
    }

    private boolean unchanged(long at, long tag) {
        VarHandle.loadLoadFence();
        return (long) LONG.getOpaque(records, at) == tag;
    }

    /**
     * The record for {@code sequence} holds a later message, or was overwritten while we read it:
     * the publisher lapped us. Continue at the oldest message that can still be there, counting the
     * ones passed over as lost.
     */
    private void lapped(long sequence) {
        long tail = memory.tailVolatile();
        if (tail <= sequence) {
            long tag = (long) LONG.getAcquire(records, memory.recordOffset(sequence));
            throw memory.corrupt(RECEIVE, "the record of message " + sequence + " has tag " + tag
                    + " (message " + (tag >>> 1) + "), beyond the tail " + tail);
        }
        // the oldest message that can still be whole: the one the publisher overwrites next; if it is
        // being overwritten now, the next look finds that and comes back here
        long resume = Math.max(sequence + 1, tail - capacity);
        long skipped = resume - sequence;
        lost += skipped;
        pendingLost += skipped;
        long from = cursor;
        cursor = resume;
        LONG.setOpaque(body, slot + SUB_LOST_OFFSET, lost);
        publishCursor(from);
    }

    private void deliver(long sequence, int type, int length) {
        header.set(sequence, type, length, pendingLost);
        pendingLost = 0;
        received++;
        cursor = sequence + 1;
        LONG.setOpaque(body, slot + SUB_RECEIVED_OFFSET, received);
        publishCursor(sequence);
    }

    /** Under BLOCK the publisher may wait for this cursor: a full fence, then a look at its waiting word. */
    private void publishCursor(long from) {
        if (block) {
            LONG.setVolatile(body, slot + SUB_CURSOR_OFFSET, cursor);
            memory.signalSpace(from, cursor);
        } else {
            LONG.setRelease(body, slot + SUB_CURSOR_OFFSET, cursor);
        }
    }

    /**
     * {@return whether the publisher has gone} Looked at when a publisher left since the last look,
     * and otherwise at most every 10 ms: liveness costs a /proc read.
     */
    private boolean publisherGone(long now) {
        int left = memory.publishersLeft();
        int ever = memory.publishersEver();
        if (left == publishersLeftSeen && ever == publishersEverSeen && now - lastGoneCheck < GONE_CHECK_NANOS
                && lastGoneCheck != 0) {
            return goneSeen;
        }
        publishersLeftSeen = left;
        publishersEverSeen = ever;
        lastGoneCheck = now;
        goneSeen = !memory.publisherAlive() && (publisherAtJoin || ever > publishersEverAtJoin);
        return goneSeen;
    }

    /** The publisher has gone: what it sent before it went is visible now; take that, or say closed. */
    private int afterGone(MemorySegment destination, long offset) {
        int length = take(destination, offset);
        return length != NOTHING ? length : CLOSED;
    }

    private int receiveWaiting(MemorySegment destination, long offset, long timeoutNanos) throws InterruptedException {
        int length = take(destination, offset);
        if (length != NOTHING) {
            return length;
        }
        long start = System.nanoTime();
        if (publisherGone(start)) {
            return afterGone(destination, offset);
        }
        if (timeoutNanos <= 0) {
            return EMPTY;
        }
        long deadline = Timeouts.deadline(start, timeoutNanos);
        waiting = true;
        try {
            int steps = 0;
            while (true) {
                ensureOpen();
                length = take(destination, offset);
                if (length != NOTHING) {
                    return length;
                }
                if ((++steps & 63) != 0) {
                    Thread.onSpinWait(); // most spinning steps skip the clock
                    continue;
                }
                long now = System.nanoTime();
                if (publisherGone(now)) {
                    return afterGone(destination, offset);
                }
                if (Timeouts.passed(deadline, now)) {
                    return EMPTY;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (now - start >= SPIN_NANOS) {
                    sleep(Math.min(Timeouts.remaining(deadline, now), SLICE_NANOS));
                    steps = 0;
                }
            }
        } finally {
            waiting = false;
        }
    }

    /**
     * Sleeps on the data signal: counted among the waiters, marked in the slot, the wake-needed word
     * set (a full fence), a last look at the record and at the publishers-left count, then the
     * futex wait on the value read before; see {@link BroadcastDescriptor}, "Sleepers".
     */
    private void sleep(long nanos) throws InterruptedException {
        int seen = memory.dataSignal.value();
        INT.getAndAdd(body, (long) SUBSCRIBERS_WAITING_OFFSET, 1);
        INT.setVolatile(body, slot + SUB_SLEEPING_OFFSET, 1);
        INT.setVolatile(body, (long) WAKE_NEEDED_OFFSET, 1);
        try {
            if (!closed && !ready()) {
                sleeps++;
                LONG.setOpaque(body, slot + SUB_SLEEPS_OFFSET, sleeps);
                memory.dataSignal.waitNanos(seen, nanos);
            }
        } finally {
            INT.setVolatile(body, slot + SUB_SLEEPING_OFFSET, 0);
            INT.getAndAdd(body, (long) SUBSCRIBERS_WAITING_OFFSET, -1);
        }
    }

    /** {@return whether there is something to do instead of sleeping: a record at the cursor, or a publisher that left} */
    private boolean ready() {
        long tag = (long) LONG.getAcquire(records, memory.recordOffset(cursor));
        return tag == tag(cursor) || tag >>> 1 > cursor || memory.publishersLeft() != publishersLeftSeen;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("subscriber " + id + " of broadcast " + memory.name + " is closed");
        }
    }

    /** Refuses a receive when closed, or from inside its own handler, whose message a receive would overwrite. */
    private void ensureReceivable() {
        ensureOpen();
        checkNotHandling("receive");
    }

    private void checkNotHandling(String action) {
        if (handling == Thread.currentThread()) {
            throw new IllegalStateException("subscriber " + id + " of broadcast " + memory.name + " cannot " + action
                    + " from inside its own handler: return from the handler first");
        }
    }

    /**
     * Leaves the broadcast: the slot is freed, and under {@link SlowSubscriberPolicy#BLOCK} the
     * publisher no longer waits for this subscriber. A thread of this process waiting in a receive
     * wakes and throws {@link IllegalStateException}; the call returns once it has left. Calling it
     * again does nothing.
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
        long end = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (waiting && System.nanoTime() - end < 0) {
            memory.dataSignal.getAndAdd(1);
            memory.dataSignal.wakeAll();
            LockSupport.parkNanos(100_000L);
        }
        memory.leave(id);
        broadcast.forget(this);
    }

    @Override
    public String toString() {
        return "Subscriber[" + memory.name + ", slot " + id + ", next " + cursor + ", received " + received
                + ", lost " + lost + "]";
    }
}
