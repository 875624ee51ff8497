package org.panamaipc.rendezvous;

import org.panamaipc.internal.Namespace;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A link of capacity zero, in a named shared-memory segment: a message goes from a sender straight
 * to a receiver that waits for it, and the send returns only once the receiver has taken it. There
 * is no buffer to fill: a sender waits for a receiver, or gives up at its deadline with its
 * message withdrawn (never both taken and withdrawn), and learns within milliseconds when the
 * receiver that holds its message dies. Any number of {@link RendezvousSender}s and
 * {@link RendezvousReceiver}s, in any processes, may use one rendezvous; each message is taken by
 * exactly one receiver.
 *
 * {@snippet lang=java :
 * // process A: the receiver
 * try (Rendezvous link = Rendezvous.create("/jobs", RendezvousOptions.of(256));
 *      RendezvousReceiver receiver = link.receiver()) {
 *     byte[] job = receiver.receiveBytes(Duration.ofSeconds(30));   // a sender is released once this returns
 * }
 * // process B: the sender
 * try (Rendezvous link = Rendezvous.open("/jobs");
 *      RendezvousSender sender = link.sender()) {
 *     long sequence = sender.send(JOB, job, Duration.ofSeconds(5));
 *     if (sequence >= 0) {
 *         // a receiver has the job, every byte of it, now
 *     }
 * }
 * }
 *
 * <p>The hand-over happens in the receiver's slot of the segment: a sender claims a waiting
 * receiver, writes the message there, and sleeps on a futex of its own until the receiver has
 * copied it out and acknowledged it; see {@link RendezvousDescriptor}, mirrored for C in
 * {@code native/include/pipc_rendezvous.h}. The lifecycle is every named object's: {@link #create},
 * {@link #open}, {@link #openOrCreate} ({@link #created()} says which happened),
 * {@link #unlink(String)}, {@link #unlinkIfExists}, {@link #exists}, {@link #unlink()}; mode
 * {@code 0600} unless the options say otherwise. {@link #close()} closes the senders and receivers
 * attached through this instance (their waiting threads throw {@link IllegalStateException}), then
 * unmaps the segment; it never removes the name.
 */
public final class Rendezvous implements AutoCloseable {

    private static final String WHAT = "rendezvous";

    private final IpcSegment segment;
    private final RendezvousMemory memory;
    private final List<AutoCloseable> endpoints = new ArrayList<>();
    private volatile boolean closed;

    private Rendezvous(IpcSegment segment) {
        this.segment = segment;
        this.memory = new RendezvousMemory(segment.name(), segment.body());
    }

    private static Rendezvous wrap(IpcSegment segment, boolean unlinkOnFailure) {
        try {
            return new Rendezvous(segment);
        } catch (RuntimeException | Error e) {
            segment.close();
            if (unlinkOnFailure) {
                segment.unlink();
            }
            throw e;
        }
    }

    /**
     * Creates the rendezvous {@code name} with {@code options}.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     * @throws org.panamaipc.InvalidNameException if the name breaks the POSIX rules
     * @throws NullPointerException if {@code name} or {@code options} is null
     */
    public static Rendezvous create(String name, RendezvousOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        IpcSegment segment = IpcSegment.create(name, SegmentKind.RENDEZVOUS, RendezvousMemory.bodySize(options),
                options.mode(), body -> RendezvousMemory.initialize(body, options));
        return wrap(segment, true);
    }

    /**
     * Opens the existing rendezvous {@code name}, waiting briefly for a creator that has not
     * finished.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     * @throws org.panamaipc.shm.InvalidSegmentException if it is not a valid rendezvous: every
     *         field of its configuration is checked
     * @throws NullPointerException if {@code name} is null
     */
    public static Rendezvous open(String name) {
        Objects.requireNonNull(name, "name");
        return wrap(IpcSegment.open(name, SegmentKind.RENDEZVOUS, RendezvousDescriptor.SENDERS_OFFSET), false);
    }

    /**
     * Opens {@code name} if it exists (keeping its own options), or else creates it with
     * {@code options}; {@link #created()} says which. Race-free: of any number of processes racing,
     * exactly one creates.
     *
     * @throws NullPointerException if {@code name} or {@code options} is null
     */
    public static Rendezvous openOrCreate(String name, RendezvousOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        IpcSegment segment = IpcSegment.openOrCreate(name, SegmentKind.RENDEZVOUS, RendezvousMemory.bodySize(options),
                options.mode(), body -> RendezvousMemory.initialize(body, options), RendezvousDescriptor.SENDERS_OFFSET);
        return wrap(segment, segment.created());
    }

    /**
     * Removes the name {@code name}; processes that have the rendezvous open keep it until they close.
     *
     * @throws org.panamaipc.NotFoundException if no object of that name exists
     */
    public static void unlink(String name) {
        Namespace.SHARED_MEMORY.unlink(name, WHAT);
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return Namespace.SHARED_MEMORY.unlinkIfExists(name, WHAT);
    }

    /** {@return whether a shared-memory object named {@code name} exists now} Whatever it holds. */
    public static boolean exists(String name) {
        return Namespace.SHARED_MEMORY.exists(name, WHAT);
    }

    /**
     * Removes this rendezvous's name; attached senders and receivers keep working.
     *
     * @throws org.panamaipc.NotFoundException if the name was removed already
     */
    public void unlink() {
        unlink(segment.name());
    }

    /** {@return whether the call that returned this instance created the rendezvous} */
    public boolean created() {
        return segment.created();
    }

    /**
     * Attaches a sender.
     *
     * @throws IllegalStateException if every sender slot is taken by a live process, or this
     *         instance is closed
     * @throws org.panamaipc.IpcTimeoutException if a live process has held the registration lock for 10 s
     *         (a stuck peer, or a damaged lock word), naming that process
     */
    public RendezvousSender sender() {
        synchronized (endpoints) {
            ensureOpen();
            RendezvousSender sender = new RendezvousSender(this, memory);
            endpoints.add(sender);
            return sender;
        }
    }

    /**
     * Attaches a receiver.
     *
     * @throws IllegalStateException if every receiver slot is taken by a live process, or this
     *         instance is closed
     * @throws org.panamaipc.IpcTimeoutException if a live process has held the registration lock for 10 s
     *         (a stuck peer, or a damaged lock word), naming that process
     */
    public RendezvousReceiver receiver() {
        synchronized (endpoints) {
            ensureOpen();
            RendezvousReceiver receiver = new RendezvousReceiver(this, memory);
            endpoints.add(receiver);
            return receiver;
        }
    }

    void forget(AutoCloseable endpoint) {
        synchronized (endpoints) {
            endpoints.remove(endpoint);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("rendezvous " + segment.name() + " is closed");
        }
    }

    /** {@return the rendezvous's name} */
    public String name() {
        return segment.name();
    }

    /** {@return the longest payload the rendezvous takes} */
    public int maxMessageLength() {
        return memory.maxMessageLength;
    }

    /** {@return how many senders may be attached at once} */
    public int senderSlots() {
        return memory.senderSlots;
    }

    /** {@return how many receivers may be attached at once} */
    public int receiverSlots() {
        return memory.receiverSlots;
    }

    /**
     * {@return how many receivers are attached and alive now} Reads /proc for each attached one.
     *
     * @throws IllegalStateException naming the rendezvous if this instance is closed
     */
    public int receivers() {
        ensureOpen();
        return memory.live(RendezvousMemory.Side.RECEIVER);
    }

    /**
     * {@return how many senders are attached and alive now} Reads /proc for each attached one.
     *
     * @throws IllegalStateException naming the rendezvous if this instance is closed
     */
    public int senders() {
        ensureOpen();
        return memory.live(RendezvousMemory.Side.SENDER);
    }

    /**
     * {@return how many offers were handed back to their sender because the receiver holding them
     * died or left} The message of such an offer was not taken; its sender offered it again or
     * reported that no receiver was left.
     *
     * @throws IllegalStateException naming the rendezvous if this instance is closed
     */
    public long handedBack() {
        ensureOpen();
        return memory.dropped();
    }

    /**
     * Closes the senders and receivers attached through this instance (threads waiting in them
     * wake and throw {@link IllegalStateException}), then unmaps the rendezvous. Never removes the
     * name. Calling it again does nothing.
     */
    @Override
    public void close() {
        List<AutoCloseable> open;
        synchronized (endpoints) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(endpoints);
        }
        for (AutoCloseable endpoint : open) {
            try {
                endpoint.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + endpoint + " of rendezvous " + segment.name(), e);
            }
        }
        segment.close();
    }

    @Override
    public String toString() {
        return "Rendezvous[" + segment.name() + ", maxMessageLength=" + memory.maxMessageLength + ", senders="
                + memory.senderSlots + ", receivers=" + memory.receiverSlots + "]";
    }
}
