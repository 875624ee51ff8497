package org.panamaipc.channel;

import org.panamaipc.internal.Timeouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * A receiver endpoint. With one receiver (SPSC, MPSC) it reads records in place and publishes the
 * head after each batch; with many (MPMC) it copies a record out and then takes it with a
 * compare-and-set on the head, so a record another receiver took first is discarded, never
 * delivered twice. When the position at the head stays empty while space beyond it is claimed, it
 * checks, at most every {@link #GAP_CHECK_NANOS}, whether the claimer died, and if so passes over
 * exactly the space the dead sender had claimed ({@link DeadSenders}).
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
    /** The first sleep's bound when {@link ChannelMemory#orderEveryThread()} was refused. */
    private static final long UNORDERED_SLEEP_NANOS = 1_000_000L;
    /** A try form that finds nothing reads the clock (for the checks it owes) once in this many plus one. */
    private static final int EMPTY_TRIES_MASK = 255;
    private static final String RECEIVE = "receive from channel";
    /** From {@link #takeFast}: the record at the head needs the general path. */
    private static final int TAKE_SLOW = Integer.MIN_VALUE;
    private static final long NO_START = Long.MIN_VALUE;

    private final ChannelMemory memory;
    private final MemorySegment records;
    private final MemorySegment body;
    private final long mask;
    private final long capacity;
    /** The last index where a record's header fits: only padding starts after it. */
    private final long lastRecordIndex;
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
    private long lastGoneCheck = System.nanoTime() - CHECK_INTERVAL_NANOS;
    /** {@link ChannelMemory#sendersLeft()} at the last liveness check: a change calls for another. */
    private int sendersLeftSeen;
    private int emptyTries;
    private boolean unorderedSleep;
    private int steps;
    /**
     * When the current wait began, by the clock's first reading in it: a spinning wait does not read
     * the clock on entry but on its {@link Idler#CLOCK_EVERY_MASK}+1-th step (about a microsecond
     * later), so a message that comes at once costs no clock read. {@link #NO_START} until then.
     */
    private long waitStart;
    private boolean closed;

    RingReceiver(ChannelMemory memory, WaitStrategy strategy, boolean closeWhenSendersGone) {
        Objects.requireNonNull(strategy, "strategy");
        this.memory = memory;
        this.records = memory.records;
        this.body = memory.body;
        this.mask = memory.mask;
        this.capacity = memory.capacity;
        this.lastRecordIndex = memory.capacity - HEADER_LENGTH;
        this.maxLength = memory.maxMessageLength;
        this.single = !memory.type.manyReceivers();
        this.closeWhenSendersGone = closeWhenSendersGone;
        this.idler = new Idler(strategy);
        this.sendersLeftSeen = memory.sendersLeft();
        this.id = memory.register(ROLE_RECEIVER, strategy.mayBlock());
        this.unorderedSleep = strategy.mayBlock() && !ChannelMemory.orderEveryThread();
        this.peers = memory.peersAtAttach(ROLE_SENDER);
        this.slot = memory.slot(id);
        try {
            this.head = memory.checkedPosition(memory.headVolatile(), "head", "attach a receiver to channel");
        } catch (RuntimeException e) {
            memory.retire(id);
            throw e;
        }
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
        Objects.requireNonNull(handler, "handler");
        ensureOpen();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be positive");
        }
        int count = single ? pollSingle(handler, limit) : pollMany(handler, limit);
        return count == 0 && closedAfterEmptyTry() ? CLOSED : count;
    }

    /**
     * After a try form found nothing: {@return whether the receiver is to be told CLOSED} Now and
     * then it does what the waiting forms do from their loop: passes over a dead sender's gap
     * (many senders), and, if asked to tell, looks at the senders. Liveness costs a /proc read per
     * sender (tens of microseconds), so it is looked at most once per {@link #CHECK_INTERVAL_NANOS},
     * and at once when a sender has left since (closed, or retired as dead).
     */
    private boolean closedAfterEmptyTry() {
        if (!closeWhenSendersGone && (!memory.type.manySenders() || (++emptyTries & EMPTY_TRIES_MASK) != 0)) {
            return false;
        }
        long now = System.nanoTime();
        if (!checkDue(now)) {
            return false;
        }
        if (memory.type.manySenders()) {
            repairGapIfSenderDied(now);
        }
        return closeWhenSendersGone && sendersGone();
    }

    /** {@return whether the rate-limited checks are due: the interval has passed, or a sender left} */
    private boolean checkDue(long now) {
        int left = memory.sendersLeft();
        if (left == sendersLeftSeen && now - lastGoneCheck < CHECK_INTERVAL_NANOS) {
            return false;
        }
        sendersLeftSeen = left;
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
                if (state != COMMITTED && state != SKIP) {
                    throw memory.corrupt(RECEIVE, "record at position " + position + " has unknown state " + state);
                }
                if (index > lastRecordIndex) {
                    throw tooCloseToTheEnd(position, index);
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

    /** {@return the exception for a record tag where no header fits: only padding may start there} */
    private org.panamaipc.shm.InvalidSegmentException tooCloseToTheEnd(long position, long index) {
        return memory.corrupt(RECEIVE, "record at position " + position + " starts " + (capacity - index)
                + " bytes before the end of the ring, too few for its " + HEADER_LENGTH + "-byte header");
    }

    private int checkedLength(long position, long index, int state, int length) {
        // a skip may exceed the longest message; 64-bit: a length near Integer.MAX_VALUE must not
        // wrap into a small or negative size
        if (length < 0 || length > maxLength && state != SKIP || index + recordLength((long) length) > capacity) {
            throw memory.corrupt(RECEIVE, "record at position " + position + " has length " + length
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
            long position = memory.checkedPosition(memory.headVolatile(), "head", RECEIVE);
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
            if (index > lastRecordIndex) {
                if (memory.headVolatile() != position) {
                    continue;
                }
                throw tooCloseToTheEnd(position, index);
            }
            long lengthAndType = records.get(ValueLayout.JAVA_LONG, index + LENGTH_OFFSET);
            int length = (int) lengthAndType;
            int type = (int) (lengthAndType >>> 32);
            int source = records.get(ValueLayout.JAVA_INT, index + SOURCE_OFFSET);
            long sequence = records.get(ValueLayout.JAVA_LONG, index + SEQUENCE_OFFSET);
            // every field may belong to a later record if another receiver took this one and a
            // sender reused the space: before saying anything about them, make sure the head is still here
            boolean plausible = length >= 0 && (length <= maxLength || state == SKIP)
                    && index + recordLength((long) length) <= capacity;
            if (!plausible) {
                if (memory.headVolatile() != position) {
                    continue;
                }
                throw memory.corrupt(RECEIVE, "record at position " + position + " has length " + length
                        + " (max message length " + maxLength + ", capacity " + capacity + ")");
            }
            if (state == COMMITTED) {
                if (destination.byteSize() - offset < length) {
                    if (memory.headVolatile() != position) {
                        continue;
                    }
                    throw new IllegalArgumentException("message length=" + length + " does not fit destination of "
                            + (destination.byteSize() - offset) + " bytes from offset=" + offset);
                }
                MemorySegment.copy(records, index + HEADER_LENGTH, destination, offset, length);
            } else if (state != SKIP) {
                if (memory.headVolatile() != position) {
                    continue;
                }
                throw memory.corrupt(RECEIVE, "record at position " + position + " has unknown state " + state);
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
        return receive(handler, limit, Timeouts.FOREVER);
    }

    @Override
    public int receive(MessageHandler handler, int limit, Duration timeout) throws InterruptedException {
        return receive(handler, limit, Timeouts.toNanos(timeout));
    }

    private int receive(MessageHandler handler, int limit, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(handler, "handler");
        ensureOpen();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be positive");
        }
        int count = pollOnce(handler, limit);
        if (count != 0) {
            return count;
        }
        if (timeoutNanos <= 0) {
            return closedAfterEmptyTry() ? CLOSED : 0;
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

    private void beginWait() {
        waitStart = NO_START;
        steps = 0;
        idler.reset();
    }

    /**
     * One step of waiting for data: {@return 1 to look again, 0 on timeout, -2 when closed}
     *
     * @throws InterruptedException if the thread is interrupted
     */
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
        if (timeoutNanos != Timeouts.FOREVER && now - start - timeoutNanos >= 0) {
            return 0;
        }
        if (checkDue(now)) {
            if (memory.type.manySenders()) {
                repairGapIfSenderDied(now);
            }
            if (closeWhenSendersGone && sendersGone()) {
                return CLOSED;
            }
        }
        if (idler.idle(now)) {
            long slice = gapHead >= 0 ? GAP_CHECK_NANOS : SLEEP_SLICE_NANOS;
            if (unorderedSleep) {
                slice = Math.min(slice, UNORDERED_SLEEP_NANOS);
                unorderedSleep = false;
            }
            sleeps++;
            LONG.setOpaque(body, slot + EP_WAITS_OFFSET, sleeps);
            ChannelMemoryWait.sleep(memory.dataSignal, body, RECEIVERS_WAITING_OFFSET, slot + EP_SLEEPING_OFFSET, this,
                    Math.min(Timeouts.remaining(Timeouts.deadline(start, timeoutNanos), now), slice));
        }
        return 1;
    }

    /**
     * The last look before sleeping: {@return whether there is a record at the head, or, for a
     * receiver that is to be told, a sender has left since the last liveness check} (that check
     * then runs at once; see {@link #checkDue}).
     */
    @Override
    public boolean ready() {
        return hasRecord() || closeWhenSendersGone && memory.sendersLeft() != sendersLeftSeen;
    }

    private boolean hasRecord() {
        long position = single ? head : memory.headVolatile();
        if ((position & STATE_MASK) != 0) {
            return true; // not a position: let the next take say so
        }
        long tag = memory.tagAcquire(position);
        return (tag & ~STATE_MASK) == position && (tag & STATE_MASK) != 0;
    }

    /**
     * {@return whether every sender has gone and nothing committed is left} With one sender, the
     * tail may lie behind the head: a sender that died after writing padding, before publishing
     * the tail of the record after it, leaves the head past the padding and the tail before it.
     */
    private boolean sendersGone() {
        if (hasRecord()) {
            return false;
        }
        return memory.gone(peers) && memory.tailVolatile() - (single ? head : memory.headVolatile()) <= 0;
    }

    // copying receives

    @Override
    public int tryReceive(MemorySegment destination, long offset) {
        Objects.requireNonNull(destination, "destination");
        ensureOpen();
        int length = takeOnce(destination, offset);
        if (length >= 0) {
            return length;
        }
        return closedAfterEmptyTry() ? CLOSED : EMPTY;
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
        if (tag != (position | COMMITTED) || index > lastRecordIndex) {
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
            if (index > lastRecordIndex) {
                if (position != head) {
                    advance(position, 0);
                }
                throw tooCloseToTheEnd(position, index);
            }
            long lengthAndType = records.get(ValueLayout.JAVA_LONG, index + LENGTH_OFFSET);
            int length = checkedLength(position, index, state, (int) lengthAndType);
            if (state == SKIP) {
                position += recordLength((long) length);
                continue;
            }
            if (state != COMMITTED) {
                throw memory.corrupt(RECEIVE, "record at position " + position + " has unknown state " + state);
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
        return receive(destination, offset, Timeouts.FOREVER);
    }

    @Override
    public int receive(MemorySegment destination, long offset, Duration timeout) throws InterruptedException {
        return receive(destination, offset, Timeouts.toNanos(timeout));
    }

    private int receive(MemorySegment destination, long offset, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(destination, "destination");
        ensureOpen();
        int length = takeOnce(destination, offset);
        if (length >= 0) {
            return length;
        }
        if (timeoutNanos <= 0) {
            return closedAfterEmptyTry() ? CLOSED : EMPTY;
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
        long timeoutNanos = Timeouts.toNanos(timeout);
        byte[][] result = new byte[1][];
        int count = receive((h, buffer, offset, length) -> {
            result[0] = buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            lastHeader.set(h.type(), h.source(), h.sequence(), h.length());
        }, 1, timeoutNanos);
        return count > 0 ? result[0] : null;
    }

    // dead senders

    /**
     * Passes over space claimed by senders that died before committing ({@link DeadSenders}).
     * Called at most every {@link #CHECK_INTERVAL_NANOS}; acts when the head has been empty for
     * {@link #GAP_CHECK_NANOS} although the tail is beyond it, and another receiver is not at it.
     */
    private void repairGapIfSenderDied(long now) {
        long position = single ? head : memory.headVolatile();
        if (hasRecord() || memory.tailVolatile() - position <= 0) {
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
            return; // another process repairs or registers (or a dead one held the lock: tryLock sees through that soon)
        }
        try {
            memory.retireDead();
        } finally {
            memory.repairLock.unlock();
        }
        gapHead = -1;
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
        memory.retire(id); // counts this receiver as left and wakes senders asleep on a full ring
        if (scratchArena != null) {
            scratchArena.close();
        }
    }

    @Override
    public String toString() {
        return "Receiver[" + memory.name + ", endpoint " + id + ", head " + head + "]";
    }
}
