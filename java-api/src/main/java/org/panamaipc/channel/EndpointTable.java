package org.panamaipc.channel;

import org.panamaipc.internal.RegistrationLock;
import org.panamaipc.process.ProcessId;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.panamaipc.channel.ChannelDescriptor.*;
import static org.panamaipc.channel.ChannelMemory.INT;
import static org.panamaipc.channel.ChannelMemory.LONG;

/**
 * The endpoint table of one channel (the slots of {@link ChannelDescriptor}): registering an
 * endpoint, retiring the slots of endpoints that closed or died, the liveness of either side, and
 * snapshots for {@link RingChannel#endpoints()}. A slot is written only by its owner, except when
 * another process retires it after its owner died, under the channel's repair lock.
 */
final class EndpointTable {

    /** How long a registration waits for the repair lock, which another process holds only briefly. */

    private final ChannelMemory memory;
    private final MemorySegment body;
    /** How many slots the table has. */
    final int slots;

    EndpointTable(ChannelMemory memory, int slots) {
        this.memory = memory;
        this.body = memory.body;
        this.slots = slots;
    }

    /** {@return the offset of slot {@code id} in the body} */
    long slot(int id) {
        return endpointOffset(id);
    }

    int state(int id) {
        return (int) INT.getAcquire(body, slot(id) + EP_STATE_OFFSET);
    }

    int role(int id) {
        return body.get(ValueLayout.JAVA_INT, slot(id) + EP_ROLE_OFFSET);
    }

    ProcessId owner(int id) {
        return new ProcessId(body.get(ValueLayout.JAVA_INT, slot(id) + EP_PID_OFFSET),
                body.get(ValueLayout.JAVA_LONG, slot(id) + EP_START_TIME_OFFSET));
    }

    /** {@return whether slot {@code id} is held by a sender that may have a claim: active, or being retired} */
    boolean isSender(int id) {
        int state = state(id);
        return (state == EP_ACTIVE || state == EP_REGISTERING) && role(id) == ROLE_SENDER;
    }

    /** {@return how many endpoints of {@code role} are attached and alive} */
    int live(int role) {
        int live = 0;
        for (int id = 0; id < slots; id++) {
            if (state(id) == EP_ACTIVE && role(id) == role && owner(id).isAlive()) {
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
        return new Peers(role, live(role) > 0, ever(role));
    }

    /** {@return how many endpoints of {@code role} have ever attached} */
    int ever(int role) {
        return (int) INT.getVolatile(body, (long) everOffset(role));
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
        if (live(peers.role()) > 0) {
            return false;
        }
        return peers.aliveAtAttach() || ever(peers.role()) > peers.everAtAttach();
    }

    /**
     * Registers this process as an endpoint of {@code role}; {@return its slot id}. Slots of dead
     * processes are retired first (see {@link #retireDead()}); a second live sender on SPSC, or
     * receiver on SPSC/MPSC, is refused. A blocking endpoint returns only once every thread's
     * commits are ordered with its count (see {@link ChannelMemory#orderEveryThread()}).
     *
     * @throws IllegalStateException if the channel admits no more endpoints of that role
     * @throws org.panamaipc.IpcTimeoutException if a live process held the repair lock for {@link RegistrationLock#TIMEOUT}
     * @throws org.panamaipc.IpcInterruptedException if the thread is interrupted while waiting for the lock
     */
    int register(int role, boolean blocking) {
        // one registration at a time, so two processes cannot both pass the "only one" check;
        // the lock is an IpcMutex, so a process that dies holding it does not block the channel
        RegistrationLock.acquire(memory.repairLock, "register with channel", memory.name);
        int id;
        try {
            id = registerLocked(role, blocking);
        } finally {
            memory.repairLock.unlock();
        }
        if (blocking) {
            ChannelMemory.orderEveryThread();
        }
        return id;
    }

    private int registerLocked(int role, boolean blocking) {
        ChannelType type = memory.type;
        boolean single = role == ROLE_SENDER ? !type.manySenders() : !type.manyReceivers();
        retireDead();
        if (single) {
            for (int id = 0; id < slots; id++) {
                if (state(id) == EP_ACTIVE && role(id) == role) {
                    throw new IllegalStateException("channel " + memory.name + " is " + type + " and already has a "
                            + (role == ROLE_SENDER ? "sender" : "receiver") + ": endpoint " + id + " of " + owner(id));
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
                INT.getAndAdd(body, (long) everOffset(role), 1);
                INT.setRelease(body, s + EP_STATE_OFFSET, EP_ACTIVE);
                if (role == ROLE_SENDER) {
                    memory.wakeReceivers(); // a receiver asleep without a slice learns to watch the new sender
                }
                return id;
            }
        }
        throw new IllegalStateException("channel " + memory.name + " has all " + slots
                + " endpoint slots in use by live processes; create it with more endpointSlots");
    }

    /**
     * Retires the slots of dead processes; the caller holds the repair lock. A dead sender's open
     * claim is passed over first ({@link DeadSenders#resolve}), and its slot is kept while that
     * cannot be decided yet: the slot is the only record of what it claimed. A slot left
     * {@code REGISTERING} by a process that died registering, closing or retiring another is
     * retired too (under the lock no live process registers or retires another's slot; one that
     * closes its own is alive).
     */
    void retireDead() {
        for (int id = 0; id < slots; id++) {
            int state = state(id);
            if (state != EP_ACTIVE && state != EP_REGISTERING || owner(id).isAlive()) {
                continue;
            }
            long s = slot(id);
            if (state == EP_ACTIVE && !INT.compareAndSet(body, s + EP_STATE_OFFSET, EP_ACTIVE, EP_REGISTERING)) {
                continue;
            }
            if (owner(id).isAlive()) {
                INT.setRelease(body, s + EP_STATE_OFFSET, state); // it came back to life: not ours
                continue;
            }
            if (role(id) == ROLE_SENDER && !DeadSenders.resolve(memory, id)) {
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
        boolean sender = role(id) == ROLE_SENDER;
        long messages = body.get(ValueLayout.JAVA_LONG, s + EP_MESSAGES_OFFSET);
        long bytes = body.get(ValueLayout.JAVA_LONG, s + EP_BYTES_OFFSET);
        long waits = body.get(ValueLayout.JAVA_LONG, s + EP_WAITS_OFFSET);
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
            memory.wakeReceivers();
        } else {
            memory.signalSpace();
        }
    }

    /** {@return a snapshot of every active slot, in slot order} Reads each owner's liveness (a /proc read each). */
    List<EndpointInfo> snapshot() {
        List<EndpointInfo> endpoints = new ArrayList<>();
        for (int id = 0; id < slots; id++) {
            if (state(id) != EP_ACTIVE) {
                continue;
            }
            long s = slot(id);
            int role = role(id);
            ProcessId owner = owner(id);
            EndpointInfo.Role kind = role == ROLE_SENDER ? EndpointInfo.Role.SENDER
                    : role == ROLE_RECEIVER ? EndpointInfo.Role.RECEIVER : null;
            if (kind == null) {
                continue; // not a role this protocol writes: a snapshot says nothing of it, rather than fail
            }
            endpoints.add(new EndpointInfo(id, kind, owner, owner.isAlive(),
                    (body.get(ValueLayout.JAVA_INT, s + EP_FLAGS_OFFSET) & FLAG_BLOCKING) != 0,
                    (int) INT.getOpaque(body, s + EP_SLEEPING_OFFSET) != 0,
                    (long) LONG.getOpaque(body, s + EP_MESSAGES_OFFSET),
                    (long) LONG.getOpaque(body, s + EP_BYTES_OFFSET),
                    (long) LONG.getOpaque(body, s + EP_WAITS_OFFSET)));
        }
        return List.copyOf(endpoints);
    }
}
