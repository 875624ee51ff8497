package org.panamaipc.broadcast;

import org.panamaipc.MessageTooLongException;
import org.panamaipc.Outcome;
import org.panamaipc.internal.Timeouts;

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
 * The one publisher of a {@link Broadcast}: every message it sends is seen by every subscriber
 * joined at the time. A broadcast has at most one live publisher; when it closes or dies, another
 * may attach and continues the sequence numbers. A publisher is used by one thread at a time.
 *
 * <p>Sending comes in three forms: {@code trySend} returns at once, {@code send} waits as long as
 * it takes, {@code send(..., Duration)} waits at most that long. Each returns the message's
 * sequence number ({@code >= 1}), or {@link #FULL} when there was no room, now or within the
 * timeout. There is room unless the broadcast is {@link SlowSubscriberPolicy#BLOCK} and a live
 * subscriber has not yet read the message the new one would overwrite, a whole ring behind; under
 * {@link SlowSubscriberPolicy#LOSSY} every send succeeds at once and the forms do the same. A
 * publisher never returns {@code CLOSED}: with no subscriber a message goes to nobody, as a radio
 * broadcast does (a subscriber sees only what is sent after it joined).
 *
 * {@snippet lang=java :
 * try (Broadcast prices = Broadcast.create("/prices", BroadcastOptions.of(SlowSubscriberPolicy.BLOCK));
 *      Publisher publisher = prices.publisher()) {
 *     long sequence = publisher.send(QUOTE, "EURUSD 1.0842".getBytes(StandardCharsets.US_ASCII));
 * }
 * }
 *
 * <p>A subscriber that dies holds the publisher back until the next liveness check, which a
 * waiting send makes every {@link #LIVENESS_CHECK_INTERVAL} (and a try form on finding no room,
 * at most that often): its slot is retired then, by its pid and start time, so a pid that was
 * reused does not keep it. A timeout of zero or less does not wait; one too long to count in
 * nanoseconds waits as long as it takes. A {@code null} argument is a
 * {@link NullPointerException} naming the parameter.
 */
public final class Publisher implements AutoCloseable {

    /** No room for the message, now or within the timeout (only under {@link SlowSubscriberPolicy#BLOCK}). */
    public static final long FULL = Outcome.FULL;

    /** How often a publisher held back checks whether the subscribers holding it are alive. */
    public static final Duration LIVENESS_CHECK_INTERVAL = Duration.ofMillis(10);

    private static final long LIVENESS_NANOS = LIVENESS_CHECK_INTERVAL.toNanos();
    private static final long SPIN_NANOS = 20_000L;
    private static final long CLOSE_WAIT_NANOS = 5_000_000_000L;
    /** The most room a sleeping publisher waits for before a subscriber wakes it. */
    private static final long WAKE_BATCH = 256;
    private static final String SEND = "send to broadcast";

    private final Broadcast broadcast;
    private final BroadcastMemory memory;
    private final MemorySegment records;
    private final MemorySegment body;
    private final long capacity;
    private final int slotLength;
    private final int maxLength;
    private final boolean block;

    private long next;
    /** The last sequence that may be written without looking at the cursors again (BLOCK). */
    private long limit;
    private long timesFull;
    private long lastLivenessCheck;
    private volatile boolean closed;
    private volatile boolean waiting;

    Publisher(Broadcast broadcast, BroadcastMemory memory) {
        this.broadcast = broadcast;
        this.memory = memory;
        this.records = memory.records;
        this.body = memory.body;
        this.capacity = memory.capacity;
        this.slotLength = memory.slotLength;
        this.maxLength = memory.maxMessageLength;
        this.block = memory.policy == SlowSubscriberPolicy.BLOCK;
        this.next = memory.attachPublisher();
        this.limit = next - 1;
    }

    /** {@return the longest payload the broadcast takes} */
    public int maxMessageLength() {
        return maxLength;
    }

    /** {@return the sequence number the next message will have} */
    public long nextSequence() {
        return next;
    }

    /** {@return how many times a send found no room (BLOCK)} */
    public long timesFull() {
        return timesFull;
    }

    /**
     * Sends {@code length} bytes of {@code source} from {@code offset} as a message of {@code type}
     * if there is room now. {@return the sequence number, or {@link #FULL}}
     *
     * @throws IllegalArgumentException if {@code length} or {@code offset} is negative; nothing was sent
     * @throws MessageTooLongException if {@code length} exceeds {@link #maxMessageLength()}; nothing was sent
     * @throws IndexOutOfBoundsException if the bytes are not all in {@code source}
     * @throws IllegalStateException if the publisher is closed
     */
    public long trySend(int type, MemorySegment source, long offset, int length) {
        check(source, offset, length);
        long sequence = next;
        if (block && sequence > limit && !roomOrDeadHolder(sequence)) {
            timesFull++;
            LONG.setOpaque(body, (long) PUBLISHER_FULL_OFFSET, timesFull);
            return FULL;
        }
        write(sequence, type, source, offset, length);
        return sequence;
    }

    /**
     * Sends as {@link #trySend(int, MemorySegment, long, int)}, waiting for room as long as it
     * takes. {@return the sequence number}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the publisher is closed, also by another thread while this one waits
     */
    public long send(int type, MemorySegment source, long offset, int length) throws InterruptedException {
        return sendWaiting(type, source, offset, length, Timeouts.FOREVER);
    }

    /**
     * Sends, waiting at most {@code timeout} for room. {@return the sequence number, or {@link #FULL}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the publisher is closed, also by another thread while this one waits
     */
    public long send(int type, MemorySegment source, long offset, int length, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(source, "source");
        return sendWaiting(type, source, offset, length, Timeouts.toNanos(timeout));
    }

    /** As {@link #trySend(int, MemorySegment, long, int)} for the whole array. */
    public long trySend(int type, byte[] message) {
        Objects.requireNonNull(message, "message");
        return trySend(type, MemorySegment.ofArray(message), 0, message.length);
    }

    /** As {@link #send(int, MemorySegment, long, int)} for the whole array. */
    public long send(int type, byte[] message) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        return send(type, MemorySegment.ofArray(message), 0, message.length);
    }

    /** As {@link #send(int, MemorySegment, long, int, Duration)} for the whole array. */
    public long send(int type, byte[] message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        return send(type, MemorySegment.ofArray(message), 0, message.length, timeout);
    }

    /**
     * As {@link #trySend(int, MemorySegment, long, int)} for the buffer's remaining bytes; its
     * position moves past them if the message went, and is unchanged otherwise.
     */
    public long trySend(int type, ByteBuffer message) {
        Objects.requireNonNull(message, "message");
        return consumed(message, trySend(type, MemorySegment.ofBuffer(message), 0, message.remaining()));
    }

    /** As {@link #send(int, MemorySegment, long, int)} for the buffer's remaining bytes, moving its position past them. */
    public long send(int type, ByteBuffer message) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        return consumed(message, send(type, MemorySegment.ofBuffer(message), 0, message.remaining()));
    }

    /**
     * As {@link #send(int, MemorySegment, long, int, Duration)} for the buffer's remaining bytes;
     * its position moves past them if the message went, and is unchanged otherwise.
     */
    public long send(int type, ByteBuffer message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        return consumed(message, send(type, MemorySegment.ofBuffer(message), 0, message.remaining(), timeout));
    }

    private static long consumed(ByteBuffer message, long result) {
        if (result >= 0) {
            message.position(message.limit());
        }
        return result;
    }

    private void check(MemorySegment source, long offset, int length) {
        Objects.requireNonNull(source, "source");
        ensureOpen();
        if (length < 0) {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
        if (length > maxLength) {
            throw new MessageTooLongException(SEND, memory.name, length, maxLength);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset=" + offset + " must not be negative");
        }
        Objects.checkFromIndexSize(offset, length, source.byteSize());
    }

    /**
     * Writes message {@code sequence}: the tag marked as being written, then (ordered after it)
     * the header and the payload, then the tag, then the tail with a full fence, then a wake-up if
     * a subscriber sleeps. See {@link BroadcastDescriptor}, "Publishing".
     */
    private void write(long sequence, int type, MemorySegment source, long offset, int length) {
        long at = memory.recordOffset(sequence);
        LONG.setOpaque(records, at, tag(sequence) | WRITING);
        VarHandle.storeStoreFence();
        records.set(ValueLayout.JAVA_LONG_UNALIGNED, at + RECORD_LENGTH_OFFSET,
                (length & 0xFFFF_FFFFL) | ((long) type << 32));
        MemorySegment.copy(source, offset, records, at + RECORD_HEADER_LENGTH, length);
        LONG.setRelease(records, at, tag(sequence));
        next = sequence + 1;
        LONG.setVolatile(body, (long) TAIL_OFFSET, next);
        memory.signalData();
    }

    /**
     * Looks at the cursors of the joined subscribers (after a full fence: see "Joining" in
     * {@link BroadcastDescriptor}) and {@return whether {@code sequence} may be written now}
     */
    private boolean roomFor(long sequence) {
        VarHandle.fullFence();
        long lowest = next;
        int inUse = memory.slotsInUse();
        for (int id = 0; id < inUse; id++) {
            if (memory.slotState(id) == ACTIVE) {
                long cursor = memory.cursor(id);
                if (cursor > next) {
                    throw memory.corrupt("send to broadcast", "subscriber " + id + " has cursor " + cursor
                            + ", beyond the tail " + next);
                }
                lowest = Math.min(lowest, cursor);
            }
        }
        limit = lowest + capacity - 1;
        return sequence <= limit;
    }

    /**
     * {@return whether {@code sequence} may be written now} Looks at the cursors, and if they
     * hold it back and the last liveness check is {@link #LIVENESS_CHECK_INTERVAL} old, retires
     * the dead subscribers among those holding it and looks again.
     */
    private boolean roomOrDeadHolder(long sequence) {
        if (roomFor(sequence)) {
            return true;
        }
        long now = System.nanoTime();
        if (now - lastLivenessCheck < LIVENESS_NANOS) {
            return false;
        }
        lastLivenessCheck = now;
        return retireDeadHolders(sequence) && roomFor(sequence);
    }

    /**
     * Retires the subscribers that hold message {@code sequence} back and are dead. {@return
     * whether it retired one}
     */
    private boolean retireDeadHolders(long sequence) {
        boolean retired = false;
        int inUse = memory.slotsInUse();
        for (int id = 0; id < inUse; id++) {
            if (memory.slotState(id) == ACTIVE && memory.cursor(id) <= sequence - capacity) {
                if (!memory.slotOwner(id).isAlive() && memory.retireIfDead(id)) {
                    retired = true;
                }
            }
        }
        return retired;
    }

    private long sendWaiting(int type, MemorySegment source, long offset, int length, long timeoutNanos)
            throws InterruptedException {
        long sent = trySend(type, source, offset, length);
        if (sent != FULL) {
            return sent;
        }
        if (timeoutNanos <= 0) {
            return FULL;
        }
        long start = System.nanoTime();
        long deadline = Timeouts.deadline(start, timeoutNanos);
        waiting = true;
        try {
            while (true) {
                ensureOpen();
                long sequence = next;
                if (sequence <= limit || roomFor(sequence)) {
                    write(sequence, type, source, offset, length);
                    return sequence;
                }
                long now = System.nanoTime();
                if (Timeouts.passed(deadline, now)) {
                    return FULL;
                }
                if (now - lastLivenessCheck >= LIVENESS_NANOS && roomOrDeadHolder(sequence)) {
                    continue;
                }
                if (now - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                sleep(sequence, Math.min(Timeouts.remaining(deadline, now), LIVENESS_NANOS));
            }
        } finally {
            waiting = false;
        }
    }

    /**
     * Sleeps on the space signal, at most {@code nanos}, until the subscriber holding {@code sequence}
     * back has made room for a quarter of the ring (at most {@link #WAKE_BATCH}) past it, or a
     * subscriber leaves.
     */
    private void sleep(long sequence, long nanos) throws InterruptedException {
        int seen = memory.spaceSignal.value();
        long needed = sequence - capacity + 1;
        LONG.setVolatile(body, (long) PUBLISHER_WAKE_AT_OFFSET, needed + Math.min(capacity / 4, WAKE_BATCH));
        INT.setVolatile(body, (long) PUBLISHER_WAITING_OFFSET, 1);
        try {
            if (!closed && !roomFor(sequence)) {
                memory.spaceSignal.waitNanos(seen, nanos);
            }
        } finally {
            INT.setVolatile(body, (long) PUBLISHER_WAITING_OFFSET, 0);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("publisher of broadcast " + memory.name + " is closed");
        }
    }

    /**
     * Detaches the publisher. Its subscribers receive what it sent, then learn that it has gone. A
     * thread of this process waiting in a send wakes and throws {@link IllegalStateException}; the
     * call returns once it has left. Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long end = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (waiting && System.nanoTime() - end < 0) {
            memory.spaceSignal.getAndAdd(1);
            memory.spaceSignal.wakeAll();
            LockSupport.parkNanos(100_000L);
        }
        memory.detachPublisher();
        broadcast.forget(this);
    }

    @Override
    public String toString() {
        return "Publisher[" + memory.name + ", " + memory.policy + ", next sequence " + next + "]";
    }
}
