package org.panamaipc.channel;

import org.panamaipc.PeerGoneException;
import org.panamaipc.internal.Timeouts;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.INT;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * A sender endpoint. The single-sender path (SPSC) keeps the tail in this object and publishes it
 * after each commit; the many-sender path claims with a compare-and-set on the shared tail after
 * publishing the claim in its endpoint slot (see {@link ChannelDescriptor}).
 */
final class RingSender implements Sender, ChannelMemoryWait.Ready {

    private static final long NO_CLAIM = -1;
    private static final long GONE_CHECK_NANOS = 10_000_000L;
    private static final long SLEEP_SLICE_NANOS = 10_000_000L;
    /** The first sleep's bound when {@link ChannelMemory#orderEveryThread()} was refused. */
    private static final long UNORDERED_SLEEP_NANOS = 1_000_000L;

    private final ChannelMemory memory;
    private final MemorySegment records;
    private final MemorySegment body;
    private final long mask;
    private final long capacity;
    private final int maxLength;
    private final boolean single;
    private final int id;
    private final long slot;
    private final Idler idler;
    private final ChannelMemory.Peers peers;

    private long tail;
    private long headCache;
    private long sequence = 1;
    private long fullEvents;
    private long claimPosition = NO_CLAIM;
    private long claimIndex = NO_CLAIM;
    private long pendingSize;
    private long lastGoneCheck;
    /** {@link ChannelMemory#receiversLeft()} at the last liveness check: a change calls for another. */
    private int receiversLeftSeen;
    private boolean unorderedSleep;
    private boolean closed;

    RingSender(ChannelMemory memory, WaitStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        this.memory = memory;
        this.records = memory.records;
        this.body = memory.body;
        this.mask = memory.mask;
        this.capacity = memory.capacity;
        this.maxLength = memory.maxMessageLength;
        this.single = !memory.type.manySenders();
        this.idler = new Idler(strategy);
        this.receiversLeftSeen = memory.receiversLeft();
        this.id = memory.register(ROLE_SENDER, strategy.mayBlock());
        this.unorderedSleep = strategy.mayBlock() && !ChannelMemory.orderEveryThread();
        this.peers = memory.peersAtAttach(ROLE_RECEIVER);
        this.slot = memory.slot(id);
        this.headCache = memory.headVolatile();
        if (single) {
            try {
                this.tail = recoverTail(memory.checkedPosition(memory.tailVolatile(), "tail", ATTACH));
            } catch (RuntimeException e) {
                memory.retire(id);
                throw e;
            }
        }
    }

    private static final String ATTACH = "attach a sender to channel";
    private static final String SEND = "send to channel";

    /**
     * A new single sender resumes where the last one committed: the published tail, moved past
     * records committed after it was last published (a sender that died between commit and publish).
     */
    private long recoverTail(long published) {
        long position = published;
        long limit = memory.headVolatile() + capacity;
        while (position < limit) {
            long tag = memory.tagAcquire(position);
            int state = (int) (tag & STATE_MASK);
            if ((tag & ~STATE_MASK) != position || state == 0) {
                break;
            }
            long index = position & mask;
            if (state == PADDING) {
                position += capacity - index;
            } else {
                if (index > capacity - HEADER_LENGTH) {
                    throw memory.corrupt(ATTACH, "record at position " + position + " starts " + (capacity - index)
                            + " bytes before the end of the ring, too few for its " + HEADER_LENGTH + "-byte header");
                }
                int length = records.get(ValueLayout.JAVA_INT, index + LENGTH_OFFSET);
                if (length < 0 || length > memory.maxMessageLength || index + recordLength((long) length) > capacity) {
                    throw memory.corrupt(ATTACH, "record at position " + position + " has length " + length
                            + " (max message length " + maxLength + ", capacity " + capacity + ")");
                }
                position += recordLength((long) length);
            }
        }
        LONG.setRelease(body, (long) TAIL_OFFSET, position);
        return position;
    }

    @Override
    public int endpointId() {
        return id;
    }

    @Override
    public int maxMessageLength() {
        return memory.maxMessageLength;
    }

    @Override
    public MemorySegment buffer() {
        return records;
    }

    // claiming

    /**
     * Writes the header of the record at {@code index}, all but the tag: length and type, then
     * source and the reserved word, then the sequence, one little-endian store each. Plain stores,
     * published by the release store of the tag; unaligned layouts, as records are 8-aligned by
     * construction, so FFM need not check it on every store.
     */
    private void writeHeader(long index, int type, int length) {
        records.set(ValueLayout.JAVA_LONG_UNALIGNED, index + LENGTH_OFFSET, (length & 0xFFFF_FFFFL) | ((long) type << 32));
        records.set(ValueLayout.JAVA_LONG_UNALIGNED, index + SOURCE_OFFSET, id & 0xFFFF_FFFFL);
        records.set(ValueLayout.JAVA_LONG_UNALIGNED, index + SEQUENCE_OFFSET, sequence);
    }


    @Override
    public long tryClaim(int type, int length) {
        long result = claim0(type, length);
        if (result == FULL) {
            fullEvents++;
            LONG.setOpaque(body, slot + EP_WAITS_OFFSET, fullEvents);
            return receiversGoneCheck();
        }
        return result;
    }

    private long claim0(int type, int length) {
        ensureOpen();
        if (claimPosition != NO_CLAIM) {
            throw new IllegalStateException("a claim is open at index " + claimIndex + "; commit or abort it first");
        }
        if (length < 0 || length > memory.maxMessageLength) {
            throw new IllegalArgumentException("message length=" + length + " exceeds maxMessageLength="
                    + memory.maxMessageLength + " of channel " + memory.name);
        }
        long size = recordLength((long) length); // 64-bit: a length near Integer.MAX_VALUE must not wrap
        long position = single ? claimSingle(size) : claimMany(size);
        if (position < 0) {
            pendingSize = size;
            return FULL;
        }
        long index = position & mask;
        writeHeader(index, type, length);
        claimPosition = position;
        claimIndex = index + HEADER_LENGTH;
        return claimIndex;
    }

    private long claimSingle(long size) {
        long position = tail;
        long index = position & mask;
        long pad = index + size > capacity ? capacity - index : 0;
        if (position + pad + size - headCache > capacity) {
            headCache = memory.headVolatile();
            if (position + pad + size - headCache > capacity) {
                return -1;
            }
        }
        if (pad > 0) {
            LONG.setRelease(records, index, tag(position, PADDING));
            position += pad;
        }
        tail = position + size;
        return position;
    }

    private long claimMany(long size) {
        while (true) {
            long position = memory.tailVolatile();
            if ((position & STATE_MASK) != 0) {
                LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, -1L); // no claim of ours stays behind
                memory.checkedPosition(position, "tail", SEND);
            }
            long index = position & mask;
            long pad = index + size > capacity ? capacity - index : 0;
            long end = position + pad + size;
            if (end - headCache > capacity) {
                headCache = memory.headVolatile();
                if (end - headCache > capacity) {
                    // withdraw a claim published by a lost compare-and-set: left in place, it would
                    // look like a live writer to a receiver repairing after a dead sender
                    LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, -1L);
                    return -1;
                }
            }
            // publish the claim before making it, so a receiver can tell it from a dead sender's
            body.set(ValueLayout.JAVA_LONG, slot + EP_CLAIM_END_OFFSET, end);
            LONG.setVolatile(body, slot + EP_CLAIM_START_OFFSET, position);
            if (LONG.compareAndSet(body, (long) TAIL_OFFSET, position, end)) {
                // mark the claim as won before anything else: a repair after our death then knows
                // it from a claim that lost at the same position
                body.set(ValueLayout.JAVA_LONG, slot + EP_CLAIM_END_OFFSET, end | CLAIM_WON);
                if (pad > 0) {
                    LONG.setRelease(records, index, tag(position, PADDING));
                }
                return position + pad;
            }
        }
    }

    @Override
    public long claim(int type, int length, Duration timeout) throws InterruptedException {
        return claimWaiting(type, length, Timeouts.toNanos(timeout));
    }

    private long claimWaiting(int type, int length, long timeoutNanos) throws InterruptedException {
        long result = claim0(type, length);
        if (result != FULL) {
            return result;
        }
        fullEvents++;
        LONG.setOpaque(body, slot + EP_WAITS_OFFSET, fullEvents);
        if (timeoutNanos <= 0) {
            return receiversGoneCheck();
        }
        long start = System.nanoTime();
        idler.reset();
        int steps = 0;
        while (true) {
            if (idler.spinsCheaply() && (++steps & Idler.CLOCK_EVERY_MASK) != 0) {
                Thread.onSpinWait(); // most spinning steps skip the clock: see RingReceiver.awaitStep
                result = claim0(type, length);
                if (result != FULL) {
                    return result;
                }
                continue;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long now = System.nanoTime();
            if (timeoutNanos != Timeouts.FOREVER && now - start - timeoutNanos >= 0) {
                return receiversGoneCheck();
            }
            if (receiversGone(now)) {
                return CLOSED;
            }
            if (idler.idle(now)) {
                long slice = unorderedSleep ? UNORDERED_SLEEP_NANOS : SLEEP_SLICE_NANOS;
                unorderedSleep = false;
                ChannelMemoryWait.sleep(memory.spaceSignal, body, SENDERS_WAITING_OFFSET, slot + EP_SLEEPING_OFFSET,
                        this, Math.min(Timeouts.remaining(Timeouts.deadline(start, timeoutNanos), now), slice));
            }
            result = claim0(type, length);
            if (result != FULL) {
                return result;
            }
        }
    }

    /** Ready to retry: the pending record now fits, or a receiver left (perhaps the last). */
    @Override
    public boolean ready() {
        long position = single ? tail : memory.tailVolatile();
        long index = position & mask;
        long pad = index + pendingSize > capacity ? capacity - index : 0;
        return position + pad + pendingSize - memory.headVolatile() <= capacity
                || memory.receiversLeft() != receiversLeftSeen;
    }

    private long receiversGoneCheck() {
        return receiversGone(System.nanoTime()) ? CLOSED : FULL;
    }

    /**
     * {@return whether every receiver has gone} Reading their liveness costs a /proc read each, so
     * it is done at most every {@link #GONE_CHECK_NANOS}, and at once when a receiver has left
     * since the last look (closed, or retired as dead).
     */
    private boolean receiversGone(long now) {
        int left = memory.receiversLeft();
        if (left == receiversLeftSeen && now - lastGoneCheck < GONE_CHECK_NANOS) {
            return false;
        }
        receiversLeftSeen = left;
        lastGoneCheck = now;
        return memory.gone(peers);
    }

    @Override
    public long commit(long index) {
        checkClaim(index);
        long position = claimPosition;
        LONG.setRelease(records, position & mask, tag(position, COMMITTED));
        publish();
        long committed = sequence++;
        memory.signalData();
        return committed;
    }

    @Override
    public void abort(long index) {
        checkClaim(index);
        long position = claimPosition;
        LONG.setRelease(records, position & mask, tag(position, SKIP));
        publish();
        memory.signalData();
    }

    private void publish() {
        if (single) {
            LONG.setRelease(body, (long) TAIL_OFFSET, tail);
        } else {
            LONG.setRelease(body, slot + EP_CLAIM_START_OFFSET, -1L);
        }
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
    public long trySend(int type, MemorySegment source, long offset, int length) {
        Objects.requireNonNull(source, "source");
        long sent = sendFast(type, source, offset, length);
        if (sent != FULL) {
            return sent;
        }
        long index = tryClaim(type, length);
        return index < 0 ? index : copyAndCommit(source, offset, length, index);
    }

    /**
     * The common case of a copying send, kept short so that the JIT compiles it into its caller:
     * one sender, no open claim, a valid length, and room before the end of the buffer by the head
     * last read. {@return the sequence number, or {@link #FULL} for "take the general path"}, which
     * also handles every error. The payload is copied before anything else is written, so a source
     * that throws leaves the ring as it was. (Split in two: C2 does not inline a hot method of more
     * than 325 bytes of bytecode, {@code -XX:FreqInlineSize}.)
     */
    private long sendFast(int type, MemorySegment source, long offset, int length) {
        long position = tail;
        long index = position & mask;
        long size = recordLength((long) length);
        if (!single || claimPosition != NO_CLAIM || closed || length < 0 || length > maxLength
                || index + size > capacity || position + size - headCache > capacity) {
            return FULL;
        }
        MemorySegment.copy(source, offset, records, index + HEADER_LENGTH, length);
        return publishFast(type, length, position, size);
    }

    /**
     * The rest of {@link #sendFast}: the header, the tag, the tail and the wake-up. A sender keeps
     * no message counters in shared memory (see {@link ChannelMemory#stats()}).
     */
    private long publishFast(int type, int length, long position, long size) {
        long index = position & mask;
        writeHeader(index, type, length);
        LONG.setRelease(records, index, tag(position, COMMITTED));
        tail = position + size;
        LONG.setRelease(body, (long) TAIL_OFFSET, position + size);
        memory.signalData();
        return sequence++;
    }

    @Override
    public long send(int type, MemorySegment source, long offset, int length) throws InterruptedException {
        Objects.requireNonNull(source, "source");
        long sent = sendFast(type, source, offset, length);
        if (sent != FULL) {
            return sent;
        }
        long index = claimWaiting(type, length, Timeouts.FOREVER);
        if (index == CLOSED) {
            throw new PeerGoneException("send to channel", memory.name,
                    "it is full and its receivers have all gone (closed or died)");
        }
        return copyAndCommit(source, offset, length, index);
    }

    @Override
    public long send(int type, MemorySegment source, long offset, int length, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(source, "source");
        long timeoutNanos = Timeouts.toNanos(timeout);
        long sent = sendFast(type, source, offset, length);
        if (sent != FULL) {
            return sent;
        }
        long index = claimWaiting(type, length, timeoutNanos);
        return index < 0 ? index : copyAndCommit(source, offset, length, index);
    }

    private long copyAndCommit(MemorySegment source, long offset, int length, long index) {
        try {
            MemorySegment.copy(source, offset, records, index, length);
        } catch (RuntimeException e) {
            abort(index);
            throw e;
        }
        return commit(index);
    }

    @Override
    public long trySend(int type, byte[] message) {
        Objects.requireNonNull(message, "message");
        long index = tryClaim(type, message.length);
        if (index < 0) {
            return index;
        }
        MemorySegment.copy(message, 0, records, ValueLayout.JAVA_BYTE, index, message.length);
        return commit(index);
    }

    @Override
    public long send(int type, byte[] message) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        return send(type, MemorySegment.ofArray(message), 0, message.length);
    }

    @Override
    public long send(int type, byte[] message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        return send(type, MemorySegment.ofArray(message), 0, message.length, timeout);
    }

    @Override
    public long trySend(int type, ByteBuffer message) {
        Objects.requireNonNull(message, "message");
        return trySend(type, MemorySegment.ofBuffer(message), 0, message.remaining());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("sender " + id + " of channel " + memory.name + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (claimPosition != NO_CLAIM) {
            abort(claimIndex);
        }
        closed = true;
        LONG.setOpaque(body, slot + EP_SEQUENCE_OFFSET, sequence);
        memory.retire(id); // counts this sender as left and wakes sleeping receivers to look at who is left
    }

    @Override
    public String toString() {
        return "Sender[" + memory.name + ", endpoint " + id + ", next sequence " + sequence + "]";
    }
}
