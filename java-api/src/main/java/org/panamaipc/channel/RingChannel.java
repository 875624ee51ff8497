package org.panamaipc.channel;

import org.panamaipc.internal.Namespace;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A ring channel: a bounded buffer of variable-size messages in shared memory, between any number
 * of processes. Its {@link ChannelType} says how many senders and receivers may be attached at
 * once; every message is taken by exactly one receiver.
 *
 * {@snippet lang=java :
 * // process A: create the channel and send
 * try (RingChannel channel = RingChannel.create("/quotes", ChannelOptions.of(ChannelType.SPSC));
 *      Sender sender = channel.sender(WaitStrategy.blocking())) {
 *     sender.send(QUOTE, "EURUSD 1.0842".getBytes(StandardCharsets.US_ASCII));
 * }
 * // process B: open it and receive
 * try (RingChannel channel = RingChannel.open("/quotes");
 *      Receiver receiver = channel.receiver(WaitStrategy.blocking())) {
 *     byte[] quote = receiver.receiveBytes(Duration.ofSeconds(5));
 * }
 * }
 *
 * <p><b>Lifecycle.</b> A named channel follows the lifecycle of every named object
 * (docs/conventions.md): {@link #create}, {@link #open}, {@link #openOrCreate} (race-free;
 * {@link #created()} says which happened), the static {@link #unlink(String)},
 * {@link #unlinkIfExists} and {@link #exists}, and the mode in {@link ChannelOptions#mode()}
 * ({@code 0600} unless said otherwise, applied exactly). The name stays until unlinked, whoever
 * created it. A channel may also live in memory without a name ({@link #anonymous}), handed to
 * another process as a descriptor over a Unix-domain socket
 * ({@link org.panamaipc.socket.DescriptorSocket}) and opened there with {@link #open(SharedMemory)}.
 *
 * <p><b>Closing.</b> {@link #close()} closes every endpoint this object attached that is still
 * open (so the other side counts them as gone at once), waking threads waiting in them, which throw
 * {@link IllegalStateException} naming the channel; then it unmaps the memory, once. A second
 * {@code close()} does nothing, and closing never unlinks. An endpoint may be closed on its own
 * before.
 *
 * <p>Endpoints register in the channel's endpoint table with their process identity
 * ({@link #endpoints()}), so a receiver can pass over a record whose sender died half-way, and a
 * sender blocked on a full ring learns when every receiver has gone (see {@link Sender},
 * {@link Receiver}). The layout is {@link ChannelDescriptor} and {@link RecordDescriptor},
 * mirrored for C in {@code native/include/pipc_ring.h}.
 */
public final class RingChannel implements AutoCloseable {

    /**
     * The seals of the memory {@link #anonymous} creates, and that {@link #open(SharedMemory)}
     * requires of memory without a name: its size cannot change, so a mapping of it never ends
     * short (a process that could shrink it could make every reader fault).
     */
    public static final Set<Seal> SEALS = Set.of(Seal.SHRINK, Seal.GROW);

    private static final String WHAT = "channel";

    private final IpcSegment segment;
    private final ChannelMemory memory;
    private final List<Endpoint> attached = new ArrayList<>();
    private boolean closed;

    private RingChannel(IpcSegment segment) {
        this.segment = segment;
        try {
            this.memory = new ChannelMemory(segment.name(), segment.body());
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    /**
     * Creates the channel {@code name} with {@code options}.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     * @throws org.panamaipc.InvalidNameException if the name breaks the POSIX rules
     * @throws NullPointerException if {@code name} or {@code options} is null
     */
    public static RingChannel create(String name, ChannelOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        IpcSegment segment = IpcSegment.create(name, SegmentKind.CHANNEL, ChannelMemory.bodySize(options),
                options.mode(), body -> ChannelMemory.initialize(body, options));
        try {
            return new RingChannel(segment);
        } catch (RuntimeException e) {
            IpcSegment.unlinkIfExists(name);
            throw e;
        }
    }

    /**
     * Opens the existing channel {@code name}, waiting briefly for a creator that has not finished.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     * @throws InvalidSegmentException if it is not a valid channel: every field of its
     *         configuration (capacity, records offset, max message length, type, endpoint slots)
     *         and its head and tail are checked ({@link ChannelDescriptor#check})
     * @throws NullPointerException if {@code name} is null
     */
    public static RingChannel open(String name) {
        Objects.requireNonNull(name, "name");
        return new RingChannel(IpcSegment.open(name, SegmentKind.CHANNEL, ChannelDescriptor.ENDPOINTS_OFFSET));
    }

    /**
     * Opens the channel {@code name} if it exists, or else creates it with {@code options};
     * {@link #created()} says which happened. Race-free: of any number of processes calling it at
     * once, exactly one creates. An existing channel keeps its own options.
     *
     * @throws InvalidSegmentException if an existing object of that name is not a valid channel
     * @throws NullPointerException if {@code name} or {@code options} is null
     */
    public static RingChannel openOrCreate(String name, ChannelOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        return new RingChannel(IpcSegment.openOrCreate(name, SegmentKind.CHANNEL, ChannelMemory.bodySize(options),
                options.mode(), body -> ChannelMemory.initialize(body, options), ChannelDescriptor.ENDPOINTS_OFFSET));
    }

    /**
     * Removes the name {@code name}: "Unable to unlink channel /quotes since it does not exist".
     * Processes that have the channel open keep using it.
     *
     * @throws org.panamaipc.NotFoundException if no object of that name exists
     */
    public static void unlink(String name) {
        Namespace.SHARED_MEMORY.unlink(Objects.requireNonNull(name, "name"), WHAT);
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return Namespace.SHARED_MEMORY.unlinkIfExists(Objects.requireNonNull(name, "name"), WHAT);
    }

    /** {@return whether a shared-memory object named {@code name} exists now} Whatever it holds. */
    public static boolean exists(String name) {
        return Namespace.SHARED_MEMORY.exists(Objects.requireNonNull(name, "name"), WHAT);
    }

    /**
     * {@return the bytes of shared memory a channel with {@code options} takes, header included}
     * The size of memory to pass to {@link #create(SharedMemory, ChannelOptions)}.
     */
    public static long requiredSize(ChannelOptions options) {
        Objects.requireNonNull(options, "options");
        return SegmentHeaderDescriptor.HEADER_SIZE + ChannelMemory.bodySize(options);
    }

    /**
     * Creates a channel with {@code options} in new shared memory without a name
     * ({@link SharedMemory#anonymous}), sealed with {@link #SEALS}. Nothing can open it by name and
     * nothing is left behind: it goes with the last process that holds it. Hand
     * {@link #memory()} to another process over a Unix-domain socket, which opens the channel with
     * {@link #open(SharedMemory)}. {@link #name()} is the memory's, {@code memfd:pipc-anonymous};
     * {@link #unlink()} throws. The mode in {@code options} does not apply.
     *
     * @throws NullPointerException if {@code options} is null
     */
    public static RingChannel anonymous(ChannelOptions options) {
        Objects.requireNonNull(options, "options");
        return create(SharedMemory.anonymous(requiredSize(options), SEALS), options);
    }

    /**
     * Lays out a channel with {@code options} in {@code memory}, which must be exactly
     * {@link #requiredSize(ChannelOptions)} bytes and is overwritten whole. The channel takes the
     * memory over: closing the channel closes it, and so does a failure here.
     *
     * @throws IllegalArgumentException if the memory's size is not {@code requiredSize(options)}
     * @throws NullPointerException if an argument is null
     */
    public static RingChannel create(SharedMemory memory, ChannelOptions options) {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(options, "options");
        long required = requiredSize(options);
        long size;
        try {
            size = memory.size();
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
        if (size != required) {
            memory.close();
            throw new IllegalArgumentException("memory of size=" + size + " bytes; a channel with " + options
                    + " takes exactly " + required + " (requiredSize)");
        }
        return new RingChannel(IpcSegment.layOut(memory, SegmentKind.CHANNEL, body -> ChannelMemory.initialize(body, options)));
    }

    /**
     * Opens the channel in {@code memory}, received from another process (see {@link #anonymous}),
     * checked exactly as {@link #open(String)} checks a named one; memory without a name must
     * carry the seals {@link #SEALS}. The channel takes the memory over: closing the channel closes
     * it, and so does a failure here.
     *
     * @throws InvalidSegmentException if it is not a valid channel, or anonymous memory lacks a seal
     * @throws NullPointerException if {@code memory} is null
     */
    public static RingChannel open(SharedMemory memory) {
        Objects.requireNonNull(memory, "memory");
        if (memory.isAnonymous()) {
            Set<Seal> seals;
            try {
                seals = memory.seals();
            } catch (RuntimeException e) {
                memory.close();
                throw e;
            }
            if (!seals.containsAll(SEALS)) {
                memory.close();
                throw new InvalidSegmentException(memory.name(), InvalidSegmentException.Reason.CORRUPT,
                        "its seals " + seals + " lack some of " + SEALS + ": its size could change under this process");
            }
        }
        return new RingChannel(IpcSegment.open(memory, SegmentKind.CHANNEL, ChannelDescriptor.ENDPOINTS_OFFSET));
    }

    /**
     * Attaches a sender that waits with {@code strategy}: on SPSC the channel's only sender, on
     * MPSC and MPMC one of many.
     *
     * @throws IllegalStateException if the channel is closed, or SPSC and another live sender is
     *         attached, or every endpoint slot is taken by live processes
     * @throws org.panamaipc.IpcTimeoutException if another live process holds the channel's
     *         registration lock for 10 s (a peer stuck while attaching, or a corrupt lock word);
     *         the message names that process
     * @throws org.panamaipc.IpcInterruptedException if the thread is interrupted while waiting for that lock
     * @throws NullPointerException if {@code strategy} is null
     */
    public Sender sender(WaitStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        ensureOpen();
        SenderEndpoint sender = memory.type.manySenders()
                ? new ConcurrentSender(memory, strategy, this) : new SoleSender(memory, strategy, this);
        return attach(sender);
    }

    /** Attaches a sender that waits with {@link WaitStrategy#blocking()}. */
    public Sender sender() {
        return sender(WaitStrategy.blocking());
    }

    /**
     * Attaches a receiver that waits with {@code strategy} and is told when the senders have gone
     * ({@link Receiver#CLOSED}).
     *
     * @throws IllegalStateException if the channel is closed, or SPSC or MPSC and another live
     *         receiver is attached, or every endpoint slot is taken by live processes
     * @throws org.panamaipc.IpcTimeoutException as {@link #sender(WaitStrategy)}
     * @throws org.panamaipc.IpcInterruptedException as {@link #sender(WaitStrategy)}
     * @throws NullPointerException if {@code strategy} is null
     */
    public Receiver receiver(WaitStrategy strategy) {
        return receiver(strategy, true);
    }

    /**
     * Attaches a receiver that waits with {@code strategy}.
     *
     * @param closeWhenSendersGone true (the default of the other forms): receives report
     *        {@link Receiver#CLOSED} once every sender has gone and nothing is left. False: they
     *        never do, and a receive waits through the absence of senders for the next one, as a
     *        long-lived server that senders come to and leave does (a blocking receive then waits
     *        until a message comes, however long no sender is attached)
     * @throws IllegalStateException as {@link #receiver(WaitStrategy)}
     * @throws org.panamaipc.IpcTimeoutException as {@link #sender(WaitStrategy)}
     * @throws NullPointerException if {@code strategy} is null
     */
    public Receiver receiver(WaitStrategy strategy, boolean closeWhenSendersGone) {
        Objects.requireNonNull(strategy, "strategy");
        ensureOpen();
        ReceiverEndpoint receiver = memory.type.manyReceivers()
                ? new ConcurrentReceiver(memory, strategy, closeWhenSendersGone, this)
                : new SoleReceiver(memory, strategy, closeWhenSendersGone, this);
        return attach(receiver);
    }

    /** Attaches a receiver that waits with {@link WaitStrategy#blocking()} and is told when the senders have gone. */
    public Receiver receiver() {
        return receiver(WaitStrategy.blocking(), true);
    }

    private <E extends Endpoint> E attach(E endpoint) {
        synchronized (attached) {
            if (!closed) {
                attached.add(endpoint);
                return endpoint;
            }
        }
        endpoint.close(); // closed while it registered
        throw closedException();
    }

    /** Called by an endpoint of this channel once it has closed. */
    void detached(Endpoint endpoint) {
        synchronized (attached) {
            attached.remove(endpoint);
        }
    }

    private void ensureOpen() {
        synchronized (attached) {
            if (closed) {
                throw closedException();
            }
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException(WHAT + " " + name() + " is closed");
    }

    /** {@return the channel's name; for memory without a name, the memory's label} */
    public String name() {
        return segment.name();
    }

    /** {@return how many senders and receivers the channel admits} */
    public ChannelType type() {
        return memory.type;
    }

    /** {@return the ring's capacity in bytes} */
    public long capacity() {
        return memory.capacity;
    }

    /** {@return the longest payload the channel accepts} */
    public int maxMessageLength() {
        return memory.maxMessageLength;
    }

    /** {@return whether the call that returned this channel created it (rather than opening it)} */
    public boolean created() {
        return segment.created();
    }

    /**
     * {@return the shared memory the channel lives in} To hand a channel without a name to another
     * process ({@code Attachments.of(channel.memory())}); closing the channel closes it.
     */
    public SharedMemory memory() {
        return segment.memory();
    }

    /**
     * {@return the channel's counters, summed over all endpoints} Receivers count what they take;
     * what was sent is that plus the messages still in the ring, which this call counts by walking
     * the records from the head (so it takes time in proportion to what is queued: tens of
     * microseconds for a full 1 MiB ring of small messages).
     *
     * @throws IllegalStateException naming the channel if it is closed
     */
    public ChannelStats stats() {
        ensureOpen();
        return memory.stats();
    }

    /**
     * {@return the endpoints attached now, of every process, in slot order: an immutable
     * snapshot} Each says its role, its process and whether that is alive (a /proc read per
     * endpoint), whether it may sleep or sleeps now, and its counters.
     *
     * @throws IllegalStateException naming the channel if it is closed
     */
    public List<EndpointInfo> endpoints() {
        ensureOpen();
        return memory.endpoints.snapshot();
    }

    /**
     * Removes the channel's name; attached endpoints keep working.
     *
     * @throws org.panamaipc.NotFoundException if the name was removed already
     * @throws IllegalStateException if the channel lives in memory without a name
     */
    public void unlink() {
        if (segment.memory().isAnonymous()) {
            throw new IllegalStateException(WHAT + " " + name() + " lives in memory without a name: it has none to unlink");
        }
        unlink(name());
    }

    /**
     * Closes the endpoints this object attached that are still open, then unmaps the channel. A
     * thread waiting in one of them wakes and throws {@link IllegalStateException} naming the
     * channel; this call returns once they have left and the memory is unmapped. The name stays.
     * Calling it again does nothing.
     *
     * @throws IllegalStateException if called from inside a handler of one of its receivers
     */
    @Override
    public void close() {
        List<Endpoint> endpoints;
        synchronized (attached) {
            for (Endpoint endpoint : attached) {
                endpoint.checkNotHandling();
            }
            if (closed) {
                return;
            }
            closed = true;
            endpoints = List.copyOf(attached);
        }
        String message = WHAT + " " + name() + " is closed";
        try {
            for (Endpoint endpoint : endpoints) {
                endpoint.close(message);
            }
        } finally {
            segment.close();
        }
    }

    @Override
    public String toString() {
        return "RingChannel[" + segment.name() + ", " + memory.type + ", capacity=" + memory.capacity + "]";
    }
}
