package org.panamaipc.sync;

import org.panamaipc.internal.Sleepers;
import org.panamaipc.shm.IpcSegment;

import java.lang.foreign.MemorySegment;

/**
 * What the synchronisation primitives share: the region of shared memory that holds their state,
 * and the segment of their own if they have one ({@code create}/{@code open}) rather than a
 * caller's region ({@code wrap}/{@code initialize}).
 */
abstract sealed class SharedPrimitive implements AutoCloseable permits IpcMutex, IpcSemaphore, IpcEvent, IpcLatch {

    final IpcSegment segment;
    final MemorySegment region;
    private final String what;

    SharedPrimitive(String what, IpcSegment segment, MemorySegment region) {
        this.what = what;
        this.segment = segment;
        this.region = region;
    }

    /** {@return the first {@code size} bytes of an opened segment's body: the primitive's region} */
    static MemorySegment regionOf(IpcSegment segment, int size) {
        return segment.body().asSlice(0, size);
    }

    /**
     * Removes the name of this primitive's own segment (see {@link IpcSegment#unlink()}).
     *
     * @throws IllegalStateException if it lives in a caller's region, which has no name of its own
     */
    public void unlink() {
        if (segment == null) {
            throw new IllegalStateException("this " + what + " lives in a caller's region; it has no name of its own");
        }
        segment.unlink();
    }

    /**
     * Unmaps the primitive's own segment, if it has one. Releases nothing it holds. Threads of this
     * process that wait in it are woken and throw {@link IllegalStateException} naming it; calls
     * after the close throw the same. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (segment != null) {
            segment.close();
        }
    }

    /**
     * Throws unless the primitive's memory is still mapped.
     *
     * @throws IllegalStateException naming the primitive if it is closed (or its region unmapped)
     */
    final void ensureOpen() {
        if (!region.scope().isAlive()) {
            throw new IllegalStateException(what + " " + describe() + " is closed");
        }
    }

    /** {@return whether the primitive's memory is still mapped} */
    final boolean isOpen() {
        return region.scope().isAlive();
    }

    /**
     * Registers a wait on {@code futex} for the whole of a blocking operation, so that closing the
     * memory wakes it and lets it finish with the memory (count itself out of a waiter count, say)
     * before unmapping; {@link Sleepers#exit} it when done.
     */
    static Sleepers.Sleeper enterWait(Futex futex) {
        return Sleepers.enter(futex.word());
    }

    /** {@return the segment's name, or where the caller's region is} */
    String describe() {
        return segment != null ? segment.name() : "at 0x" + Long.toHexString(region.address());
    }
}
