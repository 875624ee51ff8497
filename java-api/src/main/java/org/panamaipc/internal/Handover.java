package org.panamaipc.internal;

import org.panamaipc.Access;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;

import java.util.Set;

/**
 * What the objects that can travel over a Unix-domain socket ({@code org.panamaipc.socket}) lend
 * that package without making it public: a duplicate of an object's descriptor to send, and an
 * object made from a descriptor received. Each object's package registers its side from a static
 * initialiser of a class of its own, which {@link #memory()} and {@link #queues()} load on first
 * use (the JDK's {@code SharedSecrets} pattern).
 */
public final class Handover {

    /** Shared memory's side. */
    public interface Memory {
        /**
         * {@return a new close-on-exec duplicate of the descriptor of {@code memory}, which the
         * caller closes}
         *
         * @throws IllegalStateException if {@code memory} is closed
         */
        int duplicate(SharedMemory memory);

        /**
         * {@return the name received memory is known by: {@code /orders} for a POSIX shared memory
         * object (its name, which {@code unlink} takes), {@code memfd:LABEL} for a memfd,
         * {@code file:PATH} for another file}
         */
        String label(int fd);

        /**
         * Checks a received descriptor: a regular file (a memfd or a POSIX shared memory object)
         * of non-zero size that carries every seal of {@code required}. {@return how it can be
         * mapped: read-only if it was sent read-only or is sealed against writing} {@code fd}
         * stays the caller's.
         *
         * @param label what {@link #label(int)} said
         * @throws org.panamaipc.shm.InvalidSegmentException if it is not such memory, or lacks a seal
         */
        Access check(int fd, String label, Set<Seal> required);

        /**
         * {@return shared memory mapped from the descriptor {@code fd}, which it owns from the call
         * on (it is closed if mapping fails)}
         */
        SharedMemory adopt(int fd, String label, Access access);
    }

    /** Message queues' side. */
    public interface Queues {
        /**
         * {@return a new close-on-exec duplicate of the descriptor of {@code queue}, which the
         * caller closes}
         *
         * @throws IllegalStateException if {@code queue} is closed
         */
        int duplicate(MessageQueue queue);

        /**
         * Checks that a received descriptor is a message queue; {@return the access it was opened
         * with} {@code fd} stays the caller's.
         *
         * @throws IllegalArgumentException if it is not a message queue
         */
        Access check(int fd, String label);

        /**
         * {@return a queue over the descriptor {@code fd}, which it owns from the call on (it is
         * closed if that fails)}
         *
         * @param name the queue's name, from {@code /proc/self/fd}
         */
        MessageQueue adopt(int fd, String name, Access access);
    }

    private static volatile Memory memory;
    private static volatile Queues queues;

    private Handover() {
    }

    /** Registers shared memory's side; called once, by its package. */
    public static void register(Memory side) {
        memory = side;
    }

    /** Registers message queues' side; called once, by its package. */
    public static void register(Queues side) {
        queues = side;
    }

    /** {@return shared memory's side} */
    public static Memory memory() {
        Memory side = memory;
        if (side == null) {
            load("org.panamaipc.shm.MemoryHandover");
            side = memory;
        }
        return side;
    }

    /** {@return message queues' side} */
    public static Queues queues() {
        Queues side = queues;
        if (side == null) {
            load("org.panamaipc.mq.QueueHandover");
            side = queues;
        }
        return side;
    }

    private static void load(String className) {
        try {
            Class.forName(className, true, Handover.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load " + className, e);
        }
    }
}
