package org.panamaipc.mq;

import org.panamaipc.bindings.CTypes;
import org.panamaipc.bindings.mq_attr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One thread's native memory for message-queue calls, allocated once and reused, so that a send
 * or receive allocates nothing: a message buffer as large as the largest queue the thread has used
 * needs, the priority a receive reports, a {@code struct mq_attr} and the poll set of a wait.
 * Confined to its thread; an automatic arena frees it once the thread is gone.
 */
final class Scratch {

    /** What the buffer starts at: {@code fs.mqueue.msgsize_default}, so most threads never grow it. */
    private static final int INITIAL_BUFFER = 8192;

    /** Entries of a wait's poll set: the queue, the thread's interrupt eventfd, the queue's close eventfd. */
    static final int WAIT_FDS = 3;

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    final MemorySegment priority;
    final MemorySegment attr;
    final PollSet waitSet = new PollSet(WAIT_FDS);
    private MemorySegment buffer;
    private ByteBuffer view;
    private MemorySegment sized;

    private Scratch() {
        Arena arena = Arena.ofAuto();
        priority = arena.allocate(CTypes.C_INT);
        attr = mq_attr.allocate(arena);
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

    /** {@return the buffer as a {@code ByteBuffer} with position 0 and limit {@code length}} */
    ByteBuffer view(int length) {
        return view.clear().limit(length);
    }
}
