package org.panamaipc.endpoint;

import org.panamaipc.IpcInterruptedException;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.process.ProcessId;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.MutexDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.panamaipc.endpoint.RegistryDescriptor.*;

/**
 * The table of an {@link EndpointRegistry}: entries written under the registry's lock, between an
 * odd and the next even sequence number, and read without it, as a seqlock is (see
 * {@link RegistryDescriptor}). A holder that died half-way through a write leaves an odd sequence
 * and the lock marked as taken over; the next writer frees such entries.
 */
final class RegistryTable {

    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final String registry;
    private final MemorySegment body;
    private final int entries;
    private final IpcMutex lock;

    RegistryTable(String registry, MemorySegment body, int entries) {
        this.registry = registry;
        this.body = body;
        this.entries = entries;
        this.lock = IpcMutex.wrap(body.asSlice(LOCK_OFFSET, MutexDescriptor.SIZE));
    }

    int entries() {
        return entries;
    }

    void close() {
        lock.close();
    }

    /** Takes a free entry for {@code endpoint} under the lock. {@return the entry and its sequence} */
    int[] claim(String endpoint, byte[] bytes) {
        lock();
        try {
            int free = -1;
            for (int i = 0; i < entries; i++) {
                long entry = entryOffset(i);
                if (body.get(ValueLayout.JAVA_INT, entry + ENTRY_STATE_OFFSET) == STATE_ACTIVE) {
                    if (!ownerAlive(entry)) {
                        release(i);
                    } else if (nameEquals(entry, bytes)) {
                        throw new NameTakenException(registry, endpoint, body.get(ValueLayout.JAVA_INT, entry + ENTRY_OWNER_PID_OFFSET));
                    }
                }
                if (free < 0 && body.get(ValueLayout.JAVA_INT, entry + ENTRY_STATE_OFFSET) == STATE_FREE) {
                    free = i;
                }
            }
            if (free < 0) {
                throw new RegistryFullException(registry, endpoint, entries);
            }
            ProcessId me = ProcessId.current();
            long entry = entryOffset(free);
            int sequence = beginWrite(entry);
            body.set(ValueLayout.JAVA_INT, entry + ENTRY_STATE_OFFSET, STATE_ACTIVE);
            body.set(ValueLayout.JAVA_INT, entry + ENTRY_OWNER_PID_OFFSET, me.pid());
            body.set(ValueLayout.JAVA_LONG, entry + ENTRY_OWNER_START_TIME_OFFSET, me.startTime());
            body.set(ValueLayout.JAVA_LONG, entry + ENTRY_REGISTERED_OFFSET, System.currentTimeMillis());
            body.set(ValueLayout.JAVA_INT, entry + ENTRY_NAME_LENGTH_OFFSET, bytes.length);
            MemorySegment name = body.asSlice(entry + ENTRY_NAME_OFFSET, NAME_MAX + 1);
            name.fill((byte) 0);
            MemorySegment.copy(bytes, 0, name, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return new int[] {free, endWrite(entry, sequence)};
        } finally {
            lock.unlock();
        }
    }

    /** Frees entry {@code index} if it still holds registration {@code sequence} (an endpoint's close). */
    void unregister(int index, int sequence) {
        lock();
        try {
            long entry = entryOffset(index);
            if (body.get(ValueLayout.JAVA_INT, entry + ENTRY_SEQUENCE_OFFSET) == sequence
                    && body.get(ValueLayout.JAVA_INT, entry + ENTRY_STATE_OFFSET) == STATE_ACTIVE) {
                release(index);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Frees entry {@code index}; the caller holds the lock. */
    private void release(int index) {
        long entry = entryOffset(index);
        int sequence = beginWrite(entry);
        body.set(ValueLayout.JAVA_INT, entry + ENTRY_STATE_OFFSET, STATE_FREE);
        body.set(ValueLayout.JAVA_INT, entry + ENTRY_OWNER_PID_OFFSET, 0);
        body.set(ValueLayout.JAVA_LONG, entry + ENTRY_OWNER_START_TIME_OFFSET, 0);
        endWrite(entry, sequence);
    }

    /** Makes the entry's sequence odd, for a write under the lock. {@return the odd value} */
    private int beginWrite(long entry) {
        int sequence = body.get(ValueLayout.JAVA_INT, entry + ENTRY_SEQUENCE_OFFSET);
        if ((sequence & 1) == 0) {
            sequence++; // even when no writer died half-way; a dead writer's odd value is reused
        }
        INT.setVolatile(body, entry + ENTRY_SEQUENCE_OFFSET, sequence);
        return sequence;
    }

    /** Publishes the write. {@return the new even sequence} */
    private int endWrite(long entry, int sequence) {
        int even = sequence + 1;
        INT.setRelease(body, entry + ENTRY_SEQUENCE_OFFSET, even);
        return even;
    }

    private void lock() {
        try {
            if (!lock.tryLock(LOCK_TIMEOUT)) {
                throw new IpcTimeoutException("lock " + EndpointRegistry.WHAT, registry, "process " + lock.owner()
                        + " has held its lock for " + LOCK_TIMEOUT, 0, null, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcInterruptedException("lock " + EndpointRegistry.WHAT, registry, "the thread was interrupted", 0, null, null);
        }
        if (lock.ownerDied()) {
            // the last holder died half-way through a write: finish its odd sequences
            for (int i = 0; i < entries; i++) {
                long entry = entryOffset(i);
                int sequence = body.get(ValueLayout.JAVA_INT, entry + ENTRY_SEQUENCE_OFFSET);
                if ((sequence & 1) != 0) {
                    release(i);
                }
            }
        }
    }

    private boolean ownerAlive(long entry) {
        return ProcessId.isAlive(body.get(ValueLayout.JAVA_INT, entry + ENTRY_OWNER_PID_OFFSET),
                body.get(ValueLayout.JAVA_LONG, entry + ENTRY_OWNER_START_TIME_OFFSET));
    }

    private boolean nameEquals(long entry, byte[] bytes) {
        if (body.get(ValueLayout.JAVA_INT, entry + ENTRY_NAME_LENGTH_OFFSET) != bytes.length) {
            return false;
        }
        return MemorySegment.mismatch(body, entry + ENTRY_NAME_OFFSET, entry + ENTRY_NAME_OFFSET + bytes.length,
                MemorySegment.ofArray(bytes), 0, bytes.length) < 0;
    }

    // reading without the lock

    /** A consistent copy of an active entry. */
    record Entry(int index, int sequence, int pid, long startTime, String name) {
        ProcessId owner() {
            return new ProcessId(pid, startTime);
        }
    }

    /** {@return a consistent copy of entry {@code index}, or null if it is free} */
    Entry read(int index) {
        long entry = entryOffset(index);
        for (int spins = 0; ; spins++) {
            int before = (int) INT.getAcquire(body, entry + ENTRY_SEQUENCE_OFFSET);
            if ((before & 1) == 0) {
                int state = body.get(ValueLayout.JAVA_INT, entry + ENTRY_STATE_OFFSET);
                int pid = body.get(ValueLayout.JAVA_INT, entry + ENTRY_OWNER_PID_OFFSET);
                long start = body.get(ValueLayout.JAVA_LONG, entry + ENTRY_OWNER_START_TIME_OFFSET);
                int length = body.get(ValueLayout.JAVA_INT, entry + ENTRY_NAME_LENGTH_OFFSET);
                byte[] name = new byte[Math.clamp(length, 0, NAME_MAX)];
                MemorySegment.copy(body, ValueLayout.JAVA_BYTE, entry + ENTRY_NAME_OFFSET, name, 0, name.length);
                VarHandle.acquireFence();
                if ((int) INT.getVolatile(body, entry + ENTRY_SEQUENCE_OFFSET) == before) {
                    return state == STATE_ACTIVE ? new Entry(index, before, pid, start, new String(name, StandardCharsets.UTF_8)) : null;
                }
            }
            if (spins > 1000) {
                Thread.onSpinWait(); // a writer that died half-way: the next register repairs it
                if (spins > 100_000) {
                    return null;
                }
            }
        }
    }

    /** {@return the active entry named {@code bytes}, or null} */
    Entry find(byte[] bytes) {
        String wanted = new String(bytes, StandardCharsets.UTF_8);
        for (int i = 0; i < entries; i++) {
            if (body.get(ValueLayout.JAVA_INT, entryOffset(i) + ENTRY_STATE_OFFSET) == STATE_ACTIVE) {
                Entry entry = read(i);
                if (entry != null && entry.name.equals(wanted)) {
                    return entry;
                }
            }
        }
        return null;
    }

    /** {@return the active entry of a reply address, if it still holds that registration, else null} */
    Entry entryAt(int index, int sequence) {
        if (index < 0 || index >= entries) {
            return null;
        }
        Entry entry = read(index);
        return entry != null && entry.sequence == sequence ? entry : null;
    }
}
