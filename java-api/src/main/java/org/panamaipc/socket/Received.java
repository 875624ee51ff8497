package org.panamaipc.socket;

import org.panamaipc.Access;
import org.panamaipc.internal.Descriptors;
import org.panamaipc.internal.Handover;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;

/**
 * A message received on a {@link DescriptorSocket}: its payload and the descriptors that came with
 * it, which this object holds until they are taken as objects ({@link #takeSharedMemory},
 * {@link #takeMessageQueue}). {@link #close()} closes every descriptor not taken, so none leaks;
 * use it in try-with-resources:
 *
 * {@snippet lang=java :
 * try (Received message = socket.receive()) {
 *     SharedMemory memory = message.takeSharedMemory(0, EnumSet.of(Seal.SHRINK, Seal.GROW));
 *     // memory is this process's now: close it when done
 * }   // any other descriptor the peer sent is closed here
 * }
 *
 * <p>A {@code Received} that is never closed has its descriptors closed once it is unreachable (by
 * a {@link Cleaner}); do not rely on that, since descriptors run out before memory does.
 * Safe for use by several threads.
 */
public final class Received implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final byte[] payload;
    private final Held held;
    private final Cleaner.Cleanable cleanable;

    Received(byte[] payload, int[] fds) {
        this.payload = payload;
        this.held = new Held(fds);
        this.cleanable = CLEANER.register(this, held);
    }

    /** {@return the payload, read-only} */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** {@return how many descriptors came with the message} */
    public int descriptorCount() {
        return held.fds.length;
    }

    /**
     * {@return what descriptor {@code index} is, as {@code /proc/self/fd} shows it: {@code
     * /dev/shm/NAME}, {@code /memfd:NAME}, a queue's {@code /NAME}, {@code anon_inode:[eventfd]}}
     *
     * @throws IllegalStateException if it was taken already, or this message is closed
     * @throws IndexOutOfBoundsException if there is no descriptor {@code index}
     */
    public String describe(int index) {
        synchronized (held) {
            return Descriptors.describe(held.get(index));
        }
    }

    /**
     * Takes descriptor {@code index} as shared memory, mapped whole, without requiring any seal.
     * See {@link #takeSharedMemory(int, Set)}.
     */
    public SharedMemory takeSharedMemory(int index) {
        return takeSharedMemory(index, Set.of());
    }

    /**
     * Takes descriptor {@code index} as shared memory, mapped whole, once it has checked that the
     * memory carries every seal of {@code required} (so the sender can no longer, say, shrink it
     * under this process's mapping). It is mapped read-only if it was sent read-only or is sealed
     * against writing ({@link Seal#WRITE}, {@link Seal#FUTURE_WRITE}). The memory is the caller's:
     * close it when done. Its {@linkplain SharedMemory#name() name} is the object's name for named
     * shared memory, which {@link SharedMemory#unlink()} then takes, and {@code memfd:LABEL} for
     * anonymous memory.
     *
     * @throws org.panamaipc.shm.InvalidSegmentException if the descriptor is not shared memory, is
     *         empty, or lacks a seal of {@code required}; the descriptor stays here and is closed
     *         with this message
     * @throws IllegalStateException if it was taken already, or this message is closed
     * @throws IndexOutOfBoundsException if there is no descriptor {@code index}
     * @throws NullPointerException if {@code required} is null
     */
    public SharedMemory takeSharedMemory(int index, Set<Seal> required) {
        Objects.requireNonNull(required, "required");
        Handover.Memory memory = Handover.memory();
        int fd;
        String label;
        Access access;
        synchronized (held) {
            fd = held.get(index);
            label = memory.label(fd);
            access = memory.check(fd, label, required);
            held.fds[index] = Held.TAKEN;
        }
        return memory.adopt(fd, label, access);
    }

    /**
     * Takes descriptor {@code index} as a message queue, with the access it was sent with. The
     * queue is the caller's: close it when done. Its {@linkplain MessageQueue#name() name} is the
     * one it was opened by. The descriptor's file status is shared with the sender's: it is made
     * non-blocking if it was not (a {@code MessageQueue}'s own descriptor is).
     *
     * @throws IllegalArgumentException if the descriptor is not a message queue; it stays here and
     *         is closed with this message
     * @throws IllegalStateException if it was taken already, or this message is closed
     * @throws IndexOutOfBoundsException if there is no descriptor {@code index}
     */
    public MessageQueue takeMessageQueue(int index) {
        Handover.Queues queues = Handover.queues();
        int fd;
        String name;
        Access access;
        synchronized (held) {
            fd = held.get(index);
            name = Descriptors.describe(fd);
            access = queues.check(fd, name);
            held.fds[index] = Held.TAKEN;
        }
        return queues.adopt(fd, name, access);
    }

    /** Closes every descriptor not taken. Calling it again does nothing. */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "Received[" + payload.length + " bytes, " + held.fds.length + " descriptors]";
    }

    /** The descriptors, shared with the cleaner: it must not reach the {@code Received}. */
    private static final class Held implements Runnable {
        static final int TAKEN = -1;
        final int[] fds;
        boolean closed;

        Held(int[] fds) {
            this.fds = fds;
        }

        /** {@return descriptor {@code index}, still here}; call holding this object's monitor */
        int get(int index) {
            Objects.checkIndex(index, fds.length);
            if (closed) {
                throw new IllegalStateException("the received message is closed; its descriptors with it");
            }
            if (fds[index] == TAKEN) {
                throw new IllegalStateException("descriptor " + index + " of the received message was taken already");
            }
            return fds[index];
        }

        @Override
        public synchronized void run() {
            closed = true;
            for (int i = 0; i < fds.length; i++) {
                Descriptors.closeQuietly(fds[i]);
                fds[i] = TAKEN;
            }
        }
    }
}
