package org.panamaipc.rendezvous;

import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.internal.Destinations;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.process.ProcessId;
import org.panamaipc.sync.Futex;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import static org.panamaipc.rendezvous.RendezvousDescriptor.*;
import static org.panamaipc.rendezvous.RendezvousMemory.INT;
import static org.panamaipc.rendezvous.RendezvousMemory.LONG;

/**
 * A receiver of a {@link Rendezvous}: while it waits in a receive, one sender at a time may hand
 * it a message; it copies the message into the caller's memory, and only then acknowledges, which
 * releases the sender. Each message is taken by exactly one receiver. A receiver is used by one
 * thread at a time.
 *
 * <p>Receiving comes in the three forms of the convention (docs/conventions.md), into a
 * {@code MemorySegment}, into a {@code ByteBuffer}, as an array ({@code tryReceiveBytes},
 * {@code receiveBytes}) or handed to a {@link RendezvousHandler} ({@code poll(handler, limit)},
 * {@code receive(handler, limit)}, which return how many they handed over, never 0): the try form
 * takes a message only from a sender that is
 * waiting in a send at the time of the call (waiting no longer than that sender needs to hand it
 * over, and never more than 5 ms), {@code receive} waits as long as it takes, and
 * {@code receive(..., Duration)} waits at most that long. A receive into the caller's memory
 * returns the payload's length ({@code >= 0}), {@link #EMPTY} (no message, now or within the
 * timeout) or {@link #CLOSED} (every sender has gone: none is alive, while one was when this
 * receiver attached or one attached since; a receiver that has never had a sender waits for one).
 * A receive of an array returns {@code null} for nothing and throws {@link PeerGoneException} for
 * closed. A sender that closes wakes the receivers at once; one that dies is noticed within
 * {@link #LIVENESS_CHECK_INTERVAL}. A sender that dies while it writes its message into this
 * receiver's slot is noticed within 5 ms, and the receiver goes on waiting for another.
 *
 * {@snippet lang=java :
 * try (Rendezvous link = Rendezvous.open("/orders");
 *      RendezvousReceiver receiver = link.receiver();
 *      Arena arena = Arena.ofConfined()) {
 *     MemorySegment order = arena.allocate(link.maxMessageLength());
 *     int length;
 *     while ((length = receiver.receive(order, 0)) != RendezvousReceiver.CLOSED) {
 *         // the sender's send() has returned, or is returning, now that the order is here
 *         process(receiver.lastHeader().type(), order.asSlice(0, length));
 *     }
 * }
 * }
 *
 * <p>A timed receive whose deadline passes when a sender has handed it a whole message takes the
 * message: it returns, a little late, rather than leave the sender not knowing; one whose deadline
 * passes while a sender is still writing into its slot gives the slot back, and that sender offers
 * the message elsewhere. A message too long for the
 * caller's memory is an {@link IllegalArgumentException}; the message goes back to its sender,
 * which offers it again. A timeout of zero or less is the try form; one too long to count in
 * nanoseconds waits as long as it takes. A {@code null} argument is a
 * {@link NullPointerException} naming the parameter. A record that cannot be right is an
 * {@link org.panamaipc.shm.InvalidSegmentException}.
 */
public final class RendezvousReceiver implements AutoCloseable {

    /** No message: now, or within the timeout. */
    public static final int EMPTY = Outcome.EMPTY;
    /** No message, and every sender has gone. */
    public static final int CLOSED = Outcome.CLOSED;

    /** How often a waiting receiver checks that its senders are alive. */
    public static final Duration LIVENESS_CHECK_INTERVAL = Duration.ofMillis(100);

    private static final long SLICE_NANOS = LIVENESS_CHECK_INTERVAL.toNanos();
    private static final long WRITER_CHECK_NANOS = RendezvousSender.LIVENESS_CHECK_INTERVAL.toNanos();
    private static final long TRY_BOUND_NANOS = WRITER_CHECK_NANOS;
    private static final long SPIN_NANOS = 20_000L;
    private static final long CLOSE_WAIT_NANOS = 5_000_000_000L;
    private static final String RECEIVE = "receive from rendezvous";

    private final Rendezvous rendezvous;
    private final RendezvousMemory memory;
    private final MemorySegment body;
    private final int id;
    private final long slot;
    private final long exchangeOffset;
    private final Futex exchange;
    private final RendezvousMemory.Peers peers;
    private final RendezvousHeader header = new RendezvousHeader();

    private int sendersLeftSeen;
    private int sendersEverSeen;
    private long lastGoneCheck;
    private boolean goneSeen;
    private long taken;
    private MemorySegment scratch;
    private volatile boolean closed;
    private volatile boolean waiting;
    private volatile Thread handling;

    RendezvousReceiver(Rendezvous rendezvous, RendezvousMemory memory) {
        this.rendezvous = rendezvous;
        this.memory = memory;
        this.body = memory.body;
        this.sendersLeftSeen = memory.left(RendezvousMemory.Side.SENDER);
        this.peers = memory.peers(RendezvousMemory.Side.SENDER);
        this.id = memory.attach(RendezvousMemory.Side.RECEIVER);
        this.slot = memory.receiverSlot(id);
        this.exchangeOffset = slot + R_EXCHANGE_OFFSET;
        this.exchange = Futex.of(body, exchangeOffset);
    }

    /** {@return this receiver's slot id} */
    public int endpointId() {
        return id;
    }

    /** {@return how many messages this receiver has taken} */
    public long taken() {
        return taken;
    }

    /** {@return the header of the message last received} */
    public RendezvousHeader lastHeader() {
        return header;
    }

    /**
     * Takes a message from a sender waiting in a send now, copying its payload into
     * {@code destination} from {@code offset}; {@link #lastHeader()} then describes it. Allocates
     * nothing. {@return the payload's length, or {@link #EMPTY} or {@link #CLOSED}}
     *
     * @throws IllegalArgumentException if the message does not fit; it goes back to its sender
     * @throws IllegalArgumentException if {@code offset} is negative
     * @throws IndexOutOfBoundsException if {@code offset} is past the end of {@code destination}
     */
    public int tryReceive(MemorySegment destination, long offset) {
        checkDestination(destination, offset);
        try {
            return receive0(destination, offset, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EMPTY;
        }
    }

    /**
     * As {@link #tryReceive(MemorySegment, long)}, waiting as long as it takes.
     * {@return the payload's length, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public int receive(MemorySegment destination, long offset) throws InterruptedException {
        checkDestination(destination, offset);
        return receive0(destination, offset, Timeouts.FOREVER);
    }

    /**
     * As {@link #tryReceive(MemorySegment, long)}, waiting at most {@code timeout}.
     * {@return the payload's length, or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public int receive(MemorySegment destination, long offset, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(destination, "destination");
        long timeoutNanos = Timeouts.toNanos(timeout);
        checkDestination(destination, offset);
        return receive0(destination, offset, timeoutNanos);
    }

    /**
     * Takes a message from a sender waiting in a send now, copying its payload into the remaining
     * bytes of {@code destination} and moving its position past them; when nothing came the
     * position is unchanged. {@return the payload's length, or {@link #EMPTY} or {@link #CLOSED}}
     *
     * @throws IllegalArgumentException if the buffer is read-only, or the message does not fit
     *         (it goes back to its sender)
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
     * Takes the messages senders offer now, up to {@code limit}, one at a time, and hands each to
     * {@code handler} once its sender has been acknowledged. The payload is a copy in this
     * receiver's memory, valid during the call. {@return how many it handed over ({@code >= 1}),
     * or {@link #EMPTY} or {@link #CLOSED}; never 0}
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public int poll(RendezvousHandler handler, int limit) {
        checkHandler(handler, limit);
        int first = tryReceive(scratch(), 0);
        return first < 0 ? first : handOver(handler, limit, first); // only for a message: then the JIT inlines the handler there
    }

    /**
     * As {@link #poll(RendezvousHandler, int)}, waiting as long as it takes for the first message.
     * {@return how many it handed over, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public int receive(RendezvousHandler handler, int limit) throws InterruptedException {
        checkHandler(handler, limit);
        return handOver(handler, limit, receive0(scratch(), 0, Timeouts.FOREVER));
    }

    /**
     * As {@link #poll(RendezvousHandler, int)}, waiting at most {@code timeout} for the first
     * message. {@return how many it handed over, or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public int receive(RendezvousHandler handler, int limit, Duration timeout) throws InterruptedException {
        long timeoutNanos = Timeouts.toNanos(timeout);
        checkHandler(handler, limit);
        return handOver(handler, limit, receive0(scratch(), 0, timeoutNanos));
    }

    private void checkHandler(RendezvousHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        ensureReceivable();
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be positive");
        }
    }

    /** Hands over the message just taken into the scratch memory, then takes those offered now. */
    private int handOver(RendezvousHandler handler, int limit, int first) {
        if (first < 0) {
            return first;
        }
        handling = Thread.currentThread();
        try {
            handler.onMessage(header, scratch, 0, first);
            int count = 1;
            while (count < limit && !closed) {
                int length = tryReceive(scratch, 0);
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

    /**
     * Takes a message as a new array from a sender waiting now. {@return the payload, or
     * {@code null} if none was offered}
     *
     * @throws PeerGoneException if every sender has gone
     */
    public byte[] tryReceiveBytes() {
        return toArray(tryReceive(scratch(), 0));
    }

    /**
     * Receives a message as a new array, waiting as long as it takes. {@return the payload}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws PeerGoneException if every sender has gone
     */
    public byte[] receiveBytes() throws InterruptedException {
        return toArray(receive(scratch(), 0));
    }

    /**
     * Receives a message as a new array, waiting at most {@code timeout}. {@return the payload, or
     * {@code null} on timeout}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws PeerGoneException if every sender has gone
     */
    public byte[] receiveBytes(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return toArray(receive(scratch(), 0, timeout));
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
            throw new PeerGoneException(RECEIVE, memory.name, "its senders have all gone (closed or died)");
        }
        return scratch.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private void checkDestination(MemorySegment destination, long offset) {
        Objects.requireNonNull(destination, "destination");
        ensureReceivable();
        Destinations.checkOffset(destination, offset);
    }

    /** The three forms: {@code timeoutNanos} 0 is the try form. */
    private int receive0(MemorySegment destination, long offset, long timeoutNanos) throws InterruptedException {
        boolean tryForm = timeoutNanos <= 0;
        long start = System.nanoTime();
        if (tryForm && (int) INT.getVolatile(body, (long) SENDERS_OFFERING_OFFSET) <= 0) {
            return sendersGone(start) ? CLOSED : EMPTY;
        }
        long deadline = tryForm ? start + TRY_BOUND_NANOS : Timeouts.deadline(start, timeoutNanos);
        if (!INT.compareAndSet(body, exchangeOffset, IDLE, WAITING)) {
            throw unexpected(exchange.value(), "before a receive");
        }
        memory.signalReady();
        waiting = true;
        boolean settled = false;
        try {
            long writerSeenAt = 0;
            while (true) {
                ensureOpen();
                int current = exchange.value();
                int code = current & CODE_MASK;
                if (code == FILLED) {
                    if (INT.compareAndSet(body, exchangeOffset, current, exchange(TAKING, current >>> SENDER_SHIFT))) {
                        settled = true;
                        return take(current >>> SENDER_SHIFT, destination, offset);
                    }
                    continue; // withdrawn meanwhile
                }
                long now = System.nanoTime();
                if (code == WAITING) {
                    writerSeenAt = 0;
                    boolean stop = Timeouts.passed(deadline, now)
                            || tryForm && (int) INT.getVolatile(body, (long) SENDERS_OFFERING_OFFSET) <= 0;
                    boolean gone = !stop && sendersGone(now);
                    if (stop || gone) {
                        if (INT.compareAndSet(body, exchangeOffset, WAITING, IDLE)) {
                            settled = true;
                            return gone || sendersGone(now) ? CLOSED : EMPTY;
                        }
                        continue; // claimed meanwhile: the message is coming
                    }
                } else if (code == CLAIMED) {
                    // a sender writes its message here; if it dies doing so, wait for another. At the
                    // deadline, take the slot back: the sender's mark of its message as filled then
                    // fails, and it offers the message elsewhere
                    if (Timeouts.passed(deadline, now)) {
                        if (INT.compareAndSet(body, exchangeOffset, current, IDLE)) {
                            settled = true;
                            return sendersGone(now) ? CLOSED : EMPTY;
                        }
                        continue;
                    }
                    if (writerSeenAt == 0) {
                        writerSeenAt = now;
                    } else if (now - writerSeenAt >= WRITER_CHECK_NANOS) {
                        writerSeenAt = now;
                        if (!writer(current).isAlive()) {
                            INT.compareAndSet(body, exchangeOffset, current, WAITING);
                            continue;
                        }
                    }
                } else {
                    throw unexpected(current, "while waiting");
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (now - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                long nanos = code == CLAIMED ? WRITER_CHECK_NANOS : SLICE_NANOS;
                sleep(current, Math.max(1, Math.min(nanos, Timeouts.remaining(deadline, now))));
            }
        } finally {
            waiting = false;
            if (!settled) {
                // leaving by an exception: stop waiting, and hand back an offer that came meanwhile
                int previous = (int) INT.getAndSet(body, exchangeOffset, IDLE);
                memory.handBack(id, previous);
            }
        }
    }

    /** {@return the sender writing into this slot, as its slot says} */
    private ProcessId writer(int current) {
        int sender = current >>> SENDER_SHIFT;
        if (sender >= memory.senderSlots) {
            throw unexpected(current, "while a sender writes");
        }
        return memory.owner(RendezvousMemory.Side.SENDER, sender);
    }

    /**
     * This receiver holds {@code TAKING|sender}: copies the message out, then acknowledges it in
     * the sender's slot and wakes the sender, then goes back to IDLE. {@return the length}
     */
    private int take(int sender, MemorySegment destination, long offset) {
        if (sender >= memory.senderSlots) {
            INT.setVolatile(body, exchangeOffset, IDLE);
            throw memory.corrupt(RECEIVE, "receiver slot " + id + " holds a message of sender " + sender
                    + ", beyond its " + memory.senderSlots + " sender slots");
        }
        long word = body.get(ValueLayout.JAVA_LONG, slot + R_LENGTH_OFFSET);
        int length = (int) word;
        int type = (int) (word >>> 32);
        long ticket = body.get(ValueLayout.JAVA_LONG, slot + R_TICKET_OFFSET);
        long sequence = body.get(ValueLayout.JAVA_LONG, slot + R_SEQUENCE_OFFSET);
        if (length < 0 || length > memory.maxMessageLength) {
            INT.setVolatile(body, exchangeOffset, IDLE);
            memory.notifySender(sender);
            throw memory.corrupt(RECEIVE, "the message in receiver slot " + id + " has length " + length
                    + " (max message length " + memory.maxMessageLength + ")");
        }
        if (length > destination.byteSize() - offset) {
            INT.setVolatile(body, exchangeOffset, IDLE);
            memory.notifySender(sender);
            throw new IllegalArgumentException("message of length=" + length + " does not fit the destination's "
                    + (destination.byteSize() - offset) + " bytes from offset=" + offset
                    + "; it goes back to sender " + sender);
        }
        try {
            MemorySegment.copy(body, slot + R_PAYLOAD_OFFSET, destination, offset, length);
        } catch (RuntimeException | Error e) {
            // the caller's memory refused the copy (read-only, closed): not taken, so hand it back
            INT.setVolatile(body, exchangeOffset, IDLE);
            memory.notifySender(sender);
            throw e;
        }
        LONG.setVolatile(body, memory.senderSlot(sender) + S_ACK_OFFSET, ticket);
        memory.notifySender(sender);
        taken++;
        LONG.setOpaque(body, slot + R_TAKEN_OFFSET, taken);
        INT.setVolatile(body, exchangeOffset, IDLE);
        header.set(type, sender, sequence, length);
        return length;
    }

    /**
     * Sleeps on the exchange word while it holds {@code current}: marked sleeping first (a full
     * fence), so that a sender that fills the slot after our last look wakes us.
     */
    private void sleep(int current, long nanos) throws InterruptedException {
        INT.setVolatile(body, slot + R_SLEEPING_OFFSET, 1);
        try {
            if (!closed && exchange.value() == current
                    && memory.left(RendezvousMemory.Side.SENDER) == sendersLeftSeen) {
                exchange.waitNanos(current, nanos);
            }
        } finally {
            INT.setVolatile(body, slot + R_SLEEPING_OFFSET, 0);
        }
    }

    /**
     * {@return whether every sender has gone} Looked at when a sender left since the last look, and
     * otherwise at most every {@link #LIVENESS_CHECK_INTERVAL}: liveness costs a /proc read.
     */
    private boolean sendersGone(long now) {
        int left = memory.left(RendezvousMemory.Side.SENDER);
        int ever = memory.ever(RendezvousMemory.Side.SENDER);
        if (left == sendersLeftSeen && ever == sendersEverSeen && now - lastGoneCheck < SLICE_NANOS
                && lastGoneCheck != 0) {
            return goneSeen;
        }
        sendersLeftSeen = left;
        sendersEverSeen = ever;
        lastGoneCheck = now;
        goneSeen = memory.gone(peers);
        return goneSeen;
    }

    /** The exchange holds what no step of the protocol leaves in the slot of a live, open receiver. */
    private RuntimeException unexpected(int value, String when) {
        return memory.corrupt(RECEIVE, "receiver slot " + id + " has exchange word 0x" + Integer.toHexString(value)
                + " " + when + " (code " + (value & CODE_MASK) + ")");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("receiver " + id + " of rendezvous " + memory.name + " is closed");
        }
    }

    /** Refuses a receive when closed, or from inside its own handler, whose message a receive would overwrite. */
    private void ensureReceivable() {
        ensureOpen();
        checkNotHandling("receive");
    }

    private void checkNotHandling(String action) {
        if (handling == Thread.currentThread()) {
            throw new IllegalStateException("receiver " + id + " of rendezvous " + memory.name + " cannot " + action
                    + " from inside its own handler: return from the handler first");
        }
    }

    /**
     * Detaches this receiver. A thread of this process waiting in a receive wakes and throws
     * {@link IllegalStateException}, handing back a message offered meanwhile; the call returns
     * once it has left. Senders waiting for a receiver learn it at once. Calling it again does
     * nothing.
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
            exchange.wakeAll();
            LockSupport.parkNanos(100_000L);
        }
        memory.leave(RendezvousMemory.Side.RECEIVER, id);
        rendezvous.forget(this);
    }

    @Override
    public String toString() {
        return "RendezvousReceiver[" + memory.name + ", endpoint " + id + ", taken " + taken + "]";
    }
}
