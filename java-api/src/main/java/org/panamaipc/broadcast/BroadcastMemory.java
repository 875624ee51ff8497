package org.panamaipc.broadcast;

import org.panamaipc.internal.RegistrationLock;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.MutexDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.panamaipc.broadcast.BroadcastDescriptor.*;

/**
 * The shared memory of one broadcast as its endpoints see it: the configuration, checked once;
 * the tail, the signals, the publisher's record and the subscriber slots, with joining, leaving and
 * retiring the dead written once. Every offset comes from {@link BroadcastDescriptor}.
 */
final class BroadcastMemory {

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** How long joining, leaving or retiring waits for the registration lock. */

    final String name;
    final MemorySegment body;
    final MemorySegment records;
    final long capacity;
    final long mask;
    final int slotLength;
    final int maxMessageLength;
    final int slots;
    final SlowSubscriberPolicy policy;
    final Futex dataSignal;
    final Futex spaceSignal;
    private final IpcMutex lock;

    BroadcastMemory(String name, MemorySegment body) {
        this.name = name;
        this.body = body;
        long bodySize = body.byteSize();
        if (bodySize < SUBSCRIBERS_OFFSET) {
            throw corrupt("its body of " + bodySize + " bytes is shorter than the broadcast header");
        }
        long capacity = body.get(ValueLayout.JAVA_LONG, CAPACITY_OFFSET);
        long recordsOffset = body.get(ValueLayout.JAVA_LONG, RECORDS_OFFSET_OFFSET);
        int slotLength = body.get(ValueLayout.JAVA_INT, SLOT_LENGTH_OFFSET);
        int maxMessageLength = body.get(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET);
        int policy = body.get(ValueLayout.JAVA_INT, POLICY_OFFSET);
        int slots = body.get(ValueLayout.JAVA_INT, SUBSCRIBER_SLOTS_OFFSET);
        check(BroadcastDescriptor.checkCapacity(capacity));
        check(BroadcastDescriptor.checkMaxMessageLength(maxMessageLength));
        check(BroadcastDescriptor.checkSlotLength(slotLength, maxMessageLength));
        check(BroadcastDescriptor.checkPolicy(policy));
        check(BroadcastDescriptor.checkSlots(slots));
        check(BroadcastDescriptor.checkRecordsOffset(recordsOffset, slots));
        check(BroadcastDescriptor.checkBodySize(bodySize, capacity, maxMessageLength, slots));
        check(BroadcastDescriptor.checkTail(tailVolatile()));
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slotLength = slotLength;
        this.maxMessageLength = maxMessageLength;
        this.slots = slots;
        this.policy = SlowSubscriberPolicy.ofCode(policy);
        this.records = body.asSlice(recordsOffset, capacity * slotLength);
        this.dataSignal = Futex.of(body, DATA_SIGNAL_OFFSET);
        this.spaceSignal = Futex.of(body, SPACE_SIGNAL_OFFSET);
        this.lock = IpcMutex.wrap(body.asSlice(LOCK_OFFSET, MutexDescriptor.SIZE));
    }

    private void check(String problem) {
        if (problem != null) {
            throw corrupt(problem);
        }
    }

    /** Writes the configuration of a new broadcast into a zero-filled body. */
    static void initialize(MemorySegment body, BroadcastOptions options) {
        body.set(ValueLayout.JAVA_LONG, CAPACITY_OFFSET, options.capacity());
        body.set(ValueLayout.JAVA_LONG, RECORDS_OFFSET_OFFSET, recordsOffset(options.subscriberSlots()));
        body.set(ValueLayout.JAVA_INT, SLOT_LENGTH_OFFSET, slotLength(options.maxMessageLength()));
        body.set(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET, options.maxMessageLength());
        body.set(ValueLayout.JAVA_INT, POLICY_OFFSET, options.policy().code());
        body.set(ValueLayout.JAVA_INT, SUBSCRIBER_SLOTS_OFFSET, options.subscriberSlots());
        body.set(ValueLayout.JAVA_LONG, TAIL_OFFSET, 1L);
        // zero-filled records hold tag 0: "message 0", before every real one
    }

    /** {@return the bytes a body needs for {@code options}} */
    static long bodySize(BroadcastOptions options) {
        return BroadcastDescriptor.bodySize(options.capacity(), options.maxMessageLength(), options.subscriberSlots());
    }

    InvalidSegmentException corrupt(String detail) {
        return new InvalidSegmentException(name, InvalidSegmentException.Reason.CORRUPT, detail);
    }

    InvalidSegmentException corrupt(String action, String detail) {
        return new InvalidSegmentException(action, name, InvalidSegmentException.Reason.CORRUPT, detail);
    }

    // the ring

    long tailVolatile() {
        return (long) LONG.getVolatile(body, (long) TAIL_OFFSET);
    }

    /** {@return where the record of message {@code sequence} starts in {@link #records}} */
    long recordOffset(long sequence) {
        return (sequence & mask) * slotLength;
    }

    // the publisher's record

    boolean publisherAlive() {
        return (int) INT.getVolatile(body, (long) PUBLISHER_STATE_OFFSET) == ACTIVE && publisher().isAlive();
    }

    ProcessId publisher() {
        return new ProcessId(body.get(ValueLayout.JAVA_INT, PUBLISHER_PID_OFFSET),
                body.get(ValueLayout.JAVA_LONG, PUBLISHER_START_TIME_OFFSET));
    }

    int publishersEver() {
        return (int) INT.getVolatile(body, (long) PUBLISHERS_EVER_OFFSET);
    }

    int publishersLeft() {
        return (int) INT.getVolatile(body, (long) PUBLISHERS_LEFT_OFFSET);
    }

    /**
     * Makes this process the publisher; {@return the tail it continues from} A live publisher
     * attached already is refused; a dead one is replaced. A message the dead one wrote whole but
     * did not count in the tail (it died between the two stores) is kept: the tail moves past it.
     *
     * @throws IllegalStateException if a live publisher is attached
     */
    long attachPublisher() {
        lock();
        try {
            if ((int) INT.getVolatile(body, (long) PUBLISHER_STATE_OFFSET) == ACTIVE) {
                ProcessId owner = publisher();
                if (owner.isAlive()) {
                    throw new IllegalStateException("broadcast " + name + " already has a publisher: " + owner);
                }
                INT.getAndAdd(body, (long) PUBLISHERS_LEFT_OFFSET, 1);
            }
            ProcessId me = ProcessId.current();
            body.set(ValueLayout.JAVA_INT, PUBLISHER_PID_OFFSET, me.pid());
            body.set(ValueLayout.JAVA_LONG, PUBLISHER_START_TIME_OFFSET, me.startTime());
            long tail = tailVolatile();
            String problem = BroadcastDescriptor.checkTail(tail);
            if (problem != null) {
                throw corrupt("attach a publisher to broadcast", problem);
            }
            if ((long) LONG.getAcquire(records, recordOffset(tail)) == tag(tail)) {
                tail++;
                LONG.setVolatile(body, (long) TAIL_OFFSET, tail);
            }
            INT.setVolatile(body, (long) PUBLISHER_WAITING_OFFSET, 0);
            INT.getAndAdd(body, (long) PUBLISHERS_EVER_OFFSET, 1);
            INT.setVolatile(body, (long) PUBLISHER_STATE_OFFSET, ACTIVE);
            retireDead();
            return tail;
        } finally {
            lock.unlock();
        }
    }

    /** The publisher leaves: its subscribers are woken to look (they drain, then see it gone). */
    void detachPublisher() {
        INT.setVolatile(body, (long) PUBLISHER_STATE_OFFSET, FREE);
        INT.getAndAdd(body, (long) PUBLISHERS_LEFT_OFFSET, 1);
        dataSignal.getAndAdd(1);
        dataSignal.wakeAll();
    }

    // signals

    /**
     * After a message: wakes the subscribers if one has gone to sleep since the last wake-up (the
     * tail's store was the fence that orders the message before this look).
     */
    void signalData() {
        if ((int) INT.getVolatile(body, (long) WAKE_NEEDED_OFFSET) != 0
                && (int) INT.getAndSet(body, (long) WAKE_NEEDED_OFFSET, 0) != 0) {
            dataSignal.getAndAdd(1);
            dataSignal.wakeAll();
        }
    }

    /**
     * After a subscriber's cursor moved from {@code from} to {@code to} (stored with a full fence):
     * wakes the publisher if it sleeps and the cursor has just reached the wake-at value.
     */
    void signalSpace(long from, long to) {
        if ((int) INT.getVolatile(body, (long) PUBLISHER_WAITING_OFFSET) != 0) {
            long wakeAt = (long) LONG.getVolatile(body, (long) PUBLISHER_WAKE_AT_OFFSET);
            if (from < wakeAt && to >= wakeAt) {
                wakePublisher();
            }
        }
    }

    /** When a subscriber leaves: wakes the publisher if it sleeps, to look at the cursors left. */
    void signalSpace() {
        if ((int) INT.getVolatile(body, (long) PUBLISHER_WAITING_OFFSET) != 0) {
            wakePublisher();
        }
    }

    private void wakePublisher() {
        spaceSignal.getAndAdd(1);
        spaceSignal.wakeAll();
    }

    // subscriber slots

    long slot(int id) {
        return subscriberOffset(id);
    }

    int slotState(int id) {
        return (int) INT.getAcquire(body, slot(id) + SUB_STATE_OFFSET);
    }

    ProcessId slotOwner(int id) {
        return new ProcessId(body.get(ValueLayout.JAVA_INT, slot(id) + SUB_PID_OFFSET),
                body.get(ValueLayout.JAVA_LONG, slot(id) + SUB_START_TIME_OFFSET));
    }

    long cursor(int id) {
        return (long) LONG.getVolatile(body, slot(id) + SUB_CURSOR_OFFSET);
    }

    /** {@return how far into the slots the publisher looks: the slots-in-use mark, bounded by the slot count} */
    int slotsInUse() {
        int inUse = (int) INT.getVolatile(body, (long) SLOTS_IN_USE_OFFSET);
        return inUse < 0 || inUse > slots ? slots : inUse;
    }

    /** {@return how many subscribers are joined and alive} Reads /proc for each joined one. */
    int liveSubscribers() {
        int live = 0;
        for (int id = 0; id < slotsInUse(); id++) {
            if (slotState(id) == ACTIVE && slotOwner(id).isAlive()) {
                live++;
            }
        }
        return live;
    }

    /**
     * Joins this process as a subscriber; {@return its slot id} The slot's cursor is the tail as
     * read after the slot became active (see {@link BroadcastDescriptor}, "Joining").
     *
     * @throws IllegalStateException if every slot is taken by a live process
     */
    int join() {
        lock();
        try {
            retireDead();
            ProcessId me = ProcessId.current();
            for (int id = 0; id < slots; id++) {
                long s = slot(id);
                if (INT.compareAndSet(body, s + SUB_STATE_OFFSET, FREE, REGISTERING)) {
                    body.set(ValueLayout.JAVA_INT, s + SUB_PID_OFFSET, me.pid());
                    body.set(ValueLayout.JAVA_LONG, s + SUB_START_TIME_OFFSET, me.startTime());
                    body.set(ValueLayout.JAVA_LONG, s + SUB_RECEIVED_OFFSET, 0L);
                    body.set(ValueLayout.JAVA_LONG, s + SUB_LOST_OFFSET, 0L);
                    body.set(ValueLayout.JAVA_LONG, s + SUB_SLEEPS_OFFSET, 0L);
                    INT.setVolatile(body, s + SUB_SLEEPING_OFFSET, 0);
                    LONG.setVolatile(body, s + SUB_CURSOR_OFFSET, tailVolatile());
                    INT.getAndAdd(body, (long) SUBSCRIBERS_EVER_OFFSET, 1);
                    int inUse = (int) INT.getVolatile(body, (long) SLOTS_IN_USE_OFFSET);
                    if (inUse < id + 1) {
                        INT.setVolatile(body, (long) SLOTS_IN_USE_OFFSET, id + 1);
                    }
                    INT.setVolatile(body, s + SUB_STATE_OFFSET, ACTIVE);
                    LONG.setVolatile(body, s + SUB_CURSOR_OFFSET, tailVolatile());
                    return id;
                }
            }
            throw new IllegalStateException("broadcast " + name + " has all " + slots
                    + " subscriber slots in use by live processes; create it with more subscriberSlots");
        } finally {
            lock.unlock();
        }
    }

    /** This process's subscriber {@code id} leaves: its slot is freed and the publisher woken. */
    void leave(int id) {
        lock();
        try {
            free(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires the slots of dead subscribers (and of processes that died joining or leaving); the
     * caller holds the lock. A slot's owner is checked again after the compare-and-set that claims
     * it, so a live owner never loses its slot.
     */
    private void retireDead() {
        for (int id = 0; id < slots; id++) {
            int state = slotState(id);
            if (state != ACTIVE && state != REGISTERING || slotOwner(id).isAlive()) {
                continue;
            }
            long s = slot(id);
            if (state == ACTIVE && !INT.compareAndSet(body, s + SUB_STATE_OFFSET, ACTIVE, REGISTERING)) {
                continue;
            }
            if (slotOwner(id).isAlive()) {
                INT.setRelease(body, s + SUB_STATE_OFFSET, state);
                continue;
            }
            free(id);
        }
    }

    /**
     * Retires subscriber {@code id} if it is dead: what a publisher held back by it does. {@return
     * whether the slot is free now} Waits for the lock at most {@link RegistrationLock#TIMEOUT}.
     */
    boolean retireIfDead(int id) {
        if (slotState(id) != ACTIVE || slotOwner(id).isAlive()) {
            return slotState(id) == FREE;
        }
        lock();
        try {
            retireDead();
            return slotState(id) != ACTIVE;
        } finally {
            lock.unlock();
        }
    }

    /** Frees slot {@code id}; the caller holds the lock. */
    private void free(int id) {
        long s = slot(id);
        INT.setVolatile(body, s + SUB_STATE_OFFSET, REGISTERING);
        LONG.getAndAdd(body, (long) RETIRED_RECEIVED_OFFSET, body.get(ValueLayout.JAVA_LONG, s + SUB_RECEIVED_OFFSET));
        LONG.getAndAdd(body, (long) RETIRED_LOST_OFFSET, body.get(ValueLayout.JAVA_LONG, s + SUB_LOST_OFFSET));
        if ((int) INT.getAndSet(body, s + SUB_SLEEPING_OFFSET, 0) != 0) {
            // killed asleep: its 1 would stay in the waiting count, and every message would make a system call
            INT.getAndAdd(body, (long) SUBSCRIBERS_WAITING_OFFSET, -1);
        }
        body.set(ValueLayout.JAVA_INT, s + SUB_PID_OFFSET, 0);
        body.set(ValueLayout.JAVA_LONG, s + SUB_START_TIME_OFFSET, 0L);
        INT.setVolatile(body, s + SUB_STATE_OFFSET, FREE);
        INT.getAndAdd(body, (long) SUBSCRIBERS_LEFT_OFFSET, 1);
        signalSpace();
    }

    private void lock() {
        RegistrationLock.acquire(lock, "register with broadcast", name);
    }

    // statistics

    long retiredReceived() {
        return (long) LONG.getVolatile(body, (long) RETIRED_RECEIVED_OFFSET);
    }

    long retiredLost() {
        return (long) LONG.getVolatile(body, (long) RETIRED_LOST_OFFSET);
    }
}
