package org.panamaipc.channel;

import org.panamaipc.process.ProcessId;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * A receiver endpoint. With one receiver (SPSC, MPSC) it reads records in place and publishes the
 * head after each batch; with many (MPMC) it copies a record out and then takes it with a
 * compare-and-set on the head, so a record another receiver took first is discarded, never
 * delivered twice. When the position at the head stays empty while space beyond it is claimed, it
 * checks, at most every {@link #GAP_CHECK_NANOS}, whether the claimer died, and if so passes over
 * exactly the space the dead sender had claimed.
 */
final class RingReceiver implements Receiver, ChannelMemoryWait.Ready {

    /** How long a gap at the head is tolerated before the senders' liveness is checked. */
    static final long GAP_CHECK_NANOS = 10_000_000L;
    /**
     * The longest a blocked receiver sleeps before it looks again by itself: it bounds how late it
     * notices a sender that died (one that closes wakes it at once) and a wake-up lost to the race
     * of a receiver registering while a sender commits. Each wake-up of an idle JVM costs CPU (the
     * futex wait underneath also wakes every {@link org.panamaipc.sync.Futex#INTERRUPT_CHECK_INTERVAL}).
     */
    private static final long SLEEP_SLICE_NANOS = 250_000_000L;
    private static final long CHECK_INTERVAL_NANOS = 10_000_000L;
    /** The longest single skip record: its payload length must fit an int. */
    private static final long MAX_SKIP = (Integer.MAX_VALUE + (long) HEADER_LENGTH) & -ALIGNMENT;
    /** From {@link #takeFast}: the record at the head needs the general path. */
    private static final int TAKE_SLOW = Integer.MIN_VALUE;
    private static final long NO_START = Long.MIN_VALUE;

    private final ChannelMemory memory;
    private final MemorySegment records;
    private final MemorySegment body;
    private final long mask;
    private final long capacity;
    private final int maxLength;
    private final boolean single;
    private final boolean closeWhenSendersGone;
    private final int id;
    private final long slot;
    private final Idler idler;
    private final MessageHeader header = new MessageHeader();
    private final MessageHeader lastHeader = new MessageHeader();
    private final ChannelMemory.Peers peers;
    private final Arena scratchArena;
    private final MemorySegment scratch;

    private long head;
    private long messages;
    private long bytes;
    private long sleeps;
    private long gapHead = -1;
    private long gapSince;
    private long lastCheck;
    private long lastGoneCheck = System.nanoTime() - CHECK_INTERVAL_NANOS;
    private int steps;
    /**
     * When the current wait began, by the clock's first reading in it: a spinning wait does not read
     * the clock on entry but on its {@link Idler#CLOCK_EVERY_MASK}+1-th step (about a microsecond
     * later), so a message that comes at once costs no clock read. {@link #NO_START} until then.
     */
    private long waitStart;
    private boolean closed;

    RingReceiver(ChannelMemory memory, WaitStrategy strategy, boolean closeWhenSendersGone) {
        this.memory = memory;
        this.records = memory.records;
        this.body = memory.body;
        this.mask = memory.mask;
        this.capacity = memory.capacity;
        this.maxLength = memory.maxMessageLength;
        this.single = !memory.type.manyReceivers();
        this.closeWhenSendersGone = closeWhenSendersGone;
        this.idler = new Idler(strategy);
        this.id = memory.register(ROLE_RECEIVER, strategy.mayBlock());
        this.peers = memory.peersAtAttach(ROLE_SENDER);
        this.slot = memory.slot(id);
        this.head = memory.headVolatile();
        if (single) {
            scratchArena = null;
            scratch = null;
        } else {
            scratchArena = Arena.ofShared();
            scratch = scratchArena.allocate(Math.max(1, maxLength), Long.BYTES);
        }
    }

    @Override
    public int endpointId() {
        return id;
    }

    @Override
    public MessageHeader lastHeader() {
        return lastHeader;
    }

    // polling

    @Override
    public int poll(MessageHandler handler, int limit) {
        ensureOpen();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be positive");
        }
        int count = single ? pollSingle(handler, limit) : pollMany(handler, limit);
        if (count == 0 && closeWhenSendersGone && goneCheckDue() && sendersGone(System.nanoTime())) {
            return CLOSED;
        }
        return count;
    }

    /**
     * {@return whether a try form may check the senders' liveness now} Checking reads /proc for
     * every sender (tens of microseconds), so an empty try form does it at most once per
     * {@link #CHECK_INTERVAL_NANOS}; the waiting forms check from their own loop instead.
     */
    private boolean goneCheckDue() {
        long now = System.nanoTime();
        if (now - lastGoneCheck < CHECK_INTERVAL_NANOS) {
            return false;
        }
        lastGoneCheck = now;
        return true;
    }

    /** One look, without the liveness check of the try forms: the waiting loops check on their own. */
    private int pollOnce(MessageHandler handler, int limit) {
        return single ? pollSingle(handler, limit) : pollMany(handler, limit);
    }

    private int pollSingle(MessageHandler handler, int limit) {
        long position = head;
        int count = 0;
        try {
            while (count < limit) {
                long tag = memory.tagAcquire(position);
                int state = (int) (tag & STATE_MASK);
                if ((tag & ~STATE_MASK) != position || state == 0) {
                    break;
                }
                long index = position & mask;
                if (state == PADDING) {
                    position += capacity - index;
                    continue;
                }
                long lengthAndType = records.get(ValueLayout.JAVA_LONG, index + LENGTH_OFFSET);
                int length = checkedLength(position, index, state, (int) lengthAndType);
                position += recordLength((long) length);
                if (state == COMMITTED) {
                    count++;
                    bytes += length;
                    header.set((int) (lengthAndType >>> 32), records.get(ValueLayout.JAVA_INT, index + SOURCE_OFFSET),
                            records.get(ValueLayout.JAVA_LONG, index + SEQUENCE_OFFSET), length);
                    handler.onMessage(header, records, index + HEADER_LENGTH, length);
                } else if (state != SKIP) {
                    throw memory.corrupt("record at position " + position + " has unknown state " + state);
                }
            }
        } finally {
            // a handler that throws has still consumed its message: no poison loop
            if (position != head) {
                advance(position, count);
            }
        }
        return count;
    }

    private void advance(long position, int count) {
        head = position;
        LONG.setRelease(body, (long) HEAD_OFFSET, position);
        messages += count;
        LONG.setOpaque(body, slot + EP_MESSAGES_OFFSET, messages);
        LONG.setOpaque(body, slot + EP_BYTES_OFFSET, bytes);
        memory.signalSpace();
    }

    private int checkedLength(long position, long index, int state, int length) {
        // a skip may exceed the longest message; 64-bit: a length near Integer.MAX_VALUE must not
        // wrap into a small or negative size
        if (length < 0 || length > maxLength && state != SKIP || index + recordLength((long) length) > capacity) {
            throw memory.corrupt("record at position " + position + " has length " + length
                    + " (max message length " + maxLength + ", capacity " + capacity + ")");
        }
        return length;
    }


    private int pollMany(MessageHandler handler, int limit) {
        int count = 0;
        while (count < limit) {
            int length = takeMany(scratch, 0);
            if (length < 0) {
                break;
            }
            count++;
            handler.onMessage(header, scratch, 0, length);
        }
        return count;
    }

    /**
     * Takes one message from a many-receiver channel into {@code destination}; {@return its length,
     * or -1 if there is none} Fills {@link #header}.
     */
    private int takeMany(MemorySegment destination, long offset) {
        while (true) {
            long position = memory.headVolatile();
            long tag = memory.tagAcquire(position);
            int state = (int) (tag & STATE_MASK);
            if ((tag & ~STATE_MASK) != position || state == 0) {
                head = position;
                return -1;
            }
            long index = position & mask;
            if (state == PADDING) {
                if (LONG.compareAndSet(body, (long) HEAD_OFFSET, position, position + capacity - index)) {
                    memory.signalSpace();
                }
                continue;
            }
            long lengthAndType = records.get(ValueLayout.JAVA_LONG, index + LENGTH_OFFSET);
            int length = (int) lengthAndType;
            int type = (int) (lengthAndType >>> 32);
            int source = records.get(ValueLayout.JAVA_INT, index + SOURCE_OFFSET);
            long sequence = records.get(ValueLayout.JAVA_LONG, index + SEQUENCE_OFFSET);
            boolean plausible = length >= 0 && (length <= maxLength || state == SKIP)
                    && index + recordLength((long) length) <= capacity;
            if (!plausible) {
                if (memory.headVolatile() != position) {
                    continue; // another receiver took it and a sender reused the space: read again
                }
                throw memory.corrupt("record at position " + position + " has length " + length);
            }
            if (state == COMMITTED) {
                if (destination.byteSize() - offset < length) {
                    throw new IllegalArgumentException("message length=" + length + " does not fit destination of "
                            + (destination.byteSize() - offset) + " bytes from offset=" + offset);
                }
                MemorySegment.copy(records, index + HEADER_LENGTH, destination, offset, length);
            } else if (state != SKIP) {
                throw memory.corrupt("record at position " + position + " has unknown state " + state);
            }
            if (!LONG.compareAndSet(body, (long) HEAD_OFFSET, position, position + recordLength((long) length))) {
                continue; // another receiver took it first; what we copied is discarded
            }
            memory.signalSpace();
            head = position + recordLength((long) length);
            if (state == SKIP) {
                continue;
            }
            messages++;
            bytes += length;
            LONG.setOpaque(body, slot + EP_MESSAGES_OFFSET, messages);
            LONG.setOpaque(body, slot + EP_BYTES_OFFSET, bytes);
            header.set(type, source, sequence, length);
            return length;
        }
    }

    @Override
    public int receive(MessageHandler handler, int limit) throws InterruptedException {
        return receive(handler, limit, Long.MAX_VALUE);
    }

    @Override
    public int receive(MessageHandler handler, int limit, Duration timeout) throws InterruptedException {
        return receive(handler, limit, timeout.toNanos());
    }

    private int receive(MessageHandler handler, int limit, long timeoutNanos) throws InterruptedException {
        ensureOpen();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be positive");
        }
        int count = pollOnce(handler, limit);
        if (count != 0) {
            return count;
        }
        beginWait();
        while (true) {
            int result = awaitStep(timeoutNanos);
            if (result != 1) {
                return result == 0 ? 0 : CLOSED;
            }
            count = pollOnce(handler, limit);
            if (count != 0) {
                return count;
            }
        }
    }

    /**
     * One step of waiting for data: {@return 1 to look again, 0 on timeout, -2 when closed}
     *
     * @throws InterruptedException if the thread is interrupted
     */
    private void beginWait() {
        waitStart = NO_START;
        steps = 0;
        idler.reset();
    }

    private int awaitStep(long timeoutNanos) throws InterruptedException {
        // between clock reads, a spinning wait only pauses: reading the clock costs as much as a
        // look at the ring, and would add its time to every hand-off
        if (idler.spinsCheaply() && (++steps & Idler.CLOCK_EVERY_MASK) != 0) {
            Thread.onSpinWait();
            return 1;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long now = System.nanoTime();
        if (waitStart == NO_START) {
            waitStart = now; // the first look at the clock: see beginWait
        }
        long start = waitStart;
        if (now - start - timeoutNanos >= 0) {
            return 0;
        }
        if (now - lastCheck >= CHECK_INTERVAL_NANOS) {
            lastCheck = now;
            if (!single || memory.type.manySenders()) {
                repairGapIfSenderDied(now);
            }
            if (closeWhenSendersGone && sendersGone(now)) {
                return CLOSED;
            }
        }
        if (idler.idle(now)) {
            long remaining = timeoutNanos - (now - start);
            long slice = gapHead >= 0 ? GAP_CHECK_NANOS : SLEEP_SLICE_NANOS;
            sleeps++;
            LONG.setOpaque(body, slot + EP_WAITS_OFFSET, sleeps);
            ChannelMemoryWait.sleep(memory.dataSignal, body, RECEIVERS_WAITING_OFFSET, this,
                    Math.min(remaining, slice));
        }
        return 1;
    }

    /** Something to take: a record at the head. */
    @Override
    public boolean ready() {
        long position = single ? head : memory.headVolatile();
        long tag = memory.tagAcquire(position);
        return (tag & ~STATE_MASK) == position && (tag & STATE_MASK) != 0;
    }

    private boolean sendersGone(long now) {
        if (ready()) {
            return false;
        }
        return memory.gone(peers) && memory.tailVolatile() == (single ? head : memory.headVolatile());
    }

    // copying receives

    @Override
    public int tryReceive(MemorySegment destination, long offset) {
        ensureOpen();
        int length = takeOnce(destination, offset);
        if (length >= 0) {
            return length;
        }
        return closeWhenSendersGone && goneCheckDue() && sendersGone(System.nanoTime()) ? CLOSED : EMPTY;
    }

    private int takeOnce(MemorySegment destination, long offset) {
        if (single) {
            int length = takeFast(destination, offset);
            if (length != TAKE_SLOW) {
                return length;
            }
        }
        int length = single ? takeSingle(destination, offset) : takeMany(destination, offset);
        if (length >= 0) {
            lastHeader.set(header.type(), header.source(), header.sequence(), header.length());
        }
        return length;
    }

    /**
     * The common cases of a copying receive with one receiver, kept short so that the JIT compiles
     * them into the caller: nothing at the head ({@return -1}), or a committed message of a
     * plausible length that fits the destination ({@return its length}). Anything else (padding,
     * a skip, a corrupt record, a destination too small) returns {@link #TAKE_SLOW} for
     * {@link #takeSingle}, which handles it.
     */
    private int takeFast(MemorySegment destination, long offset) {
        long position = head;
        long index = position & mask;
        long tag = (long) LONG.getAcquire(records, index);
        if (tag != (position | COMMITTED)) {
            return (tag & ~STATE_MASK) != position || (tag & STATE_MASK) == 0 ? -1 : TAKE_SLOW;
        }
        long lengthAndType = records.get(ValueLayout.JAVA_LONG_UNALIGNED, index + LENGTH_OFFSET);
        int length = (int) lengthAndType;
        long size = recordLength((long) length);
        if (length < 0 || length > maxLength || index + size > capacity || destination.byteSize() - offset < length) {
            return TAKE_SLOW;
        }
        MemorySegment.copy(records, index + HEADER_LENGTH, destination, offset, length);
        lastHeader.set((int) (lengthAndType >>> 32), records.get(ValueLayout.JAVA_INT_UNALIGNED, index + SOURCE_OFFSET),
                records.get(ValueLayout.JAVA_LONG_UNALIGNED, index + SEQUENCE_OFFSET), length);
        bytes += length;
        advance(position + size, 1);
        return length;
    }

    private int takeSingle(MemorySegment destination, long offset) {
        long position = head;
        while (true) {
            long tag = memory.tagAcquire(position);
            int state = (int) (tag & STATE_MASK);
            if ((tag & ~STATE_MASK) != position || state == 0) {
                if (position != head) {
                    advance(position, 0);
                }
                return -1;
            }
            long index = position & mask;
            if (state == PADDING) {
                position += capacity - index;
                continue;
            }
            long lengthAndType = records.get(ValueLayout.JAVA_LONG, index + LENGTH_OFFSET);
            int length = checkedLength(position, index, state, (int) lengthAndType);
            if (state == SKIP) {
                position += recordLength((long) length);
                continue;
            }
            if (state != COMMITTED) {
                throw memory.corrupt("record at position " + position + " has unknown state " + state);
            }
            if (destination.byteSize() - offset < length) {
                if (position != head) {
                    advance(position, 0);
                }
                throw new IllegalArgumentException("message length=" + length + " does not fit destination of "
                        + (destination.byteSize() - offset) + " bytes from offset=" + offset);
            }
            MemorySegment.copy(records, index + HEADER_LENGTH, destination, offset, length);
            header.set((int) (lengthAndType >>> 32), records.get(ValueLayout.JAVA_INT, index + SOURCE_OFFSET),
                    records.get(ValueLayout.JAVA_LONG, index + SEQUENCE_OFFSET), length);
            bytes += length;
            advance(position + recordLength((long) length), 1);
            return length;
        }
    }

    @Override
    public int receive(MemorySegment destination, long offset) throws InterruptedException {
        return receive(destination, offset, Long.MAX_VALUE);
    }

    @Override
    public int receive(MemorySegment destination, long offset, Duration timeout) throws InterruptedException {
        return receive(destination, offset, timeout.toNanos());
    }

    private int receive(MemorySegment destination, long offset, long timeoutNanos) throws InterruptedException {
        ensureOpen();
        int length = takeOnce(destination, offset);
        if (length >= 0) {
            return length;
        }
        beginWait();
        while (true) {
            int result = awaitStep(timeoutNanos);
            if (result != 1) {
                return result == 0 ? EMPTY : CLOSED;
            }
            length = takeOnce(destination, offset);
            if (length >= 0) {
                return length;
            }
        }
    }

    @Override
    public byte[] receiveBytes(Duration timeout) throws InterruptedException {
        byte[][] result = new byte[1][];
        int count = receive((h, buffer, offset, length) -> {
            result[0] = buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            lastHeader.set(h.type(), h.source(), h.sequence(), h.length());
        }, 1, timeout.toNanos());
        return count > 0 ? result[0] : null;
    }

    // dead senders

    /**
     * Passes over space claimed by senders that died before committing. Called when the head has
     * been empty for a while although the tail is beyond it.
     */
    private void repairGapIfSenderDied(long now) {
        long position = single ? head : memory.headVolatile();
        if (ready() || memory.tailVolatile() <= position) {
            gapHead = -1;
            return;
        }
        if (gapHead != position) {
            gapHead = position;
            gapSince = now;
            return;
        }
        if (now - gapSince < GAP_CHECK_NANOS) {
            return;
        }
        if (!memory.repairLock.tryLock()) {
            return; // another receiver repairs (or a dead one held the lock: tryLock sees through that soon)
        }
        try {
            repairGap(position);
        } finally {
            memory.repairLock.unlock();
        }
        gapHead = -1;
    }

    private void repairGap(long position) {
        if (ready() || (!single && memory.headVolatile() != position)) {
            return;
        }
        long tail = memory.tailVolatile();
        if (tail <= position) {
            return;
        }
        long lapEnd = position - (position & mask) + capacity;
        long limit = Math.min(tail, lapEnd);
        for (int endpoint = 0; endpoint < memory.slots; endpoint++) {
            long s = memory.slot(endpoint);
            if (memory.slotState(endpoint) != EP_ACTIVE || memory.slotRole(endpoint) != ROLE_SENDER) {
                continue;
            }
            long claimStart = (long) LONG.getAcquire(body, s + EP_CLAIM_START_OFFSET);
            long claimEnd = body.get(ValueLayout.JAVA_LONG, s + EP_CLAIM_END_OFFSET);
            if (claimStart < 0) {
                continue;
            }
            ProcessId owner = memory.slotOwner(endpoint);
            if (!owner.isAlive()) {
                continue; // a dead sender's claim is exactly what we pass over
            }
            if (claimStart <= position && position < claimEnd) {
                return; // a live sender is still writing this record
            }
            if (claimStart > position) {
                limit = Math.min(limit, claimStart);
            }
        }
        if (ready()) {
            return; // committed meanwhile
        }
        for (long p = position + ALIGNMENT; p < limit; p += ALIGNMENT) {
            long tag = memory.tagAcquire(p);
            if ((tag & ~STATE_MASK) == p && (tag & STATE_MASK) != 0) {
                limit = p; // the next record that was written
                break;
            }
        }
        long index = position & mask;
        if (limit - position < HEADER_LENGTH) {
            LONG.setRelease(records, index, tag(position, PADDING));
        } else {
            // a skip's length is an int: a longer dead region is passed over in several skips
            long skip = Math.min(limit - position, MAX_SKIP);
            records.set(ValueLayout.JAVA_INT, index + LENGTH_OFFSET, (int) (skip - HEADER_LENGTH));
            LONG.setRelease(records, index, tag(position, SKIP));
        }
        LONG.getAndAdd(body, (long) SKIPPED_OFFSET, 1L);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("receiver " + id + " of channel " + memory.name + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory.retire(id, false);
        if (scratchArena != null) {
            scratchArena.close();
        }
    }

    @Override
    public String toString() {
        return "Receiver[" + memory.name + ", endpoint " + id + ", head " + head + "]";
    }
}
