package org.panamaipc.channel;

import org.panamaipc.MessageTooLongException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * What both kinds of sender share: the claim (room taken, nothing written), commit and abort (the
 * header, then the tag written, then the claim published by the kind), the waiting claim, and every
 * copying send built on them. How room is taken is the kind's: {@link SoleSender} keeps the tail
 * itself, {@link ConcurrentSender} takes it with a compare-and-set.
 */
abstract sealed class SenderEndpoint extends Endpoint implements Sender permits SoleSender, ConcurrentSender {

    static final long NO_CLAIM = -1;
    /** The longest a sender asleep on a full ring sleeps before it looks again by itself. */
    private static final long SLEEP_SLICE_NANOS = 10_000_000L;
    static final String SEND = "send to channel";
    static final String CLAIM = "claim room in channel";

    /** The sequence number of the next message. */
    long sequence = 1;
    /** The head as last read: room is known to be there up to it plus the capacity. */
    long headCache;
    long claimPosition = NO_CLAIM;
    long claimIndex = NO_CLAIM;
    /** The message type and length of the open claim: its header is written when it is committed or aborted. */
    private int claimType;
    private int claimLength;
    /** The size of the record a claim found no room for: the last look before sleeping checks it. */
    private long pendingSize;
    private long fullEvents;

    SenderEndpoint(ChannelMemory memory, WaitStrategy strategy, RingChannel channel) {
        super(memory, strategy, ROLE_SENDER, channel);
        this.headCache = memory.headVolatile();
    }

    // what a kind supplies

    /**
     * Takes room for a record of {@code size} bytes (after padding, written at once, if the record
     * does not fit before the ring's end). {@return the record's position, or -1 if there is no room}
     */
    abstract long reserve(long size);

    /** Publishes the claim whose tag was just written: the tail for a sole sender, the claim's end for the others. */
    abstract void published();

    /** {@return the position a claim would start at now} */
    abstract long nextPosition();

    /**
     * Takes room, in one piece, for as many of the records of {@code messages[from, from + count)}
     * as there is room for now (at least the first, else nothing), with {@link #span}: the first
     * after padding (written at once) if it does not fit before the ring's end, the others after
     * it up to the lap's end. {@return the first record's position, or -1 if there is no room for
     * it}; {@link #spanRecords} and {@link #spanEnd} say how many and where they end.
     */
    abstract long reserveSpan(MemorySegment[] messages, int from, int count);

    /**
     * Publishes a span whose records' tags were all written: nothing for a sole sender (its tail
     * is published once, by {@link #batchPublished()}), the claim withdrawn for the others.
     */
    abstract void spanPublished();

    /** Publishes a batch whose spans were all published by {@link #spanPublished()}. */
    abstract void batchPublished();

    /** The most records one span holds: their lengths are kept in {@link #spanLengths}. */
    static final int MAX_SPAN_RECORDS = 256;
    /** The payload lengths of the records of the last span, taken once from the messages. */
    final int[] spanLengths = new int[MAX_SPAN_RECORDS];
    /** How many records the last span holds. */
    int spanRecords;
    /** Where the last span ends: the position after its last record. */
    long spanEnd;

    /**
     * Sizes a span of the records of {@code messages[from, from + count)} at {@code position} (see
     * {@link #reserveSpan}) with the room the head last read leaves, reading the head again if
     * that leaves out records the lap would hold. {@return where its first record starts (after
     * padding, if any), or -1 if there is no room for the first}; sets {@link #spanRecords},
     * {@link #spanLengths} and {@link #spanEnd}. Nothing is written. The span stays within one
     * lap and within {@link DeadSenders#MAX_SKIP} bytes, so that one skip record can cover what
     * is left of it.
     */
    final long span(long position, MemorySegment[] messages, int from, int count) {
        int firstLength = (int) messages[from].byteSize();
        long first = recordLength((long) firstLength);
        long index = position & mask;
        long start = index + first > capacity ? position + capacity - index : position;
        if (start + first - headCache > capacity) {
            headCache = memory.headVolatile();
            if (start + first - headCache > capacity) {
                return -1;
            }
        }
        long lapRest = capacity - (start & mask);
        long limit = Math.min(Math.min(headCache + capacity - start, lapRest), DeadSenders.MAX_SKIP);
        int most = Math.min(count, MAX_SPAN_RECORDS);
        spanLengths[0] = firstLength;
        long size = first;
        boolean headRead = false;
        int n = 1;
        while (n < most) {
            int length = (int) messages[from + n].byteSize();
            long next = size + recordLength((long) length);
            if (next > limit) {
                if (headRead || next > lapRest) {
                    break;
                }
                // the head last read leaves it out: read the head again, once
                headRead = true;
                headCache = memory.headVolatile();
                limit = Math.min(Math.min(headCache + capacity - start, lapRest), DeadSenders.MAX_SKIP);
                if (next > limit) {
                    break;
                }
            }
            spanLengths[n++] = length;
            size = next;
        }
        spanRecords = n;
        spanEnd = start + size;
        return start;
    }

    /**
     * The common case of a copying send, kept short for the JIT: {@return the sequence number, or
     * {@link #FULL} for "take the general path"}, which also handles every error. None by default.
     */
    long sendFast(int type, MemorySegment source, long offset, int length) {
        return FULL;
    }

    @Override
    public int maxMessageLength() {
        return maxLength;
    }

    @Override
    public MemorySegment buffer() {
        return records;
    }

    // what the wait loop asks

    @Override
    final int leftCount() {
        return memory.receiversLeft();
    }

    @Override
    final boolean lookAtPeers(long now) {
        return memory.endpoints.gone(peers);
    }

    /** Ready to retry: the pending record now fits, or a receiver left (perhaps the last). */
    @Override
    final boolean readyToRetry() {
        long position = nextPosition();
        long index = position & mask;
        long pad = index + pendingSize > capacity ? capacity - index : 0;
        return position + pad + pendingSize - memory.headVolatile() <= capacity || peerLeftSinceCheck();
    }

    @Override
    final long sleepSliceNanos() {
        return SLEEP_SLICE_NANOS;
    }

    // claiming

    @Override
    public final long tryClaim(int type, int length) {
        long result = claimNow(type, length, CLAIM);
        return result == FULL ? noRoom() : result;
    }

    @Override
    public final long claim(int type, int length) throws InterruptedException {
        long index = claimWaiting(type, length, Timeouts.FOREVER, CLAIM);
        if (index == CLOSED) {
            throw peerGone(CLAIM);
        }
        return index;
    }

    @Override
    public final long claim(int type, int length, Duration timeout) throws InterruptedException {
        return claimWaiting(type, length, Timeouts.toNanos(timeout), CLAIM);
    }

    /** Claims if there is room now: {@return the payload's index, or {@link #FULL}} */
    final long claimNow(int type, int length, String action) {
        ensureOpen();
        if (claimPosition != NO_CLAIM) {
            throw new IllegalStateException("a claim is open at index " + claimIndex + "; commit or abort it first");
        }
        checkLength(length, action);
        long size = recordLength((long) length); // 64-bit: a length near Integer.MAX_VALUE must not wrap
        long position = reserve(size);
        if (position < 0) {
            pendingSize = size;
            return FULL;
        }
        // the header waits for the commit (or abort), to be stored just before the tag: stored
        // now, it would hand the line a receiver spins on to the receiver and back again while
        // the payload is written (a round trip of 1 KiB records took 1.1x as long)
        claimPosition = position;
        claimIndex = (position & mask) + HEADER_LENGTH;
        claimType = type;
        claimLength = length;
        return claimIndex;
    }

    final void checkLength(int length, String action) {
        if (length < 0) {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
        if (length > maxLength) {
            throw new MessageTooLongException(action, memory.name, length, maxLength);
        }
    }

    /** After a claim found no room: counts it, and {@return {@link #CLOSED} if the receivers have gone, else {@link #FULL}} */
    private long noRoom() {
        fullEvents++;
        LONG.setOpaque(body, slot + EP_WAITS_OFFSET, fullEvents);
        return peersGone(System.nanoTime()) ? CLOSED : FULL;
    }

    /** Claims, waiting at most {@code timeoutNanos}: {@return the index, {@link #FULL} or {@link #CLOSED}} */
    final long claimWaiting(int type, int length, long timeoutNanos, String action) throws InterruptedException {
        long result = claimNow(type, length, action);
        if (result != FULL) {
            return result;
        }
        if (timeoutNanos <= 0) {
            return noRoom();
        }
        fullEvents++;
        LONG.setOpaque(body, slot + EP_WAITS_OFFSET, fullEvents);
        wait.begin(timeoutNanos);
        try {
            while (true) {
                int step = wait.step();
                if (step == WaitLoop.TIMED_OUT) {
                    return peersGone(System.nanoTime()) ? CLOSED : FULL;
                }
                if (step == WaitLoop.GONE) {
                    return CLOSED;
                }
                result = claimNow(type, length, action);
                if (result != FULL) {
                    return result;
                }
            }
        } finally {
            wait.end();
        }
    }

    final PeerGoneException peerGone(String action) {
        return new PeerGoneException(action, memory.name, "it is full and its receivers have all gone (closed or died)");
    }

    @Override
    public final long commit(long index) {
        ensureOpen();
        return commitClaim(index);
    }

    /** Commits the open claim at {@code index}; for this class's own sends, which checked that it is open. */
    private long commitClaim(long index) {
        checkClaim(index);
        long position = claimPosition;
        RecordWrites.header(records, position & mask, claimType, claimLength, id, sequence);
        RecordWrites.publish(records, position & mask, tag(position, COMMITTED));
        endClaim();
        long committed = sequence++;
        memory.signalData();
        return committed;
    }

    @Override
    public final void abort(long index) {
        ensureOpen();
        abortClaim(index);
    }

    /** Aborts the open claim at {@code index}; also while closing, when {@link #abort} would refuse. */
    private void abortClaim(long index) {
        checkClaim(index);
        long position = claimPosition;
        RecordWrites.header(records, position & mask, claimType, claimLength, id, sequence);
        RecordWrites.publish(records, position & mask, tag(position, SKIP));
        endClaim();
        memory.signalData();
    }

    private void endClaim() {
        published();
        claimPosition = NO_CLAIM;
        claimIndex = NO_CLAIM;
    }

    private void checkClaim(long index) {
        if (claimPosition == NO_CLAIM || index != claimIndex) {
            throw new IllegalStateException("index=" + index + " is not the open claim"
                    + (claimPosition == NO_CLAIM ? " (none is open)" : " (that is at " + claimIndex + ")"));
        }
    }

    // copying sends

    @Override
    public final long trySend(int type, MemorySegment source, long offset, int length) {
        Objects.requireNonNull(source, "source");
        checkOffset(offset);
        long sent = sendFast(type, source, offset, length);
        if (sent != FULL) {
            return sent;
        }
        long index = claimNow(type, length, SEND);
        if (index == FULL) {
            return noRoom();
        }
        return copyAndCommit(source, offset, length, index);
    }

    @Override
    public final long send(int type, MemorySegment source, long offset, int length) throws InterruptedException {
        Objects.requireNonNull(source, "source");
        checkOffset(offset);
        long sent = sendFast(type, source, offset, length);
        if (sent != FULL) {
            return sent;
        }
        long index = claimWaiting(type, length, Timeouts.FOREVER, SEND);
        if (index == CLOSED) {
            throw peerGone(SEND);
        }
        return copyAndCommit(source, offset, length, index);
    }

    @Override
    public final long send(int type, MemorySegment source, long offset, int length, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(source, "source");
        checkOffset(offset);
        long timeoutNanos = Timeouts.toNanos(timeout);
        long sent = sendFast(type, source, offset, length);
        if (sent != FULL) {
            return sent;
        }
        long index = claimWaiting(type, length, timeoutNanos, SEND);
        return index < 0 ? index : copyAndCommit(source, offset, length, index);
    }

    /** Copies the payload into the claim and commits it; a source that throws aborts the claim. */
    private long copyAndCommit(MemorySegment source, long offset, int length, long index) {
        try {
            RecordWrites.payload(source, offset, records, index - HEADER_LENGTH, length);
        } catch (RuntimeException e) {
            abortClaim(index);
            throw e;
        }
        return commitClaim(index);
    }

    @Override
    public final long trySend(int type, byte[] message) {
        Objects.requireNonNull(message, "message");
        long index = claimNow(type, message.length, SEND);
        if (index == FULL) {
            return noRoom();
        }
        RecordWrites.payload(message, records, index - HEADER_LENGTH);
        return commitClaim(index);
    }

    @Override
    public final long send(int type, byte[] message) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        return send(type, MemorySegment.ofArray(message), 0, message.length);
    }

    @Override
    public final long send(int type, byte[] message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        return send(type, MemorySegment.ofArray(message), 0, message.length, timeout);
    }

    @Override
    public final long trySend(int type, ByteBuffer message) {
        Objects.requireNonNull(message, "message");
        return consumed(message, trySend(type, MemorySegment.ofBuffer(message), 0, message.remaining()));
    }

    @Override
    public final long send(int type, ByteBuffer message) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        return consumed(message, send(type, MemorySegment.ofBuffer(message), 0, message.remaining()));
    }

    @Override
    public final long send(int type, ByteBuffer message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        return consumed(message, send(type, MemorySegment.ofBuffer(message), 0, message.remaining(), timeout));
    }

    /** Moves the buffer's position past what was sent, if anything was: {@return {@code result}} */
    private static long consumed(ByteBuffer message, long result) {
        if (result >= 0) {
            message.position(message.limit());
        }
        return result;
    }

    // batches

    @Override
    public final long trySend(int type, MemorySegment[] messages, int offset, int count) {
        checkBatch(messages, offset, count);
        int sent = sendBatchNow(type, messages, offset, count);
        return sent > 0 ? sent : noRoom();
    }

    @Override
    public final long send(int type, MemorySegment[] messages, int offset, int count) throws InterruptedException {
        checkBatch(messages, offset, count);
        long sent = sendBatchWaiting(type, messages, offset, count, Timeouts.FOREVER);
        if (sent == CLOSED) {
            throw peerGone(SEND);
        }
        return sent;
    }

    @Override
    public final long send(int type, MemorySegment[] messages, int offset, int count, Duration timeout)
            throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        checkBatch(messages, offset, count);
        return sendBatchWaiting(type, messages, offset, count, timeoutNanos);
    }

    /** Checks a batch whole, before anything of it is sent. */
    private void checkBatch(MemorySegment[] messages, int offset, int count) {
        Objects.requireNonNull(messages, "messages");
        if (count <= 0) {
            throw new IllegalArgumentException("count=" + count + " must be positive");
        }
        Objects.checkFromIndexSize(offset, count, messages.length);
        ensureOpen();
        if (claimPosition != NO_CLAIM) {
            throw new IllegalStateException("a claim is open at index " + claimIndex + "; commit or abort it first");
        }
        for (int i = offset; i < offset + count; i++) {
            MemorySegment message = messages[i];
            if (message == null) {
                throw new NullPointerException("messages[" + i + "]");
            }
            if (message.byteSize() > maxLength) {
                throw new MessageTooLongException(SEND, memory.name, message.byteSize(), maxLength);
            }
        }
    }

    /** Waits at most {@code timeoutNanos} for room for the first message: {@return how many went, {@link #FULL} or {@link #CLOSED}} */
    private long sendBatchWaiting(int type, MemorySegment[] messages, int offset, int count, long timeoutNanos)
            throws InterruptedException {
        int sent = sendBatchNow(type, messages, offset, count);
        if (sent > 0) {
            return sent;
        }
        if (timeoutNanos <= 0) {
            return noRoom();
        }
        fullEvents++;
        LONG.setOpaque(body, slot + EP_WAITS_OFFSET, fullEvents);
        wait.begin(timeoutNanos);
        try {
            while (true) {
                int step = wait.step();
                if (step == WaitLoop.TIMED_OUT) {
                    return peersGone(System.nanoTime()) ? CLOSED : FULL;
                }
                if (step == WaitLoop.GONE) {
                    return CLOSED;
                }
                sent = sendBatchNow(type, messages, offset, count);
                if (sent > 0) {
                    return sent;
                }
            }
        } finally {
            wait.end();
        }
    }

    /**
     * Writes as many of the (checked) messages as there is room for now, in spans that each take
     * their room at once (one compare-and-set for many senders; see {@link #reserveSpan}), each
     * record's tag stored after the rest of it, then publishes the batch and wakes a sleeping
     * receiver once. A message whose source throws while being copied becomes a skip record over
     * the rest of its span; the messages before it are sent, and the exception reaches the caller.
     * {@return how many were sent}
     */
    private int sendBatchNow(int type, MemorySegment[] messages, int offset, int count) {
        ensureOpen();
        int sent = 0;
        boolean wrote = false;
        try {
            while (sent < count) {
                long position = reserveSpan(messages, offset + sent, count - sent);
                if (position < 0) {
                    pendingSize = recordLength(messages[offset + sent].byteSize());
                    break;
                }
                wrote = true;
                long end = spanEnd;
                int n = spanRecords;
                for (int k = 0; k < n; k++) {
                    int length = spanLengths[k]; // as sized: the caller's array may change meanwhile
                    long index = position & mask;
                    try {
                        RecordWrites.payload(messages[offset + sent], 0, records, index, length);
                    } catch (RuntimeException e) {
                        RecordWrites.header(records, index, type, (int) (end - position - HEADER_LENGTH), id, sequence);
                        RecordWrites.publish(records, index, tag(position, SKIP));
                        spanPublished();
                        throw e;
                    }
                    RecordWrites.header(records, index, type, length, id, sequence);
                    RecordWrites.publish(records, index, tag(position, COMMITTED));
                    position += recordLength((long) length);
                    sequence++;
                    sent++;
                }
                spanPublished();
            }
        } finally {
            if (wrote) {
                batchPublished();
                memory.signalData();
            }
        }
        return sent;
    }

    @Override
    final void beforeRetire() {
        if (claimPosition != NO_CLAIM) {
            abortClaim(claimIndex);
        }
        LONG.setOpaque(body, slot + EP_SEQUENCE_OFFSET, sequence);
    }
}
