package org.panamaipc.mq;

import org.panamaipc.bindings.CTypes;
import org.panamaipc.bindings.mq_attr;
import org.panamaipc.bindings.time_h;
import org.panamaipc.bindings.timespec;
import org.panamaipc.internal.Errors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One thread's native memory for message-queue calls, allocated once and reused, so that a send
 * or receive allocates nothing: a message buffer as large as the largest queue the thread has used
 * needs, the priority a receive reports, a {@code struct mq_attr}, the poll set of a wait, and
 * the {@code struct timespec} that ends a blocking call's slice. Confined to its thread; an automatic arena frees it once the thread is gone.
 */
final class Scratch {

    /** What the buffer starts at: {@code fs.mqueue.msgsize_default}, so most threads never grow it. */
    private static final int INITIAL_BUFFER = 8192;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Entries of a wait's poll set: the queue, the thread's interrupt eventfd, the queue's close eventfd. */
    static final int WAIT_FDS = 3;

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    final MemorySegment priority;
    final MemorySegment attr;
    /** The absolute CLOCK_REALTIME end of a blocking call's slice. */
    private final MemorySegment realtime;
    final PollSet waitSet = new PollSet(WAIT_FDS);
    private MemorySegment buffer;
    private ByteBuffer view;
    private MemorySegment sized;

    private Scratch() {
        Arena arena = Arena.ofAuto();
        priority = arena.allocate(CTypes.C_INT);
        attr = mq_attr.allocate(arena);
        realtime = timespec.allocate(arena);
        allocateBuffer(INITIAL_BUFFER);
    }

    static Scratch current() {
        return CURRENT.get();
    }

    private void allocateBuffer(long size) {
        buffer = Arena.ofAuto().allocate(size, Long.BYTES);
        view = buffer.asByteBuffer();
        sized = buffer;
    }

    /** {@return this thread's message buffer, at least {@code minSize} bytes} Grows (rarely) by reallocation. */
    MemorySegment buffer(long minSize) {
        if (buffer.byteSize() < minSize) {
            allocateBuffer(Math.max(minSize, buffer.byteSize() * 2));
        }
        return buffer;
    }

    /**
     * {@return the first {@code size} bytes of the buffer as a segment of exactly that size} The
     * slice is cached, so asking for the same size again allocates nothing.
     */
    MemorySegment sized(long size) {
        buffer(size);
        if (sized.byteSize() != size) {
            sized = buffer.asSlice(0, size);
        }
        return sized;
    }

    /**
     * {@return this thread's {@code struct timespec} set to CLOCK_REALTIME now plus {@code nanos}}
     * The absolute timeout that {@code mq_timedreceive} and {@code mq_timedsend} take.
     */
    MemorySegment realtimeAfter(long nanos) {
        if (time_h.clock_gettime(time_h.CLOCK_REALTIME(), realtime) != 0) {
            throw Errors.lastError("read CLOCK_REALTIME", null);
        }
        long nsec = timespec.tv_nsec(realtime) + nanos % NANOS_PER_SECOND;
        long sec = timespec.tv_sec(realtime) + nanos / NANOS_PER_SECOND + nsec / NANOS_PER_SECOND;
        timespec.tv_sec(realtime, sec);
        timespec.tv_nsec(realtime, nsec % NANOS_PER_SECOND);
        return realtime;
    }

    /** {@return the buffer as a {@code ByteBuffer} with position 0 and limit {@code length}} */
    ByteBuffer view(int length) {
        return view.clear().limit(length);
    }
}
