package org.panamaipc.channel;

import org.panamaipc.PeerGoneException;
import org.panamaipc.internal.Destinations;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.InvalidSegmentException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.LONG;
import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * What both kinds of receiver share: every form of receive, built on the kind's one look
 * ({@link #pollOnce}, {@link #takeOnce}); whether the senders have gone; and, on a channel of
 * many senders, passing over the space of a sender that died in its claim. When the position at
 * the head stays empty while space beyond it is claimed, the receiver checks, at most every
 * {@link #GAP_CHECK_NANOS}, whether the claimer died, and if so passes over exactly the space it
 * had claimed ({@link DeadSenders}). How a record is taken is the kind's: {@link SoleReceiver}
 * reads in place and publishes the head, {@link ConcurrentReceiver} copies and takes the record
 * with a compare-and-set.
 */
abstract sealed class ReceiverEndpoint extends Endpoint implements Receiver permits SoleReceiver, ConcurrentReceiver {

    /** How long a gap at the head is tolerated before the senders' liveness is checked. */
    static final long GAP_CHECK_NANOS = 10_000_000L;
    /**
     * The longest a blocked receiver sleeps before it looks again by itself, where it cannot sleep
     * quietly ({@link #prepareQuietSleep()}: no {@code futex_waitv} or pidfds, a gap at the head,
     * a sender half registered): it then bounds how late it notices a sender that died. A quiet
     * sleep has no slice: an idle receiver with a slice of 250 ms used about 0.44 % of a CPU; one
     * that sleeps quietly makes no system call and no context switch while nothing happens, and
     * its JVM costs what one blocked in a socket read does (its own housekeeping threads).
     * Not final only so that a test can lengthen it, to show that a wake-up ends the sleep.
     */
    static volatile long sleepSliceNanos = 250_000_000L;
    /** Without being told, a try form that finds nothing repairs gaps (many senders) once in this many plus one. */
    private static final int EMPTY_TRIES_MASK = 255;
    static final String RECEIVE = "receive from channel";

    final boolean closeWhenSendersGone;
    private final boolean manySenders;
    /** The header handed to handlers. */
    final MessageHeader header = new MessageHeader();
    final MessageHeader lastHeader = new MessageHeader();
    private final BytesHandler bytes = new BytesHandler();

    long messages;
    long bytesReceived;
    private long sleeps;
    private long gapHead = -1;
    private long gapSince;
    private int emptyTries;
    /** The deaths this receiver is told of, and the senders' counts when they were registered. */
    private final List<PeerDeaths.Watch> watches = new ArrayList<>();
    private int watchedEver = -1;
    private int watchedLeft = -1;

    ReceiverEndpoint(ChannelMemory memory, WaitStrategy strategy, boolean closeWhenSendersGone, RingChannel channel) {
        super(memory, strategy, ROLE_RECEIVER, channel);
        this.closeWhenSendersGone = closeWhenSendersGone;
        this.manySenders = memory.type.manySenders();
    }

    // what a kind supplies

    /** One look, handing up to {@code limit} messages to {@code handler}: {@return how many (0 if none)} */
    abstract int pollOnce(MessageHandler handler, int limit);

    /** One look, copying a message into {@code destination}: {@return its length, or -1 if none}, {@link #lastHeader} set */
    abstract int takeOnce(MemorySegment destination, long offset);

    /** {@return the position this receiver takes from next} */
    abstract long headPosition();

    @Override
    public final MessageHeader lastHeader() {
        return lastHeader;
    }

    // what the wait loop asks

    @Override
    final int leftCount() {
        return memory.sendersLeft();
    }

    @Override
    final boolean lookAtPeers(long now) {
        if (manySenders) {
            repairGapIfSenderDied(now);
        }
        return closeWhenSendersGone && sendersGone();
    }

    /**
     * The last look before sleeping: {@return whether there is a record at the head, or, for a
     * receiver that is to be told, a sender has left since the last liveness check} (that check
     * then runs at once; see {@link #checkDue}).
     */
    @Override
    final boolean readyToRetry() {
        return hasRecord() || closeWhenSendersGone && peerLeftSinceCheck();
    }

    @Override
    final long sleepSliceNanos() {
        return gapHead >= 0 ? GAP_CHECK_NANOS : sleepSliceNanos;
    }

    /**
     * Quiet sleeps (see {@link QuietSleep}) for a receiver: the senders of other processes are
     * watched for their deaths ({@link PeerDeaths}), re-registered whenever a sender attached or
     * left since; a sender that attaches wakes the receivers, so none goes unwatched for long.
     * Sliced while a gap at the head waits for its check, while a sender is half registered, or
     * where the kernel offers neither {@code futex_waitv} nor pidfds.
     */
    @Override
    final int prepareQuietSleep() {
        if (gapHead >= 0 || !QuietSleep.available() || !PeerDeaths.available()) {
            return SLICED;
        }
        for (PeerDeaths.Watch watch : watches) {
            if (watch.fired()) {
                cancelWatches();
                forceCheck();
                return LOOK_NOW;
            }
        }
        int ever = memory.endpoints.ever(ROLE_SENDER);
        int left = memory.sendersLeft();
        if (ever == watchedEver && left == watchedLeft) {
            return QUIET;
        }
        cancelWatches();
        int self = ProcessId.current().pid();
        for (int id = 0; id < memory.endpoints.slots; id++) {
            int state = memory.endpoints.state(id);
            if (state == EP_FREE || memory.endpoints.role(id) != ROLE_SENDER) {
                continue;
            }
            if (state != EP_ACTIVE) {
                cancelWatches();
                return SLICED; // registering or retiring: look again after a slice
            }
            ProcessId owner = memory.endpoints.owner(id);
            if (owner.pid() == self) {
                continue; // dies with us
            }
            PeerDeaths.Watch watch = PeerDeaths.watch(owner, memory.dataSignal.word());
            if (watch == null) {
                cancelWatches();
                if (!PeerDeaths.available()) {
                    return SLICED;
                }
                forceCheck();
                return LOOK_NOW; // dead already
            }
            watches.add(watch);
        }
        watchedEver = ever;
        watchedLeft = left;
        return QUIET;
    }

    private void cancelWatches() {
        for (PeerDeaths.Watch watch : watches) {
            watch.cancel();
        }
        watches.clear();
        watchedEver = -1;
        watchedLeft = -1;
    }

    @Override
    void beforeRetire() {
        cancelWatches();
    }

    @Override
    final void beforeSleep() {
        sleeps++;
        LONG.setOpaque(body, slot + EP_WAITS_OFFSET, sleeps);
    }

    boolean hasRecord() {
        long position = headPosition();
        return !isPosition(position) || memory.hasRecord(position); // not a position: let the next take say so
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
        return memory.endpoints.gone(peers) && memory.tailVolatile() - headPosition() <= 0;
    }

    /**
     * After a try found nothing: {@return {@link #CLOSED} if the receiver is to be told the senders
     * have gone, else {@link #EMPTY}} The look is rate-limited ({@link #peersGone}); a receiver that
     * is not to be told still repairs gaps (many senders) now and then, as the waiting forms do.
     */
    final int closedOrEmpty() {
        if (!closeWhenSendersGone && (!manySenders || (++emptyTries & EMPTY_TRIES_MASK) != 0)) {
            return EMPTY;
        }
        return peersGone(System.nanoTime()) && closeWhenSendersGone ? CLOSED : EMPTY;
    }

    /**
     * Passes over space claimed by senders that died before committing ({@link DeadSenders}).
     * Called at most every {@link #CHECK_INTERVAL_NANOS}; acts when the head has been empty for
     * {@link #GAP_CHECK_NANOS} although the tail is beyond it, and another receiver is not at it.
     */
    private void repairGapIfSenderDied(long now) {
        long position = headPosition();
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
            memory.endpoints.retireDead();
        } finally {
            memory.repairLock.unlock();
        }
        gapHead = -1;
    }

    // the exceptions of a record that cannot be right

    final InvalidSegmentException tooCloseToTheEnd(long position, long index) {
        return memory.corrupt(RECEIVE, "record at position " + position + " starts " + (capacity - index)
                + " bytes before the end of the ring, too few for its " + HEADER_LENGTH + "-byte header");
    }

    final InvalidSegmentException badLength(long position, int length) {
        return memory.corrupt(RECEIVE, "record at position " + position + " has length " + length
                + " (max message length " + maxLength + ", capacity " + capacity + ")");
    }

    final InvalidSegmentException unknownState(long position, int state) {
        return memory.corrupt(RECEIVE, "record at position " + position + " has unknown state " + state);
    }

    static IllegalArgumentException doesNotFit(int length, MemorySegment destination, long offset) {
        return new IllegalArgumentException("message length=" + length + " does not fit destination of "
                + (destination.byteSize() - offset) + " bytes from offset=" + offset);
    }

    // handing messages to a handler

    @Override
    public final int poll(MessageHandler handler, int limit) {
        checkHandled(handler, limit);
        int count = pollHandling(handler, limit);
        return count > 0 ? count : closedOrEmpty();
    }

    @Override
    public final int receive(MessageHandler handler, int limit) throws InterruptedException {
        checkHandled(handler, limit);
        return receiveHandled(handler, limit, Timeouts.FOREVER);
    }

    @Override
    public final int receive(MessageHandler handler, int limit, Duration timeout) throws InterruptedException {
        checkHandled(handler, limit);
        return receiveHandled(handler, limit, Timeouts.toNanos(timeout));
    }

    private void checkHandled(MessageHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        ensureReceivable();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be positive");
        }
    }

    /** Refuses a receive when closed, or from inside its own handler (whose poll would hand messages over twice). */
    private void ensureReceivable() {
        ensureOpen();
        checkNotHandling("receive");
    }

    /**
     * {@link #pollOnce}, marking this thread as inside a handler of this receiver meanwhile, called
     * only when {@link #hasRecord} says there is something (a record, a pending message, or a bad
     * head to report): a spinning receiver polls many times per message, and C2 does not inline a
     * call reached in few of a method's invocations, so without the look a spinning receiver's
     * handler was not compiled into {@code pollOnce} (docs/messaging.md, "What they cost"). The
     * copying receives look first too: {@code takeOnce} is too big to go into their wait loop.
     */
    private int pollHandling(MessageHandler handler, int limit) {
        if (!hasRecord()) {
            return 0;
        }
        handling = Thread.currentThread();
        try {
            return pollOnce(handler, limit);
        } finally {
            handling = null;
        }
    }

    private int receiveHandled(MessageHandler handler, int limit, long timeoutNanos) throws InterruptedException {
        int count = pollHandling(handler, limit);
        if (count != 0) {
            return count;
        }
        if (timeoutNanos <= 0) {
            return closedOrEmpty();
        }
        wait.begin(timeoutNanos);
        try {
            while (true) {
                int step = wait.step();
                if (step != WaitLoop.LOOK) {
                    return step == WaitLoop.GONE ? CLOSED : closedOrEmpty();
                }
                count = pollHandling(handler, limit);
                if (count != 0) {
                    return count;
                }
            }
        } finally {
            wait.end();
        }
    }

    // copying into the caller's memory

    @Override
    public final int tryReceive(MemorySegment destination, long offset) {
        Objects.requireNonNull(destination, "destination");
        checkOffset(offset);
        ensureReceivable();
        int length = hasRecord() ? takeOnce(destination, offset) : -1; // see pollHandling
        return length >= 0 ? length : closedOrEmpty();
    }

    @Override
    public final int receive(MemorySegment destination, long offset) throws InterruptedException {
        Objects.requireNonNull(destination, "destination");
        checkOffset(offset);
        return receiveInto(destination, offset, Timeouts.FOREVER);
    }

    @Override
    public final int receive(MemorySegment destination, long offset, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(destination, "destination");
        checkOffset(offset);
        return receiveInto(destination, offset, Timeouts.toNanos(timeout));
    }

    private int receiveInto(MemorySegment destination, long offset, long timeoutNanos) throws InterruptedException {
        ensureReceivable();
        int length = takeOnce(destination, offset);
        if (length >= 0) {
            return length;
        }
        if (timeoutNanos <= 0) {
            return closedOrEmpty();
        }
        wait.begin(timeoutNanos);
        try {
            while (true) {
                int step = wait.step();
                if (step != WaitLoop.LOOK) {
                    return step == WaitLoop.GONE ? CLOSED : closedOrEmpty();
                }
                if (!hasRecord()) { // a look compiled into this loop: takeOnce is not (see pollHandling)
                    continue;
                }
                length = takeOnce(destination, offset);
                if (length >= 0) {
                    return length;
                }
            }
        } finally {
            wait.end();
        }
    }

    @Override
    public final int tryReceive(ByteBuffer destination) {
        return Destinations.advanced(destination, tryReceive(Destinations.segmentOf(destination), 0));
    }

    @Override
    public final int receive(ByteBuffer destination) throws InterruptedException {
        return Destinations.advanced(destination, receiveInto(Destinations.segmentOf(destination), 0, Timeouts.FOREVER));
    }

    @Override
    public final int receive(ByteBuffer destination, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        return Destinations.advanced(destination, receiveInto(Destinations.segmentOf(destination), 0, timeoutNanos));
    }

    // receiving arrays

    @Override
    public final byte[] tryReceiveBytes() {
        ensureReceivable();
        if (pollHandling(bytes, 1) > 0) {
            return bytes.take(lastHeader);
        }
        if (closedOrEmpty() == CLOSED) {
            throw sendersGoneException();
        }
        return null;
    }

    @Override
    public final byte[] receiveBytes() throws InterruptedException {
        ensureReceivable();
        return bytesOf(receiveHandled(bytes, 1, Timeouts.FOREVER));
    }

    @Override
    public final byte[] receiveBytes(Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        ensureReceivable();
        return bytesOf(receiveHandled(bytes, 1, timeoutNanos));
    }

    private byte[] bytesOf(int count) {
        if (count == CLOSED) {
            throw sendersGoneException();
        }
        return count > 0 ? bytes.take(lastHeader) : null;
    }

    private PeerGoneException sendersGoneException() {
        return new PeerGoneException(RECEIVE, memory.name, "its senders have all gone (closed or died) and nothing is left");
    }

    /** Copies the one message it is handed into a new array, and its header, for {@link #receiveBytes}. */
    private static final class BytesHandler implements MessageHandler {
        private byte[] payload;
        private int type;
        private int source;
        private long sequence;

        @Override
        public void onMessage(MessageHeader header, MemorySegment buffer, long offset, int length) {
            payload = buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            type = header.type();
            source = header.source();
            sequence = header.sequence();
        }

        byte[] take(MessageHeader into) {
            byte[] taken = payload;
            payload = null;
            into.set(type, source, sequence, taken.length);
            return taken;
        }
    }
}
