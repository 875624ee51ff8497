package org.panamaipc.channel;

import org.panamaipc.internal.Sleepers;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

import static org.panamaipc.channel.ChannelDescriptor.*;

/**
 * What every endpoint of a ring channel shares, whatever its role and kind: its slot in the
 * endpoint table, what it knew of its peers when it attached, the rate-limited look at whether
 * they have gone, its {@link WaitLoop}, and its lifecycle: a {@link #close()} that wakes a thread
 * waiting in it, waits for that thread to leave, and only then gives the slot back.
 *
 * <p>An endpoint is used by one thread at a time. Another thread may close it, or its channel,
 * while that thread waits (in a blocking or timed send, claim or receive): the waiting thread then
 * wakes and throws {@link IllegalStateException} naming what was closed. A call that does not wait
 * (a try form, a commit), or a handler, running while another thread closes is a race of the
 * caller: it may fail with {@link IllegalStateException}. A handler may not close its own receiver
 * or channel.
 */
abstract sealed class Endpoint permits SenderEndpoint, ReceiverEndpoint {

    /** How often an endpoint looks at whether its peers have gone, at most (a /proc read per peer). */
    static final long CHECK_INTERVAL_NANOS = 10_000_000L;
    private static final long CLOSE_TIMEOUT_NANOS = SharedMemory.UNMAP_TIMEOUT.toNanos();
    private static final VarHandle WAITER;
    private static final VarHandle CLOSING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WAITER = lookup.findVarHandle(Endpoint.class, "waiter", Thread.class);
            CLOSING = lookup.findVarHandle(Endpoint.class, "closing", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ChannelMemory memory;
    final MemorySegment body;
    final MemorySegment records;
    final long mask;
    final long capacity;
    final int maxLength;
    final int id;
    /** The offset of this endpoint's slot in the body. */
    final long slot;
    final EndpointTable.Peers peers;
    final WaitLoop wait;
    private final String role;
    private final RingChannel channel;

    /** Null while open; once closed, what a call (or a waiting thread) is told. */
    private volatile String closedMessage;
    @SuppressWarnings("unused") // through CLOSING
    private volatile boolean closing;
    /** The thread in a wait of this endpoint, or null: {@link #close()} waits for it to leave. */
    @SuppressWarnings("unused") // through WAITER
    private volatile Thread waiter;
    /** The thread handing messages to a handler, or null: it must not close this endpoint meanwhile. */
    Thread handling;

    /** The other side's left count at the last liveness look: a change calls for another look at once. */
    private int leftSeen;
    private long lastCheck = System.nanoTime() - CHECK_INTERVAL_NANOS;
    /** What the last look at the other side said. */
    private boolean peersGone;
    /** How many endpoints of the other side had ever attached at the last look. */
    private int everSeen;

    /**
     * Registers a new endpoint of {@code role} in the channel.
     *
     * @param channel the channel object that attached it, told when it closes; null for none
     */
    Endpoint(ChannelMemory memory, WaitStrategy strategy, int role, RingChannel channel) {
        this.memory = memory;
        this.body = memory.body;
        this.records = memory.records;
        this.mask = memory.mask;
        this.capacity = memory.capacity;
        this.maxLength = memory.maxMessageLength;
        this.role = role == ROLE_SENDER ? "sender" : "receiver";
        this.channel = channel;
        this.leftSeen = leftCount();
        this.id = memory.endpoints.register(role, strategy.mayBlock());
        this.peers = memory.endpoints.peersAtAttach(role == ROLE_SENDER ? ROLE_RECEIVER : ROLE_SENDER);
        this.everSeen = peers.everAtAttach();
        this.slot = memory.endpoints.slot(id);
        boolean sender = role == ROLE_SENDER;
        this.wait = new WaitLoop(this, strategy, sender ? memory.spaceSignal : memory.dataSignal,
                sender ? SENDERS_WAITING_OFFSET : RECEIVERS_WAITING_OFFSET, slot + EP_SLEEPING_OFFSET);
    }

    /** {@return this endpoint's id, its slot in the table} */
    public final int endpointId() {
        return id;
    }

    // what the wait loop asks of the endpoint

    /** {@return the other side's left count: senders left for a receiver, receivers left for a sender} */
    abstract int leftCount();

    /**
     * Looks at the other side (and does the other rate-limited work of the kind, such as a
     * receiver's repair of a dead sender's gap): {@return whether it has gone}
     */
    abstract boolean lookAtPeers(long now);

    /**
     * {@return whether the other side has gone} Looked at ({@link #lookAtPeers}) only when the
     * checks are due ({@link #checkDue}); in between, what the last look said.
     */
    final boolean peersGone(long now) {
        if (checkDue(now)) {
            peersGone = lookAtPeers(now);
        }
        return peersGone;
    }

    /** The last look before sleeping: {@return whether there is something to do instead} */
    abstract boolean readyToRetry();

    /** {@return how long one sleep on the futex may last before the endpoint looks again by itself} */
    abstract long sleepSliceNanos();

    /** Called before each sleep on the futex: a receiver counts it. */
    void beforeSleep() {
    }

    /** From {@link #prepareQuietSleep()}: sleep with no slice, as long as the deadline allows. */
    static final int QUIET = 1;
    /** From {@link #prepareQuietSleep()}: sleep in slices of {@link #sleepSliceNanos()}. */
    static final int SLICED = 0;
    /** From {@link #prepareQuietSleep()}: do not sleep; a peer has died, and the next step looks. */
    static final int LOOK_NOW = -1;

    /**
     * Gets ready for a sleep on the futex. {@return {@link #QUIET} if everything that should end the
     * sleep wakes it (then no slice is needed), {@link #SLICED}, or {@link #LOOK_NOW}} By default
     * sliced: a sender's sleep ends every 10 ms by itself.
     */
    int prepareQuietSleep() {
        return SLICED;
    }

    /** Makes the next {@link #checkDue} say yes, whatever the time: something has changed. */
    final void forceCheck() {
        forcedCheck = true;
    }

    private boolean forcedCheck;

    /**
     * {@return whether the rate-limited checks are due: {@link #CHECK_INTERVAL_NANOS} has passed
     * since the last, or an endpoint of the other side has left since (closed, or retired as dead)
     * or attached since (so that what the last look said is never taken for now after a change)}
     */
    final boolean checkDue(long now) {
        int left = leftCount();
        int ever = memory.endpoints.ever(peers.role());
        if (left == leftSeen && ever == everSeen && now - lastCheck < CHECK_INTERVAL_NANOS && !forcedCheck) {
            return false;
        }
        forcedCheck = false;
        leftSeen = left;
        everSeen = ever;
        lastCheck = now;
        return true;
    }

    /** {@return whether an endpoint of the other side has left since the last liveness look} */
    final boolean peerLeftSinceCheck() {
        return leftCount() != leftSeen;
    }

    // lifecycle

    /**
     * Throws if the endpoint is closed.
     *
     * @throws IllegalStateException naming the endpoint, or its channel if that was closed
     */
    final void ensureOpen() {
        String message = closedMessage;
        if (message != null) {
            throw new IllegalStateException(message);
        }
    }

    /**
     * Refuses a negative offset into the caller's memory, as docs/conventions.md has it for a
     * caller bug, before FFM would refuse it with an {@link IndexOutOfBoundsException} of its own.
     *
     * @throws IllegalArgumentException naming {@code offset=} and its value
     */
    static void checkOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset=" + offset + " must not be negative");
        }
    }

    /** {@return whether the endpoint is closed} */
    final boolean isClosed() {
        return closedMessage != null;
    }

    /** Marks the calling thread as waiting in this endpoint, unless it is closed (then throws). */
    final void enterWait() {
        WAITER.setVolatile(this, Thread.currentThread()); // then the closed mark: pairs with close()
        if (closedMessage != null) {
            WAITER.setRelease(this, null);
            ensureOpen();
        }
    }

    /** {@return whether a thread waits in this endpoint now} */
    final boolean hasWaiter() {
        return WAITER.getVolatile(this) != null;
    }

    /** Ends what {@link #enterWait()} began. */
    final void exitWait() {
        WAITER.setRelease(this, null);
    }

    /** Detaches this endpoint from the channel. Idempotent. */
    public final void close() {
        close(role + " " + id + " of channel " + memory.name + " is closed");
    }

    /** Refuses a close from inside a handler of this endpoint, before anything is closed. */
    final void checkNotHandling() {
        checkNotHandling("be closed");
    }

    /** Refuses {@code action} (such as "receive") from inside a handler of this endpoint. */
    final void checkNotHandling(String action) {
        if (handling == Thread.currentThread()) {
            throw new IllegalStateException(role + " " + id + " of channel " + memory.name
                    + " cannot " + action + " from inside its own handler: return from the handler first");
        }
    }

    /**
     * Closes the endpoint with {@code message} for whoever uses it afterwards: marks it closed,
     * wakes a thread waiting in it and waits for that thread to leave, then lets the subclass
     * finish ({@link #beforeRetire()}) and gives the slot back, which tells the other side.
     *
     * @throws IllegalStateException if called from inside a handler of this endpoint, or if a
     *         thread stays in the endpoint for {@link SharedMemory#UNMAP_TIMEOUT} (the slot then
     *         stays until this process ends)
     */
    final void close(String message) {
        checkNotHandling();
        if (!CLOSING.compareAndSet(this, false, true)) {
            return;
        }
        closedMessage = message; // then the waiter: pairs with enterWait()
        Sleepers.closeOwner(this, message, CLOSE_TIMEOUT_NANOS);
        long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
        while (WAITER.getVolatile(this) != null) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(role + " " + id + " of channel " + memory.name
                        + " is closed, but a thread still uses it after " + SharedMemory.UNMAP_TIMEOUT.toSeconds()
                        + " s: its slot stays until this process ends");
            }
            LockSupport.parkNanos(100_000L);
        }
        try {
            beforeRetire();
        } finally {
            memory.endpoints.retire(id); // counts this endpoint as left and wakes the other side's sleepers
            afterRetire();
            if (channel != null) {
                channel.detached(this);
            }
        }
    }

    /** What a subclass does before the slot goes: a sender aborts an open claim. */
    void beforeRetire() {
    }

    /** What a subclass releases after the slot went: a receiver's scratch memory. */
    void afterRetire() {
    }

    @Override
    public String toString() {
        return (role.equals("sender") ? "Sender[" : "Receiver[") + memory.name + ", endpoint " + id + ", "
                + getClass().getSimpleName() + (isClosed() ? ", closed" : "") + "]";
    }
}
