package org.panamaipc.channel;

import org.panamaipc.bindings.syscall_h;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.MutexDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.panamaipc.channel.ChannelDescriptor.*;

/**
 * The shared memory of one channel as its endpoints see it: the body, the records, and the
 * operations on the header that senders and receivers share (positions, tags, signals); the
 * endpoint slots are {@link EndpointTable}'s.
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
    final Futex dataSignal;
    final Futex spaceSignal;
    final IpcMutex repairLock;

    /** The endpoint slots. */
    final EndpointTable endpoints;

    /**
     * The channel in {@code body}, once {@link ChannelDescriptor#check(long, int, int, long, long, int, long, long)}
     * has found nothing wrong with its configuration and positions.
     *
     * @throws InvalidSegmentException if something is
     */
    ChannelMemory(String name, MemorySegment body) {
        this.name = name;
        this.body = body;
        long bodySize = body.byteSize();
        if (bodySize < ENDPOINTS_OFFSET) {
            throw corrupt("its body of " + bodySize + " bytes is shorter than the channel header");
        }
        // read once, checked, and only then used: another process may write the body meanwhile
        int typeCode = body.get(ValueLayout.JAVA_INT, CHANNEL_TYPE_OFFSET);
        int slots = body.get(ValueLayout.JAVA_INT, ENDPOINT_SLOTS_OFFSET);
        long recordsOffset = body.get(ValueLayout.JAVA_LONG, RECORDS_OFFSET_OFFSET);
        long capacity = body.get(ValueLayout.JAVA_LONG, CAPACITY_OFFSET);
        int maxMessageLength = body.get(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET);
        String problem = ChannelDescriptor.check(bodySize, typeCode, slots, recordsOffset, capacity, maxMessageLength,
                (long) LONG.getVolatile(body, (long) HEAD_OFFSET), (long) LONG.getVolatile(body, (long) TAIL_OFFSET));
        if (problem != null) {
            throw corrupt(problem);
        }
        this.type = ChannelType.ofCode(typeCode);
        this.capacity = capacity;
        this.maxMessageLength = maxMessageLength;
        this.mask = capacity - 1;
        this.records = body.asSlice(recordsOffset, capacity);
        this.dataSignal = Futex.of(body, DATA_SIGNAL_OFFSET);
        this.spaceSignal = Futex.of(body, SPACE_SIGNAL_OFFSET);
        this.repairLock = IpcMutex.wrap(body.asSlice(REPAIR_LOCK_OFFSET, MutexDescriptor.SIZE));
        this.endpoints = new EndpointTable(this, slots);
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
        if (!RecordDescriptor.isPosition(position)) {
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

    /** {@return whether the record at {@code position} is there: meaningful only while the head has not passed it} */
    boolean hasRecord(long position) {
        return RecordDescriptor.isRecordAt(tagAcquire(position), position);
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

    /** {@return a snapshot of the counters} See {@link ChannelCounters#snapshot}. */
    ChannelStats stats() {
        return ChannelCounters.snapshot(this);
    }
}
