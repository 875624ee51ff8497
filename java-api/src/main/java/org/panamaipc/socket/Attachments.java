package org.panamaipc.socket;

import org.panamaipc.internal.Descriptors;
import org.panamaipc.internal.Handover;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.shm.SharedMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The objects whose descriptors go with a message of a {@link DescriptorSocket}: shared memory
 * (named, or {@linkplain SharedMemory#anonymous(long) anonymous} with its seals) and message
 * queues, in order; the receiver takes them by index from its {@link Received}. Immutable.
 *
 * {@snippet lang=java :
 * socket.send(payload, Attachments.of(memory).and(queue));   // index 0: memory, index 1: queue
 * }
 *
 * <p>What travels is a descriptor: the receiver gets the same kernel object, not a copy, with the
 * access it was opened with (a read-only mapping's memory arrives read-only). The sender's objects
 * stay open and usable; each send passes duplicates of their descriptors and closes them after.
 */
public final class Attachments {

    private static final Attachments NONE = new Attachments(List.of());

    private final List<Object> objects;

    private Attachments(List<Object> objects) {
        this.objects = objects;
    }

    /** {@return no attachments: the message carries its payload only} */
    public static Attachments none() {
        return NONE;
    }

    /**
     * {@return attachments holding {@code memory}}
     *
     * @throws NullPointerException if {@code memory} is null
     */
    public static Attachments of(SharedMemory memory) {
        return NONE.and(memory);
    }

    /**
     * {@return attachments holding {@code queue}}
     *
     * @throws NullPointerException if {@code queue} is null
     */
    public static Attachments of(MessageQueue queue) {
        return NONE.and(queue);
    }

    /**
     * {@return these attachments and then {@code memory}}
     *
     * @throws NullPointerException if {@code memory} is null
     */
    public Attachments and(SharedMemory memory) {
        return with(Objects.requireNonNull(memory, "memory"));
    }

    /**
     * {@return these attachments and then {@code queue}}
     *
     * @throws NullPointerException if {@code queue} is null
     */
    public Attachments and(MessageQueue queue) {
        return with(Objects.requireNonNull(queue, "queue"));
    }

    private Attachments with(Object object) {
        List<Object> more = new ArrayList<>(objects);
        more.add(object);
        return new Attachments(List.copyOf(more));
    }

    /** {@return how many objects there are} */
    public int size() {
        return objects.size();
    }

    /**
     * {@return new close-on-exec duplicates of the objects' descriptors, in order, which the caller
     * closes} If one fails (an object closed, no descriptor left), those made are closed first.
     */
    int[] duplicate() {
        int[] fds = new int[objects.size()];
        int made = 0;
        try {
            for (Object object : objects) {
                fds[made] = object instanceof SharedMemory memory
                        ? Handover.memory().duplicate(memory)
                        : Handover.queues().duplicate((MessageQueue) object);
                made++;
            }
            return fds;
        } catch (RuntimeException e) {
            for (int i = 0; i < made; i++) {
                Descriptors.closeQuietly(fds[i]);
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "Attachments" + objects;
    }
}
