package org.panamaipc.channel;

import org.panamaipc.bindings.syscall_h;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcMutex;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.panamaipc.channel.ChannelDescriptor.*;

/**
 * The shared memory of one channel as its endpoints see it: the body, the records, and the
 * operations on the header that senders and receivers share (positions, signals, endpoint slots).
 * Every offset comes from {@link ChannelDescriptor}; everything read from shared memory that
 * sizes or places something is checked before use.
 */
final class ChannelMemory {

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    final String name;
    final MemorySegment body;
    final MemorySegment records;
    final ChannelType type;
    final long capacity;
    final long mask;
    final int maxMessageLength;
    final int slots;
    final Futex dataSignal;
    final Futex spaceSignal;
    final IpcMutex repairLock;

    ChannelMemory(String name, MemorySegment body) {
        this.name = name;
        this.body = body;
        long bodySize = body.byteSize();
        if (bodySize < ENDPOINTS_OFFSET) {
            throw corrupt("its body of " + bodySize + " bytes is shorter than the channel header");
        }
        // every field that sizes or places something, checked before anything is sliced or read by it
        long capacity = body.get(ValueLayout.JAVA_LONG, CAPACITY_OFFSET);
        int maxMessageLength = body.get(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET);
        int slots = body.get(ValueLayout.JAVA_INT, ENDPOINT_SLOTS_OFFSET);
        int typeCode = body.get(ValueLayout.JAVA_INT, CHANNEL_TYPE_OFFSET);
        long recordsOffset = body.get(ValueLayout.JAVA_LONG, RECORDS_OFFSET_OFFSET);
        check(ChannelDescriptor.checkType(typeCode));
        check(ChannelDescriptor.checkSlots(slots));
        check(ChannelDescriptor.checkRecordsOffset(recordsOffset, slots));
        check(ChannelDescriptor.checkCapacity(capacity, recordsOffset, bodySize));
        check(ChannelDescriptor.checkMaxMessageLength(maxMessageLength, capacity));
        check(ChannelDescriptor.checkPositions((long) LONG.getVolatile(body, (long) HEAD_OFFSET),
                (long) LONG.getVolatile(body, (long) TAIL_OFFSET), capacity));
        this.type = ChannelType.ofCode(typeCode);
        this.capacity = capacity;
        this.maxMessageLength = maxMessageLength;
        this.slots = slots;
        this.mask = capacity - 1;
        this.records = body.asSlice(recordsOffset, capacity);
        this.dataSignal = Futex.of(body, DATA_SIGNAL_OFFSET);
        this.spaceSignal = Futex.of(body, SPACE_SIGNAL_OFFSET);
        this.repairLock = IpcMutex.wrap(body.asSlice(REPAIR_LOCK_OFFSET, org.panamaipc.sync.MutexDescriptor.SIZE));
    }

    private void check(String problem) {
        if (problem != null) {
            throw corrupt(problem);
        }
    }

    /** Writes the configuration of a new channel into a zero-filled body. */
    static void initialize(MemorySegment body, ChannelOptions options) {
        body.set(ValueLayout.JAVA_LONG, CAPACITY_OFFSET, options.capacity());
        body.set(ValueLayout.JAVA_LONG, RECORDS_OFFSET_OFFSET, ChannelDescriptor.recordsOffset(options.endpointSlots()));
        body.set(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET, options.maxMessageLength());
        body.set(ValueLayout.JAVA_INT, CHANNEL_TYPE_OFFSET, options.type().code());
        body.set(ValueLayout.JAVA_INT, ENDPOINT_SLOTS_OFFSET, options.endpointSlots());
        for (int id = 0; id < options.endpointSlots(); id++) {
            body.set(ValueLayout.JAVA_LONG, endpointOffset(id) + EP_CLAIM_START_OFFSET, -1L);
        }
        // the records start zero-filled: a zero tag matches no position but 0, and at 0 it holds no state
    }

    /** {@return the bytes a body needs for {@code options}} */
    static long bodySize(ChannelOptions options) {
        return ChannelDescriptor.recordsOffset(options.endpointSlots()) + options.capacity();
    }

    /** {@return the exception for a channel found corrupt on open} */
    InvalidSegmentException corrupt(String detail) {
        return new InvalidSegmentException(name, InvalidSegmentException.Reason.CORRUPT, detail);
    }

    /** {@return the exception for something found corrupt while doing {@code action} ("receive from channel")} */
    InvalidSegmentException corrupt(String action, String detail) {
        return new InvalidSegmentException(action, name, InvalidSegmentException.Reason.CORRUPT, detail);
    }

    /**
     * {@return {@code position}, read from shared memory, if it can be a position} Anything else
     * (not a multiple of 8) is the work of a broken or hostile process: an
     * {@link InvalidSegmentException}, before anything reads or writes at it.
     */
    long checkedPosition(long position, String what, String action) {
        if ((position & RecordDescriptor.STATE_MASK) != 0) {
            throw corrupt(action, "its " + what + " " + position + " is not a multiple of " + RecordDescriptor.ALIGNMENT);
        }
        return position;
    }

    // positions

    long tailVolatile() {
        return (long) LONG.getVolatile(body, (long) TAIL_OFFSET);
    }

    long headVolatile() {
        return (long) LONG.getVolatile(body, (long) HEAD_OFFSET);
    }

    long tagAcquire(long position) {
        return (long) LONG.getAcquire(records, position & mask);
    }

    // signals

    /** After a commit: wakes a receiver if one may be asleep. */
    void signalData() {
        wakeSleepers(BLOCKING_RECEIVERS_OFFSET, RECEIVERS_WAITING_OFFSET, dataSignal, false);
    }

    /** When a sender leaves: wakes every receiver that may be asleep, so it can look at its senders. */
    void wakeReceivers() {
        wakeSleepers(BLOCKING_RECEIVERS_OFFSET, RECEIVERS_WAITING_OFFSET, dataSignal, true);
    }

    /**
     * After the head moved, and when a receiver leaves: wakes the senders if one may be asleep on a
     * full ring.
     */
    void signalSpace() {
        wakeSleepers(BLOCKING_SENDERS_OFFSET, SENDERS_WAITING_OFFSET, spaceSignal, true);
    }

    /**
     * Wakes one or all of the threads asleep on {@code signal}, if any may be: nothing but a plain
     * read while no blocking endpoint of that side is attached. That read comes before the fence,
     * so it may be served before the progress just stored (a commit's tag) is visible; an endpoint
     * that registers as blocking makes up for it with {@link #orderEveryThread()} (see
     * {@link ChannelDescriptor}), which keeps this path free of a fence when nobody can sleep.
     */
    private void wakeSleepers(int blockingOffset, int waitingOffset, Futex signal, boolean all) {
        if ((int) INT.getOpaque(body, (long) blockingOffset) != 0) {
            VarHandle.fullFence(); // the progress before, the waiter count after: pairs with the waiter's add
            if ((int) INT.getVolatile(body, (long) waitingOffset) != 0) {
                signal.getAndAdd(1);
                if (all) {
                    signal.wakeAll();
                } else {
                    signal.wake(1);
                }
            }
        }
    }

    /** {@return how many sender slots have been retired: a receiver's sleep ends when it moves} */
    int sendersLeft() {
        return (int) INT.getVolatile(body, (long) SENDERS_LEFT_OFFSET);
    }

    /** {@return how many receiver slots have been retired: a sender's sleep ends when it moves} */
    int receiversLeft() {
        return (int) INT.getVolatile(body, (long) RECEIVERS_LEFT_OFFSET);
    }

    /**
     * Makes every thread of every process pass a full memory barrier ({@code membarrier} with
     * {@code MEMBARRIER_CMD_GLOBAL}): after it, a commit made before it is visible, and a commit
     * made after it reads the blocking count this process raised. {@return false if the kernel
     * refused it} (a seccomp filter, a kernel before 4.16); then the caller bounds its first sleep.
     */
    static boolean orderEveryThread() {
        if (!membarrierWorks) {
            return false;
        }
        if (syscall_h.membarrier(syscall_h.MEMBARRIER_CMD_GLOBAL(), 0) == 0) {
            return true;
        }
        membarrierWorks = false;
        return false;
    }

    private static volatile boolean membarrierWorks = true;

    // endpoint slots

    long slot(int id) {
        return endpointOffset(id);
    }

    int slotState(int id) {
        return (int) INT.getAcquire(body, slot(id) + EP_STATE_OFFSET);
    }

    int slotRole(int id) {
        return body.get(ValueLayout.JAVA_INT, slot(id) + EP_ROLE_OFFSET);
    }

    ProcessId slotOwner(int id) {
        return new ProcessId(body.get(ValueLayout.JAVA_INT, slot(id) + EP_PID_OFFSET),
                body.get(ValueLayout.JAVA_LONG, slot(id) + EP_START_TIME_OFFSET));
    }

    /** {@return how many endpoints of {@code role} are attached and alive} */
    int liveEndpoints(int role) {
        int live = 0;
        for (int id = 0; id < slots; id++) {
            if (slotState(id) == EP_ACTIVE && slotRole(id) == role && slotOwner(id).isAlive()) {
                live++;
            }
        }
        return live;
    }

    /**
     * What an endpoint knew of its peers (the endpoints of the other role) when it attached: whether
     * one was alive, and how many had ever attached.
     */
    record Peers(int role, boolean aliveAtAttach, int everAtAttach) {
    }

    Peers peersAtAttach(int role) {
        return new Peers(role, liveEndpoints(role) > 0, (int) INT.getVolatile(body, (long) everOffset(role)));
    }

    private static int everOffset(int role) {
        return role == ROLE_SENDER ? SENDERS_EVER_OFFSET : RECEIVERS_EVER_OFFSET;
    }

    /**
     * {@return whether the peers of an endpoint have all gone}: none is alive now, while one was
     * alive when the endpoint attached or one attached after it. An endpoint that has never had a
     * peer waits for one rather than being told it is alone.
     */
    boolean gone(Peers peers) {
        if (liveEndpoints(peers.role()) > 0) {
            return false;
        }
        return peers.aliveAtAttach() || (int) INT.getVolatile(body, (long) everOffset(peers.role())) > peers.everAtAttach();
    }

    /**
     * Registers this process as an endpoint of {@code role}; {@return its slot id}. Slots of dead
     * processes are retired first (see {@link #retireDead()}); a second live sender on SPSC, or
     * receiver on SPSC/MPSC, is refused. A blocking endpoint returns only once every thread's
     * commits are ordered with its count (see {@link #orderEveryThread()}).
     */
    int register(int role, boolean blocking) {
        // one registration at a time, so two processes cannot both pass the "only one" check;
        // the lock is an IpcMutex, so a process that dies holding it does not block the channel
        try {
            if (!repairLock.lock(java.time.Duration.ofSeconds(10))) {
                throw new IllegalStateException("channel " + name + " is busy: could not register within 10 s ("
                        + repairLock + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.panamaipc.IpcInterruptedException("register with channel", name,
                    "the thread was interrupted", 0, null, null);
        }
        int id;
        try {
            id = register0(role, blocking);
        } finally {
            repairLock.unlock();
        }
        if (blocking) {
            orderEveryThread();
        }
        return id;
    }

    private int register0(int role, boolean blocking) {
        boolean single = role == ROLE_SENDER ? !type.manySenders() : !type.manyReceivers();
        retireDead();
        if (single) {
            for (int id = 0; id < slots; id++) {
                if (slotState(id) == EP_ACTIVE && slotRole(id) == role) {
                    throw new IllegalStateException("channel " + name + " is " + type + " and already has a "
                            + (role == ROLE_SENDER ? "sender" : "receiver") + ": endpoint " + id + " of "
                            + slotOwner(id));
                }
            }
        }
        ProcessId me = ProcessId.current();
        for (int id = 0; id < slots; id++) {
            long s = slot(id);
            if (INT.compareAndSet(body, s + EP_STATE_OFFSET, EP_FREE, EP_REGISTERING)) {
                body.set(ValueLayout.JAVA_INT, s + EP_ROLE_OFFSET, role);
                body.set(ValueLayout.JAVA_INT, s + EP_PID_OFFSET, me.pid());
                body.set(ValueLayout.JAVA_INT, s + EP_FLAGS_OFFSET, blocking ? FLAG_BLOCKING : 0);
                body.set(ValueLayout.JAVA_LONG, s + EP_START_TIME_OFFSET, me.startTime());
                body.set(ValueLayout.JAVA_LONG, s + EP_CLAIM_END_OFFSET, -1L);
                body.set(ValueLayout.JAVA_LONG, s + EP_CLAIM_START_OFFSET, -1L);
                body.set(ValueLayout.JAVA_LONG, s + EP_SEQUENCE_OFFSET, 1L);
                body.set(ValueLayout.JAVA_LONG, s + EP_MESSAGES_OFFSET, 0L);
                body.set(ValueLayout.JAVA_LONG, s + EP_BYTES_OFFSET, 0L);
                body.set(ValueLayout.JAVA_LONG, s + EP_WAITS_OFFSET, 0L);
                body.set(ValueLayout.JAVA_INT, s + EP_SLEEPING_OFFSET, 0);
                if (blocking) {
                    INT.getAndAdd(body, (long) (role == ROLE_SENDER ? BLOCKING_SENDERS_OFFSET : BLOCKING_RECEIVERS_OFFSET), 1);
                }
                INT.getAndAdd(body, (long) (role == ROLE_SENDER ? SENDERS_EVER_OFFSET : RECEIVERS_EVER_OFFSET), 1);
                INT.setRelease(body, s + EP_STATE_OFFSET, EP_ACTIVE);
                return id;
            }
        }
        throw new IllegalStateException("channel " + name + " has all " + slots
                + " endpoint slots in use by live processes; create it with more endpointSlots");
    }

    /**
     * Retires the slots of dead processes; the caller holds {@link #repairLock}. A dead sender's
     * open claim is passed over first ({@link DeadSenders#resolve}), and its slot is kept while
     * that cannot be decided yet: the slot is the only record of what it claimed. A slot left
     * {@code REGISTERING} by a process that died registering, closing or retiring another is
     * retired too (under the lock no live process registers or retires another's slot; one that
     * closes its own is alive).
     */
    void retireDead() {
        for (int id = 0; id < slots; id++) {
            int state = slotState(id);
            if (state != EP_ACTIVE && state != EP_REGISTERING || slotOwner(id).isAlive()) {
                continue;
            }
            long s = slot(id);
            if (state == EP_ACTIVE && !INT.compareAndSet(body, s + EP_STATE_OFFSET, EP_ACTIVE, EP_REGISTERING)) {
                continue;
            }
            if (slotOwner(id).isAlive()) {
                INT.setRelease(body, s + EP_STATE_OFFSET, state); // it came back to life: not ours
                continue;
            }
            if (slotRole(id) == ROLE_SENDER && !DeadSenders.resolve(this, id)) {
                INT.setRelease(body, s + EP_STATE_OFFSET, state); // its claim is kept for a later repair
                continue;
            }
            free(id);
        }
    }

    /** Frees this process's own slot {@code id}, adding its counters to the retired totals. */
    void retire(int id) {
        INT.setRelease(body, slot(id) + EP_STATE_OFFSET, EP_REGISTERING);
        free(id);
    }

    /**
     * Frees slot {@code id}, which its owner or the caller has set to {@code REGISTERING}: its
     * counters go to the retired totals, its blocking flag and a sleep it was killed in come off
     * the counts, the left count of its role goes up, and the other side's sleepers are woken to
     * look at who is left.
     */
    private void free(int id) {
        long s = slot(id);
        int role = body.get(ValueLayout.JAVA_INT, s + EP_ROLE_OFFSET);
        long messages = body.get(ValueLayout.JAVA_LONG, s + EP_MESSAGES_OFFSET);
        long bytes = body.get(ValueLayout.JAVA_LONG, s + EP_BYTES_OFFSET);
        long waits = body.get(ValueLayout.JAVA_LONG, s + EP_WAITS_OFFSET);
        boolean sender = role == ROLE_SENDER;
        LONG.getAndAdd(body, (long) (sender ? RETIRED_SENT_OFFSET : RETIRED_RECEIVED_OFFSET), messages);
        LONG.getAndAdd(body, (long) (sender ? RETIRED_SENT_BYTES_OFFSET : RETIRED_RECEIVED_BYTES_OFFSET), bytes);
        LONG.getAndAdd(body, (long) (sender ? RETIRED_FULL_OFFSET : RETIRED_SLEEPS_OFFSET), waits);
        if ((body.get(ValueLayout.JAVA_INT, s + EP_FLAGS_OFFSET) & FLAG_BLOCKING) != 0) {
            INT.getAndAdd(body, (long) (sender ? BLOCKING_SENDERS_OFFSET : BLOCKING_RECEIVERS_OFFSET), -1);
        }
        if ((int) INT.getVolatile(body, s + EP_SLEEPING_OFFSET) != 0) {
            // killed asleep: its 1 would stay in the waiter count, and every commit would make a system call
            INT.getAndAdd(body, (long) (sender ? SENDERS_WAITING_OFFSET : RECEIVERS_WAITING_OFFSET), -1);
            INT.setRelease(body, s + EP_SLEEPING_OFFSET, 0);
        }
        body.set(ValueLayout.JAVA_LONG, s + EP_MESSAGES_OFFSET, 0L);
        body.set(ValueLayout.JAVA_LONG, s + EP_BYTES_OFFSET, 0L);
        body.set(ValueLayout.JAVA_LONG, s + EP_WAITS_OFFSET, 0L);
        LONG.setRelease(body, s + EP_CLAIM_START_OFFSET, -1L);
        INT.setRelease(body, s + EP_STATE_OFFSET, EP_FREE);
        INT.getAndAdd(body, (long) (sender ? SENDERS_LEFT_OFFSET : RECEIVERS_LEFT_OFFSET), 1);
        if (sender) {
            wakeReceivers();
        } else {
            signalSpace();
        }
    }

    /** {@return a snapshot of the counters} See {@link ChannelCounters#snapshot}. */
    ChannelStats stats() {
        return ChannelCounters.snapshot(this);
    }
}
