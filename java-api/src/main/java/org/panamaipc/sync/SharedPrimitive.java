package org.panamaipc.sync;

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

    /** Unmaps the primitive's own segment, if it has one. Releases nothing it holds. */
    @Override
    public void close() {
        if (segment != null) {
            segment.close();
        }
    }

    /** {@return the segment's name, or where the caller's region is} */
    String describe() {
        return segment != null ? segment.name() : "at 0x" + Long.toHexString(region.address());
    }
}
