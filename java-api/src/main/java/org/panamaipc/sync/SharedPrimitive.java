package org.panamaipc.sync;

import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Sleepers;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the synchronisation primitives share: the region of shared memory that holds their state,
 * the segment of their own if they have one ({@code create}/{@code open}/{@code openOrCreate})
 * rather than a caller's region ({@code wrap}/{@code initialize}), and their lifecycle: the
 * segment calls, {@link #unlink()}, {@link #created()} and {@link #close()}, written once here.
 */
abstract sealed class SharedPrimitive implements AutoCloseable permits IpcMutex, IpcSemaphore, IpcEvent, IpcLatch {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(SharedPrimitive.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final IpcSegment segment;
    final MemorySegment region;
    private final String what;
    private final boolean created;
    @SuppressWarnings("unused") // through CLOSED
    private volatile boolean closed;

    SharedPrimitive(String what, IpcSegment segment, MemorySegment region, boolean created) {
        this.what = what;
        this.segment = segment;
        this.region = region;
        this.created = created;
    }

    /** Creates the segment of a new primitive, after checking {@code name} and {@code mode}. */
    static IpcSegment createSegment(String name, SegmentKind kind, int size, int mode, String what,
                                    Consumer<MemorySegment> initializer) {
        Objects.requireNonNull(name, "name");
        Lifecycle.checkWritableMode(mode, what);
        return IpcSegment.create(name, kind, size, mode, initializer);
    }

    /** Opens the segment of an existing primitive. */
    static IpcSegment openSegment(String name, SegmentKind kind, int size) {
        Objects.requireNonNull(name, "name");
        return IpcSegment.open(name, kind, size);
    }

    /** Opens the segment of a primitive, or creates it (race-free, see {@link IpcSegment#openOrCreate}). */
    static IpcSegment openOrCreateSegment(String name, SegmentKind kind, int size, int mode, String what,
                                          Consumer<MemorySegment> initializer) {
        Objects.requireNonNull(name, "name");
        Lifecycle.checkWritableMode(mode, what);
        return IpcSegment.openOrCreate(name, kind, size, mode, initializer, size);
    }

    /** {@return the first {@code size} bytes of a segment's body: the primitive's region} */
    static MemorySegment regionOf(IpcSegment segment, int size) {
        return segment.body().asSlice(0, size);
    }

    /**
     * Removes the name of this primitive's own segment (see {@link IpcSegment#unlink()}); this
     * instance stays usable, and so do the other processes' until they close.
     *
     * @throws IllegalStateException if it lives in a caller's region, which has no name of its own
     * @throws org.panamaipc.NotFoundException if the name was removed already
     */
    public void unlink() {
        if (segment == null) {
            throw new IllegalStateException("this " + what + " lives in a caller's region; it has no name of its own");
        }
        segment.unlink();
    }

    /**
     * {@return whether the call that returned this instance created the primitive} True for
     * {@code create}, {@code initialize} and an {@code openOrCreate} that created; false for
     * {@code open}, {@code wrap} and an {@code openOrCreate} that opened.
     */
    public boolean created() {
        return created;
    }

    /**
     * Closes this instance. Threads of this process that wait in it (in a lock, acquire or await)
     * wake at once and throw {@link IllegalStateException} naming it; the call returns once they
     * have left. Then the primitive's own segment, if it has one, is unmapped; a primitive in a
     * caller's region leaves the region as it is. Calls after the close throw
     * {@link IllegalStateException}. Releases nothing the primitive holds (a lock, permits), and
     * never removes the name. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        Sleepers.closeOwner(this, what + " " + describe() + " is closed", SharedMemory.UNMAP_TIMEOUT.toNanos());
        if (segment != null) {
            segment.close();
        }
    }

    /**
     * Throws unless the primitive is open and its memory still mapped.
     *
     * @throws IllegalStateException naming the primitive if it is closed (or its region unmapped)
     */
    final void ensureOpen() {
        if (!isOpen()) {
            throw new IllegalStateException(what + " " + describe() + " is closed");
        }
    }

    /** {@return whether the primitive is open and its memory still mapped} */
    final boolean isOpen() {
        return !closed && region.scope().isAlive();
    }

    /**
     * Registers a wait in this primitive on {@code futex} for the whole of a blocking operation,
     * so that closing the primitive, or the memory it lives in, wakes it and lets it finish with
     * the memory (count itself out of a waiter count, say) first; {@link Sleepers#exit} it when
     * done, and {@link #checkWaiting} it before every sleep.
     */
    final Sleepers.Sleeper enterWait(Futex futex) {
        return Sleepers.enter(futex.word(), this);
    }

    /**
     * Throws if the primitive, or the memory it lives in, was closed; call it after
     * {@link #enterWait} and before each sleep, so that a close either finds the waiter or is
     * seen by it.
     *
     * @throws IllegalStateException naming what was closed
     */
    final void checkWaiting(Sleepers.Sleeper waiting) {
        waiting.ensureOpen();
        ensureOpen();
    }

    /** {@return the segment's name, or where the caller's region is} */
    String describe() {
        return segment != null ? segment.name() : "at 0x" + Long.toHexString(region.address());
    }
}
