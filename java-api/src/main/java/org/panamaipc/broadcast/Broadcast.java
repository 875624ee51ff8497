package org.panamaipc.broadcast;

import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Namespace;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A broadcast, one to many, in a named shared-memory segment: one {@link Publisher} sends, and any
 * number of {@link Subscriber}s, in any processes, joining and leaving while it runs, each receive
 * every message sent after they joined, in order. The messages live in a ring of
 * {@link BroadcastOptions#capacity()} fixed-size records that the publisher writes and each
 * subscriber reads at its own position; what happens when a subscriber falls a whole ring behind
 * is the {@link SlowSubscriberPolicy} chosen at creation: it holds the publisher back
 * ({@link SlowSubscriberPolicy#BLOCK}) or it loses the oldest messages and is told exactly how
 * many ({@link SlowSubscriberPolicy#LOSSY}). A dead subscriber never holds the publisher back: its
 * slot is retired by its pid and start time.
 *
 * {@snippet lang=java :
 * // process A: create the broadcast and publish
 * try (Broadcast ticks = Broadcast.create("/ticks", BroadcastOptions.of(SlowSubscriberPolicy.LOSSY));
 *      Publisher publisher = ticks.publisher()) {
 *     for (long price : prices) {
 *         publisher.send(TICK, toBytes(price));       // never waits under LOSSY
 *     }
 * }
 * // processes B, C, ...: open it and subscribe
 * try (Broadcast ticks = Broadcast.open("/ticks");
 *      Subscriber subscriber = ticks.subscribe()) {
 *     byte[] tick;
 *     while ((tick = subscriber.receiveBytes(Duration.ofSeconds(1))) != null) {
 *         long missed = subscriber.lastHeader().lost();   // 0 unless this subscriber was lapped
 *         handle(tick, missed);
 *     }
 * }
 * }
 *
 * <p>The lifecycle is every named object's: {@link #create}, {@link #open}, {@link #openOrCreate}
 * ({@link #created()} says which happened), {@link #unlink(String)}, {@link #unlinkIfExists},
 * {@link #exists}, {@link #unlink()}; mode {@code 0600} unless the options say otherwise.
 * {@link #close()} closes the publisher and subscribers attached through this instance (their
 * waiting threads throw {@link IllegalStateException}), then unmaps the segment; it never removes
 * the name. The layout is {@link BroadcastDescriptor}, mirrored for C in
 * {@code native/include/pipc_broadcast.h}.
 */
public final class Broadcast implements AutoCloseable {

    private static final String WHAT = "broadcast";

    private final IpcSegment segment;
    private final BroadcastMemory memory;
    private final List<AutoCloseable> endpoints = new ArrayList<>();
    private volatile boolean closed;

    private Broadcast(IpcSegment segment) {
        this.segment = segment;
        this.memory = new BroadcastMemory(segment.name(), segment.body());
    }

    private static Broadcast wrap(IpcSegment segment, boolean unlinkOnFailure) {
        try {
            return new Broadcast(segment);
        } catch (RuntimeException | Error e) {
            segment.close();
            if (unlinkOnFailure) {
                segment.unlink();
            }
            throw e;
        }
    }

    /**
     * Creates the broadcast {@code name} with {@code options}.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     * @throws org.panamaipc.InvalidNameException if the name breaks the POSIX rules
     * @throws NullPointerException if {@code name} or {@code options} is null
     */
    public static Broadcast create(String name, BroadcastOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        IpcSegment segment = IpcSegment.create(name, SegmentKind.BROADCAST, BroadcastMemory.bodySize(options),
                options.mode(), body -> BroadcastMemory.initialize(body, options));
        return wrap(segment, true);
    }

    /**
     * Opens the existing broadcast {@code name}, waiting briefly for a creator that has not
     * finished.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     * @throws org.panamaipc.shm.InvalidSegmentException if it is not a valid broadcast: every field
     *         of its configuration and its tail are checked
     * @throws NullPointerException if {@code name} is null
     */
    public static Broadcast open(String name) {
        Objects.requireNonNull(name, "name");
        return wrap(IpcSegment.open(name, SegmentKind.BROADCAST, BroadcastDescriptor.SUBSCRIBERS_OFFSET), false);
    }

    /**
     * Opens {@code name} if it exists (keeping its own options), or else creates it with
     * {@code options}; {@link #created()} says which. Race-free: of any number of processes racing,
     * exactly one creates.
     *
     * @throws NullPointerException if {@code name} or {@code options} is null
     */
    public static Broadcast openOrCreate(String name, BroadcastOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        IpcSegment segment = IpcSegment.openOrCreate(name, SegmentKind.BROADCAST, BroadcastMemory.bodySize(options),
                options.mode(), body -> BroadcastMemory.initialize(body, options), BroadcastDescriptor.SUBSCRIBERS_OFFSET);
        return wrap(segment, segment.created());
    }

    /**
     * Removes the name {@code name}; processes that have the broadcast open keep it until they close.
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
     * Removes this broadcast's name; attached publishers and subscribers keep working.
     *
     * @throws org.panamaipc.NotFoundException if the name was removed already
     */
    public void unlink() {
        unlink(segment.name());
    }

    /** {@return whether the call that returned this instance created the broadcast} */
    public boolean created() {
        return segment.created();
    }

    /**
     * Attaches this process as the publisher.
     *
     * @throws IllegalStateException if another live publisher is attached (a dead one is replaced,
     *         and the sequence numbers continue), or this instance is closed
     * @throws org.panamaipc.IpcTimeoutException if a live process has held the registration lock for 10 s
     *         (a stuck peer, or a damaged lock word), naming that process
     */
    public Publisher publisher() {
        synchronized (endpoints) {
            ensureOpen();
            Publisher publisher = new Publisher(this, memory);
            endpoints.add(publisher);
            return publisher;
        }
    }

    /**
     * Joins as a subscriber: it receives every message sent from now on.
     *
     * @throws IllegalStateException if every subscriber slot is taken by a live process, or this
     *         instance is closed
     * @throws org.panamaipc.IpcTimeoutException if a live process has held the registration lock for 10 s
     *         (a stuck peer, or a damaged lock word), naming that process
     */
    public Subscriber subscribe() {
        synchronized (endpoints) {
            ensureOpen();
            Subscriber subscriber = new Subscriber(this, memory);
            endpoints.add(subscriber);
            return subscriber;
        }
    }

    /** {@return the shared memory, for the tests of this package} */
    BroadcastMemory memory() {
        return memory;
    }

    void forget(AutoCloseable endpoint) {
        synchronized (endpoints) {
            endpoints.remove(endpoint);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("broadcast " + segment.name() + " is closed");
        }
    }

    /** {@return the broadcast's name} */
    public String name() {
        return segment.name();
    }

    /** {@return what a slow subscriber does to the publisher} */
    public SlowSubscriberPolicy policy() {
        return memory.policy;
    }

    /** {@return how many messages the ring holds} */
    public long capacity() {
        return memory.capacity;
    }

    /** {@return the longest payload the broadcast takes} */
    public int maxMessageLength() {
        return memory.maxMessageLength;
    }

    /** {@return how many subscribers may be joined at once} */
    public int subscriberSlots() {
        return memory.slots;
    }

    /**
     * {@return how many messages have been sent since the broadcast was created}
     *
     * @throws IllegalStateException naming the broadcast if this instance is closed
     */
    public long published() {
        ensureOpen();
        return memory.tailVolatile() - 1;
    }

    /**
     * {@return how many subscribers are joined and alive now} Reads /proc for each joined one.
     *
     * @throws IllegalStateException naming the broadcast if this instance is closed
     */
    public int subscribers() {
        ensureOpen();
        return memory.liveSubscribers();
    }

    /**
     * {@return the messages received by subscribers that have left (closed, or retired dead)}
     *
     * @throws IllegalStateException naming the broadcast if this instance is closed
     */
    public long retiredReceived() {
        ensureOpen();
        return memory.retiredReceived();
    }

    /**
     * {@return the messages lost by subscribers that have left}
     *
     * @throws IllegalStateException naming the broadcast if this instance is closed
     */
    public long retiredLost() {
        ensureOpen();
        return memory.retiredLost();
    }

    /**
     * Closes the publisher and the subscribers attached through this instance (threads waiting in
     * them wake and throw {@link IllegalStateException}), then unmaps the broadcast. Never removes
     * the name. Calling it again does nothing.
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
                throw new IllegalStateException("closing " + endpoint + " of broadcast " + segment.name(), e);
            }
        }
        segment.close();
    }

    @Override
    public String toString() {
        return "Broadcast[" + segment.name() + ", " + memory.policy + ", capacity=" + memory.capacity
                + ", maxMessageLength=" + memory.maxMessageLength + "]";
    }
}
