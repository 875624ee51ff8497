package org.panamaipc.rendezvous;

import org.panamaipc.internal.RegistrationLock;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.MutexDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.panamaipc.rendezvous.RendezvousDescriptor.*;

/**
 * The shared memory of one rendezvous as its endpoints see it: the configuration, checked once;
 * the ready signal; the slots of senders and receivers, with attaching, leaving and retiring the
 * dead written once; the notifications one side sends the other. Every offset comes from
 * {@link RendezvousDescriptor}.
 */
final class RendezvousMemory {

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** How long attaching, leaving or retiring waits for the registration lock. */

    /** The two kinds of slot. */
    enum Side {
        SENDER(SENDERS_EVER_OFFSET, SENDERS_LEFT_OFFSET, SENDER_SLOTS_IN_USE_OFFSET),
        RECEIVER(RECEIVERS_EVER_OFFSET, RECEIVERS_LEFT_OFFSET, RECEIVER_SLOTS_IN_USE_OFFSET);

        final int everOffset;
        final int leftOffset;
        final int inUseOffset;

        Side(int everOffset, int leftOffset, int inUseOffset) {
            this.everOffset = everOffset;
            this.leftOffset = leftOffset;
            this.inUseOffset = inUseOffset;
        }
    }

    final String name;
    final MemorySegment body;
    final int maxMessageLength;
    final int senderSlots;
    final int receiverSlots;
    final long receiversOffset;
    final int receiverSlotLength;
    final Futex readySignal;
    private final IpcMutex lock;

    RendezvousMemory(String name, MemorySegment body) {
        this.name = name;
        this.body = body;
        long bodySize = body.byteSize();
        if (bodySize < SENDERS_OFFSET) {
            throw corrupt("its body of " + bodySize + " bytes is shorter than the rendezvous header");
        }
        int maxMessageLength = body.get(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET);
        int senderSlots = body.get(ValueLayout.JAVA_INT, SENDER_SLOTS_OFFSET);
        int receiverSlots = body.get(ValueLayout.JAVA_INT, RECEIVER_SLOTS_OFFSET);
        int receiverSlotLength = body.get(ValueLayout.JAVA_INT, RECEIVER_SLOT_LENGTH_OFFSET);
        long sendersOffset = body.get(ValueLayout.JAVA_LONG, SENDERS_OFFSET_OFFSET);
        long receiversOffset = body.get(ValueLayout.JAVA_LONG, RECEIVERS_OFFSET_OFFSET);
        check(RendezvousDescriptor.checkMaxMessageLength(maxMessageLength));
        check(RendezvousDescriptor.checkSlots(senderSlots, "sender"));
        check(RendezvousDescriptor.checkSlots(receiverSlots, "receiver"));
        check(RendezvousDescriptor.checkGeometry(maxMessageLength, senderSlots, receiverSlots, receiverSlotLength,
                sendersOffset, receiversOffset, bodySize));
        this.maxMessageLength = maxMessageLength;
        this.senderSlots = senderSlots;
        this.receiverSlots = receiverSlots;
        this.receiversOffset = receiversOffset;
        this.receiverSlotLength = receiverSlotLength;
        this.readySignal = Futex.of(body, READY_SIGNAL_OFFSET);
        this.lock = IpcMutex.wrap(body.asSlice(LOCK_OFFSET, MutexDescriptor.SIZE));
    }

    private void check(String problem) {
        if (problem != null) {
            throw corrupt(problem);
        }
    }

    /** Writes the configuration of a new rendezvous into a zero-filled body. */
    static void initialize(MemorySegment body, RendezvousOptions options) {
        body.set(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET, options.maxMessageLength());
        body.set(ValueLayout.JAVA_INT, SENDER_SLOTS_OFFSET, options.senderSlots());
        body.set(ValueLayout.JAVA_INT, RECEIVER_SLOTS_OFFSET, options.receiverSlots());
        body.set(ValueLayout.JAVA_INT, RECEIVER_SLOT_LENGTH_OFFSET, receiverSlotLength(options.maxMessageLength()));
        body.set(ValueLayout.JAVA_LONG, SENDERS_OFFSET_OFFSET, SENDERS_OFFSET);
        body.set(ValueLayout.JAVA_LONG, RECEIVERS_OFFSET_OFFSET, RendezvousDescriptor.receiversOffset(options.senderSlots()));
    }

    /** {@return the bytes a body needs for {@code options}} */
    static long bodySize(RendezvousOptions options) {
        return RendezvousDescriptor.bodySize(options.maxMessageLength(), options.senderSlots(), options.receiverSlots());
    }

    InvalidSegmentException corrupt(String detail) {
        return new InvalidSegmentException(name, InvalidSegmentException.Reason.CORRUPT, detail);
    }

    InvalidSegmentException corrupt(String action, String detail) {
        return new InvalidSegmentException(action, name, InvalidSegmentException.Reason.CORRUPT, detail);
    }

    // slots

    long senderSlot(int id) {
        return SENDERS_OFFSET + (long) id * SENDER_LENGTH;
    }

    long receiverSlot(int id) {
        return receiversOffset + (long) id * receiverSlotLength;
    }

    private long slot(Side side, int id) {
        return side == Side.SENDER ? senderSlot(id) : receiverSlot(id);
    }

    private int slots(Side side) {
        return side == Side.SENDER ? senderSlots : receiverSlots;
    }

    int state(Side side, int id) {
        return (int) INT.getAcquire(body, slot(side, id) + (side == Side.SENDER ? S_STATE_OFFSET : R_STATE_OFFSET));
    }

    ProcessId owner(Side side, int id) {
        long s = slot(side, id);
        return side == Side.SENDER
                ? new ProcessId(body.get(ValueLayout.JAVA_INT, s + S_PID_OFFSET), body.get(ValueLayout.JAVA_LONG, s + S_START_TIME_OFFSET))
                : new ProcessId(body.get(ValueLayout.JAVA_INT, s + R_PID_OFFSET), body.get(ValueLayout.JAVA_LONG, s + R_START_TIME_OFFSET));
    }

    /** {@return one past the highest slot of {@code side} ever taken, bounded by the slot count} */
    int inUse(Side side) {
        int inUse = (int) INT.getVolatile(body, (long) side.inUseOffset);
        return inUse < 0 || inUse > slots(side) ? slots(side) : inUse;
    }

    int left(Side side) {
        return (int) INT.getVolatile(body, (long) side.leftOffset);
    }

    int ever(Side side) {
        return (int) INT.getVolatile(body, (long) side.everOffset);
    }

    /** {@return how many endpoints of {@code side} are attached and alive} Reads /proc for each attached one. */
    int live(Side side) {
        int live = 0;
        for (int id = 0; id < inUse(side); id++) {
            if (state(side, id) == ACTIVE && owner(side, id).isAlive()) {
                live++;
            }
        }
        return live;
    }

    /** What an endpoint knew of the other side when it attached: whether one was alive, and how many had ever attached. */
    record Peers(Side side, boolean aliveAtAttach, int everAtAttach) {
    }

    Peers peers(Side side) {
        return new Peers(side, live(side) > 0, ever(side));
    }

    /**
     * {@return whether the endpoints of the other side have all gone}: none is alive now, while
     * one was alive when the asking endpoint attached, or one attached after it.
     */
    boolean gone(Peers peers) {
        if (live(peers.side()) > 0) {
            return false;
        }
        return peers.aliveAtAttach() || ever(peers.side()) > peers.everAtAttach();
    }

    // attaching and leaving

    /**
     * Attaches this process on {@code side}; {@return its slot id} Dead endpoints' slots are
     * retired first.
     *
     * @throws IllegalStateException if every slot of that side is taken by a live process
     */
    int attach(Side side) {
        lock();
        try {
            retireDead();
            ProcessId me = ProcessId.current();
            for (int id = 0; id < slots(side); id++) {
                long s = slot(side, id);
                int stateOffset = side == Side.SENDER ? S_STATE_OFFSET : R_STATE_OFFSET;
                if (INT.compareAndSet(body, s + stateOffset, FREE, REGISTERING)) {
                    if (side == Side.SENDER) {
                        body.set(ValueLayout.JAVA_INT, s + S_PID_OFFSET, me.pid());
                        body.set(ValueLayout.JAVA_LONG, s + S_START_TIME_OFFSET, me.startTime());
                        INT.setVolatile(body, s + S_SLEEPING_OFFSET, 0);
                        INT.setVolatile(body, s + S_OFFERING_OFFSET, 0);
                        LONG.getAndAdd(body, s + S_GENERATION_OFFSET, 1L);
                        body.set(ValueLayout.JAVA_LONG, s + S_SENT_OFFSET, 0L);
                        body.set(ValueLayout.JAVA_LONG, s + S_WITHDRAWN_OFFSET, 0L);
                    } else {
                        body.set(ValueLayout.JAVA_INT, s + R_PID_OFFSET, me.pid());
                        body.set(ValueLayout.JAVA_LONG, s + R_START_TIME_OFFSET, me.startTime());
                        INT.setVolatile(body, s + R_SLEEPING_OFFSET, 0);
                        body.set(ValueLayout.JAVA_LONG, s + R_TAKEN_OFFSET, 0L);
                        INT.setVolatile(body, s + R_EXCHANGE_OFFSET, IDLE);
                    }
                    INT.getAndAdd(body, (long) side.everOffset, 1);
                    if ((int) INT.getVolatile(body, (long) side.inUseOffset) < id + 1) {
                        INT.setVolatile(body, (long) side.inUseOffset, id + 1);
                    }
                    INT.setVolatile(body, s + stateOffset, ACTIVE);
                    return id;
                }
            }
            throw new IllegalStateException("rendezvous " + name + " has all " + slots(side) + " "
                    + side.name().toLowerCase() + " slots in use by live processes; create it with more "
                    + side.name().toLowerCase() + "Slots");
        } finally {
            lock.unlock();
        }
    }

    /** This process's endpoint {@code id} of {@code side} leaves. */
    void leave(Side side, int id) {
        lock();
        try {
            free(side, id);
        } finally {
            lock.unlock();
        }
    }

    /** Retires the slots of dead endpoints of both sides; the caller holds the lock. */
    private void retireDead() {
        for (Side side : Side.values()) {
            int stateOffset = side == Side.SENDER ? S_STATE_OFFSET : R_STATE_OFFSET;
            for (int id = 0; id < slots(side); id++) {
                int state = state(side, id);
                if (state != ACTIVE && state != REGISTERING || owner(side, id).isAlive()) {
                    continue;
                }
                long s = slot(side, id);
                if (state == ACTIVE && !INT.compareAndSet(body, s + stateOffset, ACTIVE, REGISTERING)) {
                    continue;
                }
                if (owner(side, id).isAlive()) {
                    INT.setRelease(body, s + stateOffset, state);
                    continue;
                }
                free(side, id);
            }
        }
    }

    /**
     * Frees slot {@code id} of {@code side}; the caller holds the lock. A receiver's exchange goes to
     * {@code NONE}, handing back an offer it held; the other side is woken to look at who is left.
     */
    private void free(Side side, int id) {
        long s = slot(side, id);
        if (side == Side.SENDER) {
            INT.setVolatile(body, s + S_STATE_OFFSET, REGISTERING);
            if ((int) INT.getAndSet(body, s + S_OFFERING_OFFSET, 0) != 0) {
                INT.getAndAdd(body, (long) SENDERS_OFFERING_OFFSET, -1); // killed while offering
            }
            if ((int) INT.getAndSet(body, s + S_SLEEPING_OFFSET, 0) == SLEEPING_ON_READY) {
                INT.getAndAdd(body, (long) SENDERS_SLEEPING_OFFSET, -1); // killed asleep
            }
            body.set(ValueLayout.JAVA_INT, s + S_PID_OFFSET, 0);
            body.set(ValueLayout.JAVA_LONG, s + S_START_TIME_OFFSET, 0L);
            INT.setVolatile(body, s + S_STATE_OFFSET, FREE);
            INT.getAndAdd(body, (long) SENDERS_LEFT_OFFSET, 1);
            wakeSleepingReceivers();
        } else {
            INT.setVolatile(body, s + R_STATE_OFFSET, REGISTERING);
            handBack(id, (int) INT.getAndSet(body, s + R_EXCHANGE_OFFSET, NONE));
            LONG.getAndAdd(body, (long) RETIRED_TAKEN_OFFSET, body.get(ValueLayout.JAVA_LONG, s + R_TAKEN_OFFSET));
            body.set(ValueLayout.JAVA_INT, s + R_PID_OFFSET, 0);
            body.set(ValueLayout.JAVA_LONG, s + R_START_TIME_OFFSET, 0L);
            INT.setVolatile(body, s + R_SLEEPING_OFFSET, 0);
            INT.setVolatile(body, s + R_STATE_OFFSET, FREE);
            INT.getAndAdd(body, (long) RECEIVERS_LEFT_OFFSET, 1);
            readySignal.getAndAdd(1);
            readySignal.wakeAll();
        }
    }

    /**
     * The exchange of receiver {@code receiver} held {@code previous} and no longer does: if that
     * was a sender's offer, the sender is told (its events word moves and it is woken) so that it
     * offers the message again.
     */
    void handBack(int receiver, int previous) {
        int code = previous & CODE_MASK;
        if (code == CLAIMED || code == FILLED || code == TAKING) {
            int sender = previous >>> SENDER_SHIFT;
            LONG.getAndAdd(body, (long) DROPPED_OFFSET, 1L);
            if (sender < senderSlots) {
                notifySender(sender);
            }
        }
    }

    /** Moves sender {@code id}'s events word (a full fence) and wakes it if it sleeps. */
    void notifySender(int id) {
        long s = senderSlot(id);
        INT.getAndAdd(body, s + S_EVENTS_OFFSET, 1);
        if ((int) INT.getVolatile(body, s + S_SLEEPING_OFFSET) != 0) {
            Futex.of(body, s + S_EVENTS_OFFSET).wakeAll();
        }
    }

    /** Wakes the receivers asleep on their exchange words, so they look at who is left. */
    void wakeSleepingReceivers() {
        for (int id = 0; id < inUse(Side.RECEIVER); id++) {
            if ((int) INT.getVolatile(body, receiverSlot(id) + R_SLEEPING_OFFSET) != 0) {
                Futex.of(body, receiverSlot(id) + R_EXCHANGE_OFFSET).wakeAll();
            }
        }
    }

    /** After a receiver set WAITING (a full fence): wakes the senders asleep for want of one. */
    void signalReady() {
        if ((int) INT.getVolatile(body, (long) SENDERS_SLEEPING_OFFSET) != 0) {
            readySignal.getAndAdd(1);
            readySignal.wakeAll();
        }
    }

    private void lock() {
        RegistrationLock.acquire(lock, "register with rendezvous", name);
    }

    long retiredTaken() {
        return (long) LONG.getVolatile(body, (long) RETIRED_TAKEN_OFFSET);
    }

    long dropped() {
        return (long) LONG.getVolatile(body, (long) DROPPED_OFFSET);
    }
}
