package org.panamaipc.message;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.bindings.limits_h;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RecordDescriptor;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Namespace;
import org.panamaipc.internal.PosixNames;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static org.panamaipc.message.MailboxDescriptor.*;

/**
 * The control segment of a mailbox or port and the lifecycle of the two objects behind a name:
 * the control segment {@code NAME} and the transport {@code NAME.ring} or {@code NAME.queue}.
 * Creating makes the transport while initialising the control segment, before its ready word;
 * removing takes the transport first and the control segment last, so that a creator that holds
 * the control segment's name and finds a transport of that name knows it for a leftover of a
 * creator that died, and replaces it.
 */
final class MailboxControl implements AutoCloseable {

    static final String MAILBOX = "mailbox";
    static final String PORT = "port";
    /** The ring's endpoint slots: how many handles may send or receive at once. */
    static final int RING_ENDPOINTS = 128;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int LONGEST_SUFFIX = Math.max(RING_SUFFIX.length(), QUEUE_SUFFIX.length());

    final String name;
    final IpcSegment segment;
    final MemorySegment body;
    final Transport transport;
    final boolean port;
    /** Whether the messages go without the envelope ({@link MailboxDescriptor#FLAG_BARE}). */
    final boolean bare;
    final int capacity;
    final int maxLength;

    /** Whether this process's keeper thread holds the owner lock (this control created the port). */
    private boolean ownerLocked;
    /** Whether the owner lock could not be released: then the memory stays mapped (see {@link OwnerKeeper}). */
    private boolean keepMapped;

    private MailboxControl(String name, IpcSegment segment) {
        this.name = name;
        this.segment = segment;
        this.body = segment.body();
        this.transport = Transport.ofCode(body.get(ValueLayout.JAVA_INT, TRANSPORT_OFFSET));
        int flags = body.get(ValueLayout.JAVA_INT, FLAGS_OFFSET);
        this.port = (flags & FLAG_PORT) != 0;
        this.bare = (flags & FLAG_BARE) != 0;
        this.capacity = body.get(ValueLayout.JAVA_INT, CAPACITY_OFFSET);
        this.maxLength = body.get(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET);
    }

    /** {@return the most bytes a mailbox or port name may have after its '/'} */
    static int maxNameBytes() {
        return Math.min(Mailbox.MAX_NAME_BYTES, limits_h.NAME_MAX() - LONGEST_SUFFIX);
    }

    /**
     * Checks {@code name} as a POSIX name with room for its transport's suffix.
     *
     * @throws InvalidNameException naming the rule it breaks
     */
    static String checkName(String name) {
        PosixNames.check(name);
        int bytes = name.substring(1).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxNameBytes()) {
            throw new InvalidNameException(name, "length after the '/' is " + bytes + " bytes, more than the "
                    + maxNameBytes() + " a mailbox or port name may have (NAME_MAX=" + limits_h.NAME_MAX()
                    + " less the " + LONGEST_SUFFIX + " of the suffix \"" + QUEUE_SUFFIX + "\" its queue would have)");
        }
        return name;
    }

    static String ringName(String name) {
        return name + RING_SUFFIX;
    }

    static String queueName(String name) {
        return name + QUEUE_SUFFIX;
    }

    /** What {@link #create} makes: the control segment and the link over the new transport. */
    record Created<T>(MailboxControl control, Link<T> link) {
    }

    /**
     * Creates the control segment {@code name} and its transport as {@code options} say; for a
     * port, the owner lock is locked by this process's keeper thread before the segment is ready.
     *
     * @throws AlreadyExistsException if the name exists
     */
    static <T> Created<T> create(String name, MailboxOptions options, Values<T> values, boolean port) {
        checkName(name);
        Lifecycle.checkWritableMode(options.mode(), port ? PORT : MAILBOX);
        int maxLength = options.effectiveMaxMessageLength(values.fixedSize);
        Object[] made = new Object[1];
        IpcSegment segment = IpcSegment.create(name, SegmentKind.MAILBOX, SIZE, options.mode(), body -> {
            body.set(ValueLayout.JAVA_INT, TRANSPORT_OFFSET, options.transport().code());
            body.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, (port ? FLAG_PORT : 0) | (options.enveloped() ? 0 : FLAG_BARE));
            body.set(ValueLayout.JAVA_INT, CAPACITY_OFFSET, options.capacity());
            body.set(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET, maxLength);
            made[0] = makeTransport(name, options, maxLength, port);
            if (port) {
                try {
                    ProcessId me = ProcessId.current();
                    body.set(ValueLayout.JAVA_INT, OWNER_PID_OFFSET, me.pid());
                    body.set(ValueLayout.JAVA_LONG, OWNER_START_TIME_OFFSET, me.startTime());
                    OwnerKeeper.initializeAndLock(body.asSlice(OWNER_LOCK_OFFSET, CTypesSize.MUTEX), name);
                    INT.setRelease(body, (long) OWNER_STATE_OFFSET, OWNER_OWNED);
                } catch (RuntimeException | Error e) {
                    closeQuietly(made[0]);
                    unlinkTransports(name);
                    throw e;
                }
            }
        });
        MailboxControl control;
        try {
            control = new MailboxControl(name, segment);
        } catch (RuntimeException | Error e) {
            if (port) {
                OwnerKeeper.unlock(segment.body().asSlice(OWNER_LOCK_OFFSET, CTypesSize.MUTEX), name);
            }
            segment.close();
            closeQuietly(made[0]);
            throw e;
        }
        control.ownerLocked = port;
        try {
            Link<T> link = options.transport() == Transport.RING
                    ? new RingLink<>(name, values, maxLength, (RingChannel) made[0], options.waitStrategy(), !options.enveloped())
                    : new QueueLink<>(name, values, maxLength, (MessageQueue) made[0]);
            return new Created<>(control, link);
        } catch (RuntimeException | Error e) {
            control.release();
            control.close();
            closeQuietly(made[0]);
            throw e;
        }
    }

    private static Object makeTransport(String name, MailboxOptions options, int maxLength, boolean port) {
        if (options.transport() == Transport.RING) {
            // sized for a forwarded record (EnvelopeDescriptor, "Forwarded records"), the longer envelope
            long record = RecordDescriptor.recordLength((long) EnvelopeDescriptor.FORWARDED_LENGTH + maxLength);
            long bytes = Math.max(ChannelOptions.MIN_CAPACITY, Math.max(record * options.capacity(), 2 * record));
            long capacity = Long.highestOneBit(bytes) == bytes ? bytes : Long.highestOneBit(bytes) << 1;
            ChannelOptions ring = ChannelOptions.of(port || options.singleReceiver() ? ChannelType.MPSC : ChannelType.MPMC)
                    .capacity(capacity)
                    .maxMessageLength(EnvelopeDescriptor.FORWARDED_LENGTH + maxLength)
                    .endpointSlots(RING_ENDPOINTS)
                    .mode(options.mode());
            String ringName = ringName(name);
            try {
                return RingChannel.create(ringName, ring);
            } catch (AlreadyExistsException leftover) {
                // we hold the control segment's name: this ring is a dead creator's leftover
                Namespace.SHARED_MEMORY.unlinkIfExists(ringName, "ring");
                return RingChannel.create(ringName, ring);
            }
        }
        QueueOptions queue = QueueOptions.of(options.capacity(), EnvelopeDescriptor.QUEUE_LENGTH + maxLength)
                .mode(options.mode());
        String queueName = queueName(name);
        try {
            return MessageQueue.create(queueName, queue);
        } catch (AlreadyExistsException leftover) {
            MessageQueue.unlinkIfExists(queueName);
            return MessageQueue.create(queueName, queue);
        }
    }

    /**
     * Opens the control segment {@code name} and its transport.
     *
     * @throws org.panamaipc.NotFoundException if either does not exist (the transport goes first
     *         when a mailbox is removed)
     * @throws InvalidSegmentException if the control segment is not a valid mailbox
     */
    static <T> Created<T> open(String name, Values<T> values, WaitStrategy strategy) {
        checkName(name);
        IpcSegment segment = IpcSegment.open(name, SegmentKind.MAILBOX, SIZE);
        try {
            MailboxControl control = new MailboxControl(name, segment);
            control.validate();
            Link<T> link = control.transport == Transport.RING
                    ? new RingLink<>(name, values, control.maxLength, RingChannel.open(ringName(name)), strategy, control.bare)
                    : new QueueLink<>(name, values, control.maxLength, MessageQueue.open(queueName(name)));
            return new Created<>(control, link);
        } catch (RuntimeException | Error e) {
            segment.close();
            throw e;
        }
    }

    /** {@return the control of the opened segment {@code segment}} */
    static MailboxControl of(String name, IpcSegment segment) {
        MailboxControl control = new MailboxControl(name, segment);
        control.validate();
        return control;
    }

    private void validate() {
        String problem = checkTransport(body.get(ValueLayout.JAVA_INT, TRANSPORT_OFFSET));
        if (problem == null && (capacity <= 0 || maxLength <= 0)) {
            problem = "its capacity " + capacity + " and max message length " + maxLength + " must be positive";
        }
        if (problem == null) {
            problem = checkFlags(body.get(ValueLayout.JAVA_INT, TRANSPORT_OFFSET), body.get(ValueLayout.JAVA_INT, FLAGS_OFFSET));
        }
        if (problem != null) {
            throw new InvalidSegmentException("open mailbox", name, InvalidSegmentException.Reason.CORRUPT, problem);
        }
    }

    /** Removes the transports that {@code name} may have, whichever there is. */
    static void unlinkTransports(String name) {
        Namespace.SHARED_MEMORY.unlinkIfExists(ringName(name), "ring");
        Namespace.MESSAGE_QUEUE.unlinkIfExists(queueName(name), "message queue");
    }

    /**
     * Removes {@code name}: the transport first, the control segment last.
     *
     * @throws org.panamaipc.NotFoundException if the control segment does not exist
     */
    static void unlink(String name, String what) {
        checkName(name);
        unlinkTransports(name);
        Namespace.SHARED_MEMORY.unlink(name, what);
    }

    static boolean unlinkIfExists(String name, String what) {
        checkName(name);
        unlinkTransports(name);
        return Namespace.SHARED_MEMORY.unlinkIfExists(name, what);
    }

    static boolean exists(String name, String what) {
        return Namespace.SHARED_MEMORY.exists(checkName(name), what);
    }

    // a port's owner

    int ownerWord() {
        return (int) INT.getAcquire(body, (long) OWNER_WORD_OFFSET);
    }

    int ownerState() {
        return (int) INT.getAcquire(body, (long) OWNER_STATE_OFFSET);
    }

    int ownerPid() {
        return body.get(ValueLayout.JAVA_INT, OWNER_PID_OFFSET);
    }

    long ownerStartTime() {
        return body.get(ValueLayout.JAVA_LONG, OWNER_START_TIME_OFFSET);
    }

    /** {@return whether the port's owner holds it now: one load of the lock word and one of the state} */
    boolean ownerPresent() {
        return MailboxDescriptor.ownerPresent(ownerWord()) && ownerState() == OWNER_OWNED;
    }

    boolean compareAndSetOwnerState(int expected, int state) {
        return INT.compareAndSet(body, (long) OWNER_STATE_OFFSET, expected, state);
    }

    /**
     * Called by the owner when it closes the port: the state first, then the lock, which this
     * process holds whatever the shared state says (another process may have written it). If the
     * unlock fails (a lock word damaged by another process), the memory stays mapped until the
     * process exits rather than leave the keeper's robust list pointing into an unmapped page.
     */
    synchronized void release() {
        compareAndSetOwnerState(OWNER_OWNED, OWNER_CLOSED);
        if (ownerLocked) {
            ownerLocked = false;
            keepMapped = true;
            OwnerKeeper.unlock(body.asSlice(OWNER_LOCK_OFFSET, CTypesSize.MUTEX), name);
            keepMapped = false;
        }
    }

    boolean created() {
        return segment.created();
    }

    /** Unmaps the control segment, unless the owner lock is still held here (see {@link #release()}). */
    @Override
    public synchronized void close() {
        if (ownerLocked || keepMapped) {
            return; // a port closed without release(), or whose unlock failed: never unmap a held robust mutex
        }
        segment.close();
    }

    private static void closeQuietly(Object transport) {
        if (transport instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing what we are about to remove
            }
        }
    }

    /** The size of the owner lock, as a {@code long} for slicing. */
    private static final class CTypesSize {
        static final long MUTEX = org.panamaipc.bindings.CTypes.pthread_mutex_t.byteSize();
    }
}
