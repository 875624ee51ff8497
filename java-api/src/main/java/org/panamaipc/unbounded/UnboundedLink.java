package org.panamaipc.unbounded;

import org.panamaipc.NotFoundException;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.internal.Namespace;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A link of unbounded capacity between one sender and one receiver at a time, in any processes: a
 * send never waits and never fails for lack of room. Messages go through a ring channel while it
 * has room; when it is full they spill, in order, into shared-memory segments created on demand,
 * and the receiver takes them in the order they were sent, removing each spill segment once it has
 * consumed it. Only a memory cap bounds the spill: past it a send throws
 * {@link MemoryCapExceededException}, naming the cap.
 *
 * {@snippet lang=java :
 * // process A: the producer, which need not wait for anyone
 * try (UnboundedLink link = UnboundedLink.create("/jobs", UnboundedOptions.of(512).memoryCap(1L << 30));
 *      UnboundedSender sender = link.sender()) {
 *     for (byte[] job : jobs) {
 *         sender.send(JOB, job);          // never blocks: ring, or spill when the ring is full
 *     }
 * }
 * // process B, now or later: the consumer gets every job, in order
 * try (UnboundedLink link = UnboundedLink.open("/jobs");
 *      UnboundedReceiver receiver = link.receiver()) {
 *     byte[] job;
 *     while ((job = receiver.receiveBytes(Duration.ofSeconds(1))) != null) {
 *         process(job);
 *     }
 * }
 * }
 *
 * <p><b>Where the memory lives.</b> All of it is POSIX shared memory, in {@code /dev/shm} (a
 * {@code tmpfs}, so it counts as the machine's memory, not disk): the control segment {@code NAME}
 * (384 bytes of positions and counters, {@link UnboundedDescriptor}), the ring channel
 * {@code NAME.ring} ({@link UnboundedOptions#ringCapacity()} bytes), and while messages wait in
 * the spill, segments {@code NAME.spill.1}, {@code NAME.spill.2}, ... of
 * {@link UnboundedOptions#spillSegmentSize()} bytes each, at most
 * {@link UnboundedOptions#memoryCap()} bytes of them at once. All are created with the link's mode.
 *
 * <p><b>How it is reclaimed.</b> The receiver removes each spill segment as soon as it has taken
 * its last message, and the last one as soon as it has taken everything spilled. Nothing else
 * removes a spill segment while the link exists, so the messages in them outlive both sides: a
 * sender that exits or dies leaves what it sent for the next receiver, and a receiver that dies
 * leaves what it had not taken for the next one (the read position is stored in the control
 * segment after every message, so a new receiver goes on with the message after the last one a
 * receive returned). What the sender was writing when it died was not published and is never
 * delivered. {@link #unlink()}, {@link #unlink(String)} and {@link #unlinkIfExists(String)} (and
 * {@code ipc rm NAME}) remove the control segment, the ring and every spill segment of the link
 * that exists, found by name in {@code /dev/shm} (also one left over by a process killed between
 * creating and using it): once both sides have gone and the link is unlinked, nothing of it
 * remains.
 *
 * <p>The lifecycle is every named object's: {@link #create}, {@link #open}, {@link #openOrCreate}
 * ({@link #created()} says which happened), the static {@link #unlink(String)},
 * {@link #unlinkIfExists} and {@link #exists}, {@link #unlink()}; mode {@code 0600} unless the
 * options say otherwise. {@link #close()} closes the sender and receiver attached through this
 * instance, then unmaps; it never removes anything. A name for a link leaves room for the
 * suffixes of its parts ({@code .ring}, {@code .spill.N}).
 */
public final class UnboundedLink implements AutoCloseable {

    private static final String WHAT = "unbounded link";

    private final IpcSegment segment;
    private final LinkMemory memory;
    private final RingChannel ring;
    private final List<AutoCloseable> endpoints = new ArrayList<>();
    private volatile boolean closed;

    private UnboundedLink(IpcSegment segment) {
        this.segment = segment;
        this.memory = new LinkMemory(segment.name(), segment.body());
        RingChannel opened;
        try {
            opened = RingChannel.open(UnboundedDescriptor.ringName(segment.name()));
        } catch (NotFoundException e) {
            throw new InvalidSegmentException(segment.name(), InvalidSegmentException.Reason.CORRUPT,
                    "its ring " + UnboundedDescriptor.ringName(segment.name()) + " is gone");
        }
        if (opened.maxMessageLength() < memory.maxMessageLength) {
            opened.close();
            throw memory.corrupt("its ring takes messages of up to " + opened.maxMessageLength()
                    + " bytes, fewer than its " + memory.maxMessageLength);
        }
        this.ring = opened;
    }

    private static UnboundedLink wrap(IpcSegment segment, boolean unlinkOnFailure) {
        try {
            return new UnboundedLink(segment);
        } catch (RuntimeException | Error e) {
            segment.close();
            if (unlinkOnFailure) {
                unlinkIfExists(segment.name());
            }
            throw e;
        }
    }

    /** Lays out a new link: leftovers of an earlier link of that name go, then the ring is made. */
    private static void initialize(String name, UnboundedOptions options, java.lang.foreign.MemorySegment body) {
        LinkMemory.removeParts(name);
        RingChannel.create(UnboundedDescriptor.ringName(name), options.ringOptions()).close();
        LinkMemory.initialize(body, options);
    }

    /**
     * Creates the link {@code name} with {@code options}: its control segment and its ring.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     * @throws org.panamaipc.InvalidNameException if the name breaks the POSIX rules
     * @throws NullPointerException if {@code name} or {@code options} is null
     */
    public static UnboundedLink create(String name, UnboundedOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        IpcSegment segment = IpcSegment.create(name, SegmentKind.UNBOUNDED, UnboundedDescriptor.BODY_SIZE,
                options.mode(), body -> initialize(name, options, body));
        return wrap(segment, true);
    }

    /**
     * Opens the existing link {@code name}, waiting briefly for a creator that has not finished.
     *
     * @throws NotFoundException if it does not exist
     * @throws InvalidSegmentException if it is not a valid link, or its ring is gone or does not fit
     * @throws NullPointerException if {@code name} is null
     */
    public static UnboundedLink open(String name) {
        Objects.requireNonNull(name, "name");
        return wrap(IpcSegment.open(name, SegmentKind.UNBOUNDED, UnboundedDescriptor.BODY_SIZE), false);
    }

    /**
     * Opens {@code name} if it exists (keeping its own options), or else creates it with
     * {@code options}; {@link #created()} says which. Race-free: of any number of processes racing,
     * exactly one creates.
     *
     * @throws NullPointerException if {@code name} or {@code options} is null
     */
    public static UnboundedLink openOrCreate(String name, UnboundedOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        IpcSegment segment = IpcSegment.openOrCreate(name, SegmentKind.UNBOUNDED, UnboundedDescriptor.BODY_SIZE,
                options.mode(), body -> initialize(name, options, body), UnboundedDescriptor.BODY_SIZE);
        return wrap(segment, segment.created());
    }

    /**
     * Removes the link {@code name}: its control segment, its ring and every spill segment that
     * exists, with the messages in them. Processes that have it open keep what they have mapped.
     *
     * @throws NotFoundException if no object of that name exists (its parts are removed all the same)
     */
    public static void unlink(String name) {
        Objects.requireNonNull(name, "name");
        try {
            Namespace.SHARED_MEMORY.unlink(name, WHAT);
        } finally {
            LinkMemory.removeParts(name);
        }
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        Objects.requireNonNull(name, "name");
        boolean existed = Namespace.SHARED_MEMORY.unlinkIfExists(name, WHAT);
        LinkMemory.removeParts(name);
        return existed;
    }

    /** {@return whether a shared-memory object named {@code name} exists now} Whatever it holds. */
    public static boolean exists(String name) {
        return Namespace.SHARED_MEMORY.exists(Objects.requireNonNull(name, "name"), WHAT);
    }

    /**
     * Removes this link's control segment, ring and spill segments, as {@link #unlink(String)}.
     *
     * @throws NotFoundException if the name was removed already
     */
    public void unlink() {
        unlink(segment.name());
    }

    /** {@return whether the call that returned this instance created the link} */
    public boolean created() {
        return segment.created();
    }

    /**
     * Attaches the link's sender.
     *
     * @throws IllegalStateException if another live process or thread has the sender attached, or
     *         this instance is closed
     */
    public UnboundedSender sender() {
        synchronized (endpoints) {
            ensureOpen();
            UnboundedSender sender = new UnboundedSender(this, memory, ring.sender(WaitStrategy.busySpin()));
            endpoints.add(sender);
            return sender;
        }
    }

    /** Attaches the link's receiver, which waits with {@link WaitStrategy#blocking()}; see {@link #receiver(WaitStrategy)}. */
    public UnboundedReceiver receiver() {
        return receiver(WaitStrategy.blocking());
    }

    /**
     * Attaches the link's receiver, which waits for the ring with {@code strategy}. It goes on from
     * the first message no receiver has taken.
     *
     * @throws IllegalStateException if another live receiver is attached, or this instance is closed
     * @throws NullPointerException if {@code strategy} is null
     */
    public UnboundedReceiver receiver(WaitStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        synchronized (endpoints) {
            ensureOpen();
            UnboundedReceiver receiver = new UnboundedReceiver(this, memory, ring.receiver(strategy));
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
            throw new IllegalStateException("unbounded link " + segment.name() + " is closed");
        }
    }

    /** {@return the link's name} */
    public String name() {
        return segment.name();
    }

    /** {@return the longest payload the link takes} */
    public int maxMessageLength() {
        return memory.maxMessageLength;
    }

    /** {@return the bytes of the ring, the part that never spills} */
    public long ringCapacity() {
        return memory.ringCapacity;
    }

    /** {@return the bytes of each spill segment, header included} */
    public long spillSegmentSize() {
        return memory.segmentSize;
    }

    /** {@return the most bytes of spill segments that may exist at once} */
    public long memoryCap() {
        return memory.memoryCap;
    }

    /**
     * {@return how many messages have been sent over the link}
     *
     * @throws IllegalStateException naming the link if this instance is closed
     */
    public long sent() {
        ensureOpen();
        return memory.counter(UnboundedDescriptor.SENT_OFFSET);
    }

    /**
     * {@return how many messages have been received from the link}
     *
     * @throws IllegalStateException naming the link if this instance is closed
     */
    public long received() {
        ensureOpen();
        return memory.counter(UnboundedDescriptor.RECEIVED_OFFSET);
    }

    /**
     * {@return how many messages went to the spill because the ring was full (or the spill not yet drained)}
     *
     * @throws IllegalStateException naming the link if this instance is closed
     */
    public long spilled() {
        ensureOpen();
        return memory.counter(UnboundedDescriptor.SPILLED_OFFSET);
    }

    /**
     * {@return how many spilled messages wait for the receiver now}
     *
     * @throws IllegalStateException naming the link if this instance is closed
     */
    public long spilledWaiting() {
        ensureOpen();
        return Math.max(0, spilled() - memory.spilledTaken());
    }

    /**
     * {@return how many spill segments exist now, by the positions (at most one more, being created)}
     *
     * @throws IllegalStateException naming the link if this instance is closed
     */
    public long spillSegments() {
        ensureOpen();
        return memory.segmentsInUse();
    }

    /**
     * Closes the sender and receiver attached through this instance (threads waiting in them wake
     * and throw {@link IllegalStateException}), then unmaps the link. Never removes anything.
     * Calling it again does nothing.
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
                throw new IllegalStateException("closing " + endpoint + " of unbounded link " + segment.name(), e);
            }
        }
        ring.close();
        segment.close();
    }

    @Override
    public String toString() {
        return "UnboundedLink[" + segment.name() + ", ring " + memory.ringCapacity + " B, spill segments "
                + memory.segmentSize + " B, memoryCap " + memory.memoryCap + " B]";
    }
}
