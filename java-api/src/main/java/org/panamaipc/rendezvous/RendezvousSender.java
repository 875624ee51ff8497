package org.panamaipc.rendezvous;

import org.panamaipc.MessageTooLongException;
import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.process.ProcessId;
import org.panamaipc.sync.Futex;

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
 * A sender of a {@link Rendezvous}: each send hands its message to one receiver waiting in a
 * receive, and returns only once that receiver has taken it: copied every byte into its caller's
 * memory and acknowledged, which wakes this sender through a futex. A sender is used by one thread
 * at a time.
 *
 * <p>Sending comes in three forms, each returning the message's sequence number ({@code >= 1}) once
 * a receiver has taken it, or a negative code:
 * <ul>
 * <li>{@code trySend} succeeds only if a receiver is waiting in a receive at the time of the call:
 *     it hands the message over and waits for that receiver's acknowledgement, which comes as soon
 *     as the receiver runs, but never for a receiver to arrive; {@link #FULL} if none waits.</li>
 * <li>{@code send(..., Duration)} waits at most that long for a receiver to take the message. At
 *     the deadline it withdraws the offer: with one compare-and-set against the receiver's take,
 *     so the message is then either taken (the send returns its sequence number, a little after
 *     the deadline, once the receiver has copied it) or withdrawn ({@link #FULL}), never both and
 *     never neither.</li>
 * <li>{@code send(...)} waits as long as it takes.</li>
 * </ul>
 * {@link #CLOSED} says that every receiver has gone (none is alive, while one was when this sender
 * attached, or one attached since; a sender that has never had a receiver waits for one); the
 * blocking form throws {@link PeerGoneException} instead.
 *
 * <p><b>A receiver that dies</b> is noticed at once, which here means: a receiver that dies
 * holding this sender's message (after it claimed it, before it acknowledged) within
 * {@link #LIVENESS_CHECK_INTERVAL} (the sender checks it every 5 ms while it waits, and once after
 * spinning 20 µs); a receiver that was dead already when the message was handed to it, about 20
 * µs later; the last receiver dying while the sender waits for one, within 5 ms. The message then
 * counts as not taken: the sender offers it to another receiver, or, with none left, returns
 * {@link #CLOSED}. A receiver that closes hands the message back at once.
 *
 * {@snippet lang=java :
 * try (Rendezvous link = Rendezvous.open("/orders");
 *      RendezvousSender sender = link.sender()) {
 *     long sequence = sender.send(ORDER, order, Duration.ofSeconds(2));
 *     if (sequence == RendezvousSender.FULL) {
 *         // nobody took it within 2 s, and nobody has it: safe to send elsewhere
 *     }
 * }
 * }
 *
 * <p>A timeout of zero or less does not wait (the try form); one too long to count in nanoseconds
 * waits as long as it takes. A {@code null} argument is a {@link NullPointerException} naming the
 * parameter. An interrupt, or a {@link #close()} from another thread, while the message is offered
 * withdraws it and throws; if a receiver is taking it just then, the send first waits for the
 * take, returns its sequence number and leaves the interrupt status set.
 */
public final class RendezvousSender implements AutoCloseable {

    /** No receiver took the message: none was waiting (try form), or none took it within the timeout. */
    public static final long FULL = Outcome.FULL;
    /** Every receiver has gone. */
    public static final long CLOSED = Outcome.CLOSED;

    /** How often a waiting sender checks that the receiver holding its message (or any receiver) is alive. */
    public static final Duration LIVENESS_CHECK_INTERVAL = Duration.ofMillis(5);

    private static final long LIVENESS_NANOS = LIVENESS_CHECK_INTERVAL.toNanos();
    private static final long SPIN_NANOS = 20_000L;
    private static final long CLOSE_WAIT_NANOS = 5_000_000_000L;
    private static final long COUNT_MASK = (1L << GENERATION_SHIFT) - 1;
    private static final String SEND = "send to rendezvous";

    private static final int TAKEN = 0;
    private static final int WITHDRAWN = 1;
    private static final int DROPPED = 2;

    private final Rendezvous rendezvous;
    private final RendezvousMemory memory;
    private final MemorySegment body;
    private final int id;
    private final long slot;
    private final long generation;
    private final int claimed;
    private final int filled;
    private final int taking;
    private final RendezvousMemory.Peers peers;
    private final Futex events;

    private long sequence = 1;
    private long count;
    private long ticket;
    private int scanFrom;
    private ProcessId holder;
    private int receiversLeftSeen;
    private int receiversEverSeen;
    private long lastGoneCheck;
    private boolean goneSeen;
    private long withdrawn;
    private long receiverDeaths;
    private boolean interrupted;
    private volatile boolean closed;
    private volatile boolean waiting;

    RendezvousSender(Rendezvous rendezvous, RendezvousMemory memory) {
        this.rendezvous = rendezvous;
        this.memory = memory;
        this.body = memory.body;
        this.receiversLeftSeen = memory.left(RendezvousMemory.Side.RECEIVER);
        this.peers = memory.peers(RendezvousMemory.Side.RECEIVER);
        this.id = memory.attach(RendezvousMemory.Side.SENDER);
        this.slot = memory.senderSlot(id);
        this.generation = body.get(ValueLayout.JAVA_LONG, slot + S_GENERATION_OFFSET);
        this.claimed = exchange(CLAIMED, id);
        this.filled = exchange(FILLED, id);
        this.taking = exchange(TAKING, id);
        this.events = Futex.of(body, slot + S_EVENTS_OFFSET);
    }

    /** {@return this sender's slot id, which receivers see as {@link RendezvousHeader#source()}} */
    public int endpointId() {
        return id;
    }

    /** {@return the longest payload the rendezvous takes} */
    public int maxMessageLength() {
        return memory.maxMessageLength;
    }

    /** {@return how many offers this sender withdrew at their deadline} */
    public long withdrawn() {
        return withdrawn;
    }

    /** {@return how many times a receiver holding this sender's message was found dead} */
    public long receiverDeaths() {
        return receiverDeaths;
    }

    /**
     * Hands {@code length} bytes of {@code source} from {@code offset}, as a message of
     * {@code type}, to a receiver waiting now, and waits for it to take them. {@return the
     * sequence number, or {@link #FULL} if no receiver is waiting, or {@link #CLOSED}}
     *
     * @throws IllegalArgumentException if {@code length} or {@code offset} is negative; nothing was sent
     * @throws MessageTooLongException if {@code length} exceeds {@link #maxMessageLength()}; nothing was sent
     * @throws IndexOutOfBoundsException if the bytes are not all in {@code source}
     */
    public long trySend(int type, MemorySegment source, long offset, int length) {
        check(source, offset, length);
        try {
            return send0(type, source, offset, length, 0);
        } catch (InterruptedException e) {
            throw new AssertionError("the try form does not sleep for a receiver", e);
        }
    }

    /**
     * Sends as {@link #trySend(int, MemorySegment, long, int)}, waiting as long as it takes for a
     * receiver to take the message. {@return the sequence number}
     *
     * @throws InterruptedException if the thread is interrupted while the message is not being taken
     * @throws PeerGoneException if every receiver has gone
     */
    public long send(int type, MemorySegment source, long offset, int length) throws InterruptedException {
        check(source, offset, length);
        long sent = send0(type, source, offset, length, Timeouts.FOREVER);
        if (sent == CLOSED) {
            throw new PeerGoneException(SEND, memory.name, "its receivers have all gone (closed or died)");
        }
        return sent;
    }

    /**
     * Sends, waiting at most {@code timeout} for a receiver to take the message; at the deadline
     * the offer is withdrawn, unless a receiver is taking it just then. {@return the sequence
     * number, or {@link #FULL}, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while the message is not being taken
     */
    public long send(int type, MemorySegment source, long offset, int length, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(source, "source");
        long timeoutNanos = Timeouts.toNanos(timeout);
        check(source, offset, length);
        return send0(type, source, offset, length, timeoutNanos);
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
        if (length > memory.maxMessageLength) {
            throw new MessageTooLongException(SEND, memory.name, length, memory.maxMessageLength);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset=" + offset + " must not be negative");
        }
        Objects.checkFromIndexSize(offset, length, source.byteSize());
    }

    /** The three forms: {@code timeoutNanos} 0 is the try form. */
    private long send0(int type, MemorySegment source, long offset, int length, long timeoutNanos)
            throws InterruptedException {
        boolean tryForm = timeoutNanos <= 0;
        long start = System.nanoTime();
        long deadline = tryForm ? Timeouts.FOREVER : Timeouts.deadline(start, timeoutNanos);
        interrupted = false;
        boolean offering = false;
        waiting = true;
        try {
            boolean again = false;
            while (true) {
                ensureOpen();
                if (again && Timeouts.passed(deadline)) {
                    return receiversGone(System.nanoTime()) ? CLOSED : FULL;
                }
                again = true;
                int receiver = handOver(type, source, offset, length);
                if (receiver >= 0) {
                    int outcome = awaitTake(receiver, deadline);
                    if (outcome == TAKEN) {
                        LONG.setOpaque(body, slot + S_SENT_OFFSET, sequence);
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                        return sequence++;
                    }
                    if (outcome == WITHDRAWN) {
                        return receiversGone(System.nanoTime()) ? CLOSED : FULL;
                    }
                    if (interrupted) {
                        throw new InterruptedException();
                    }
                    continue; // handed back: offer it again
                }
                long now = System.nanoTime();
                if (tryForm || Timeouts.passed(deadline, now)) {
                    return receiversGone(now) ? CLOSED : FULL;
                }
                if (receiversGone(now)) {
                    return CLOSED;
                }
                if (!offering) {
                    offering = true;
                    INT.getAndAdd(body, (long) SENDERS_OFFERING_OFFSET, 1);
                    INT.setVolatile(body, slot + S_OFFERING_OFFSET, 1);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (now - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                sleepForReceiver(Math.min(Timeouts.remaining(deadline, now), LIVENESS_NANOS));
            }
        } finally {
            if (offering) {
                INT.setVolatile(body, slot + S_OFFERING_OFFSET, 0);
                INT.getAndAdd(body, (long) SENDERS_OFFERING_OFFSET, -1);
            }
            waiting = false;
        }
    }

    /**
     * Claims a waiting receiver, writes the message into its slot and marks it filled, waking the
     * receiver if it sleeps. {@return the receiver's slot id, or -1 if none was waiting}
     */
    private int handOver(int type, MemorySegment source, long offset, int length) {
        int inUse = memory.inUse(RendezvousMemory.Side.RECEIVER);
        for (int k = 0; k < inUse; k++) {
            int receiver = scanFrom + k;
            if (receiver >= inUse) {
                receiver -= inUse;
            }
            long r = memory.receiverSlot(receiver);
            if ((int) INT.getVolatile(body, r + R_EXCHANGE_OFFSET) != WAITING
                    || !INT.compareAndSet(body, r + R_EXCHANGE_OFFSET, WAITING, claimed)) {
                continue;
            }
            scanFrom = receiver + 1 < inUse ? receiver + 1 : 0;
            ticket = generation << GENERATION_SHIFT | (++count & COUNT_MASK);
            try {
                body.set(ValueLayout.JAVA_LONG, r + R_TICKET_OFFSET, ticket);
                body.set(ValueLayout.JAVA_LONG, r + R_SEQUENCE_OFFSET, sequence);
                body.set(ValueLayout.JAVA_LONG, r + R_LENGTH_OFFSET, (length & 0xFFFF_FFFFL) | ((long) type << 32));
                body.set(ValueLayout.JAVA_INT, r + R_SOURCE_OFFSET, id);
                MemorySegment.copy(source, offset, body, r + R_PAYLOAD_OFFSET, length);
            } catch (RuntimeException | Error e) {
                INT.compareAndSet(body, r + R_EXCHANGE_OFFSET, claimed, WAITING);
                throw e;
            }
            holder = memory.owner(RendezvousMemory.Side.RECEIVER, receiver);
            if (!INT.compareAndSet(body, r + R_EXCHANGE_OFFSET, claimed, filled)) {
                continue; // the receiver left or was retired meanwhile
            }
            if ((int) INT.getVolatile(body, r + R_SLEEPING_OFFSET) != 0) {
                Futex.of(body, r + R_EXCHANGE_OFFSET).wakeAll();
            }
            return receiver;
        }
        return -1;
    }

    private boolean acknowledged() {
        return (long) LONG.getVolatile(body, slot + S_ACK_OFFSET) == ticket;
    }

    /**
     * Waits until receiver {@code receiver} takes the message (TAKEN), or the deadline passes with
     * the message still offered and the offer is withdrawn (WITHDRAWN), or the message comes back
     * because the receiver left, declined it or died (DROPPED).
     */
    private int awaitTake(int receiver, long deadline) throws InterruptedException {
        long r = memory.receiverSlot(receiver);
        long start = System.nanoTime();
        long lastLivenessCheck = start - LIVENESS_NANOS;
        while (true) {
            if (acknowledged()) {
                return TAKEN;
            }
            int exchange = (int) INT.getVolatile(body, r + R_EXCHANGE_OFFSET);
            if (exchange != filled && exchange != taking) {
                return acknowledged() ? TAKEN : DROPPED;
            }
            long now = System.nanoTime();
            boolean giveUp = interrupted || closed || Timeouts.passed(deadline, now);
            if (exchange == filled && giveUp) {
                if (INT.compareAndSet(body, r + R_EXCHANGE_OFFSET, filled, WAITING)) {
                    withdrawn++;
                    LONG.setOpaque(body, slot + S_WITHDRAWN_OFFSET, withdrawn);
                    ensureOpen();
                    if (interrupted) {
                        throw new InterruptedException();
                    }
                    return WITHDRAWN;
                }
                continue; // the receiver took it meanwhile
            }
            if (now - start < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            if (now - lastLivenessCheck >= LIVENESS_NANOS) {
                lastLivenessCheck = now;
                if (!holder.isAlive()) {
                    if (INT.compareAndSet(body, r + R_EXCHANGE_OFFSET, exchange, NONE)) {
                        receiverDeaths++;
                        LONG.getAndAdd(body, (long) DROPPED_OFFSET, 1L);
                        return acknowledged() ? TAKEN : DROPPED;
                    }
                    continue;
                }
            }
            long nanos = LIVENESS_NANOS;
            if (exchange == filled && deadline != Timeouts.FOREVER) {
                nanos = Math.max(1, Math.min(nanos, Timeouts.remaining(deadline, now)));
            }
            sleepForTake(r, exchange, nanos);
        }
    }

    /** Sleeps on this sender's events word while the exchange still holds {@code exchange}. */
    private void sleepForTake(long r, int exchange, long nanos) {
        int seen = events.value();
        INT.setVolatile(body, slot + S_SLEEPING_OFFSET, SLEEPING_ON_EVENTS);
        try {
            if (!closed && !acknowledged() && (int) INT.getVolatile(body, r + R_EXCHANGE_OFFSET) == exchange) {
                events.waitNanos(seen, nanos);
            }
        } catch (InterruptedException e) {
            interrupted = true; // the message is out: withdraw it, or wait for the take, before throwing
        } finally {
            INT.setVolatile(body, slot + S_SLEEPING_OFFSET, 0);
        }
    }

    /** Sleeps on the ready signal until a receiver starts waiting or leaves, at most {@code nanos}. */
    private void sleepForReceiver(long nanos) throws InterruptedException {
        int seen = memory.readySignal.value();
        INT.getAndAdd(body, (long) SENDERS_SLEEPING_OFFSET, 1);
        INT.setVolatile(body, slot + S_SLEEPING_OFFSET, SLEEPING_ON_READY);
        try {
            if (!closed && !receiverWaiting() && memory.left(RendezvousMemory.Side.RECEIVER) == receiversLeftSeen) {
                memory.readySignal.waitNanos(seen, nanos);
            }
        } finally {
            INT.setVolatile(body, slot + S_SLEEPING_OFFSET, 0);
            INT.getAndAdd(body, (long) SENDERS_SLEEPING_OFFSET, -1);
        }
    }

    private boolean receiverWaiting() {
        int inUse = memory.inUse(RendezvousMemory.Side.RECEIVER);
        for (int receiver = 0; receiver < inUse; receiver++) {
            if ((int) INT.getVolatile(body, memory.receiverSlot(receiver) + R_EXCHANGE_OFFSET) == WAITING) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return whether every receiver has gone} Looked at when a receiver left since the last look,
     * and otherwise at most every {@link #LIVENESS_CHECK_INTERVAL}: liveness costs a /proc read.
     */
    private boolean receiversGone(long now) {
        int left = memory.left(RendezvousMemory.Side.RECEIVER);
        int ever = memory.ever(RendezvousMemory.Side.RECEIVER);
        if (left == receiversLeftSeen && ever == receiversEverSeen && now - lastGoneCheck < LIVENESS_NANOS
                && lastGoneCheck != 0) {
            return goneSeen;
        }
        receiversLeftSeen = left;
        receiversEverSeen = ever;
        lastGoneCheck = now;
        goneSeen = memory.gone(peers);
        return goneSeen;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("sender " + id + " of rendezvous " + memory.name + " is closed");
        }
    }

    /**
     * Detaches this sender. A thread of this process waiting in a send wakes: an offer not being
     * taken is withdrawn and the send throws {@link IllegalStateException}; the call returns once
     * that thread has left. Calling it again does nothing.
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
            events.getAndAdd(1);
            events.wakeAll();
            memory.readySignal.getAndAdd(1);
            memory.readySignal.wakeAll();
            LockSupport.parkNanos(100_000L);
        }
        memory.leave(RendezvousMemory.Side.SENDER, id);
        rendezvous.forget(this);
    }

    @Override
    public String toString() {
        return "RendezvousSender[" + memory.name + ", endpoint " + id + ", next sequence " + sequence + "]";
    }
}
