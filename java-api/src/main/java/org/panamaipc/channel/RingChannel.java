package org.panamaipc.channel;

import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.util.Objects;

/**
 * A ring channel: a bounded buffer of variable-size messages in a named shared-memory segment,
 * between any number of processes. Its {@link ChannelType} says how many senders and receivers may
 * be attached at once; every message is taken by exactly one receiver.
 *
 * {@snippet lang=java :
 * // process A: create the channel and send
 * try (RingChannel channel = RingChannel.create("/quotes", ChannelOptions.of(ChannelType.SPSC));
 *      Sender sender = channel.sender(WaitStrategy.blocking())) {
 *     sender.send(QUOTE, "EURUSD 1.0842".getBytes(StandardCharsets.US_ASCII));
 * }
 * // process B: open it and receive
 * try (RingChannel channel = RingChannel.open("/quotes");
 *      Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
 *     byte[] quote = receiver.receiveBytes(Duration.ofSeconds(5));
 * }
 * }
 *
 * <p>The segment stays until unlinked ({@link #unlink()}), whoever created it; closing a channel
 * only unmaps it. Endpoints register in the segment with their process identity, so a receiver can
 * pass over a record whose sender died half-way, and a sender blocked on a full ring learns when
 * every receiver has gone (see {@link Sender}, {@link Receiver}). The layout is
 * {@link ChannelDescriptor} and {@link RecordDescriptor}, mirrored for C in
 * {@code native/include/pipc_ring.h}.
 */
public final class RingChannel implements AutoCloseable {

    private final IpcSegment segment;
    private final ChannelMemory memory;

    private RingChannel(IpcSegment segment) {
        this.segment = segment;
        this.memory = new ChannelMemory(segment.name(), segment.body());
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
            segment.close();
            segment.unlink();
            throw e;
        }
    }

    /**
     * Opens the existing channel {@code name}.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     * @throws org.panamaipc.shm.InvalidSegmentException if it is not a valid channel: every field of
     *         its configuration (capacity, records offset, max message length, type, endpoint slots)
     *         and its head and tail are checked
     * @throws NullPointerException if {@code name} is null
     */
    public static RingChannel open(String name) {
        Objects.requireNonNull(name, "name");
        IpcSegment segment = IpcSegment.open(name, SegmentKind.CHANNEL, ChannelDescriptor.ENDPOINTS_OFFSET);
        try {
            return new RingChannel(segment);
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    /**
     * Attaches a sender that waits with {@code strategy}.
     *
     * @throws IllegalStateException if the channel is SPSC and another live sender is attached, or
     *         every endpoint slot is taken by live processes
     * @throws NullPointerException if {@code strategy} is null
     */
    public Sender sender(WaitStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        return new RingSender(memory, strategy);
    }

    /** Attaches a sender that waits with {@link WaitStrategy#blocking()}. */
    public Sender sender() {
        return sender(WaitStrategy.blocking());
    }

    /**
     * Attaches a receiver that waits with {@code strategy}.
     *
     * @param closeWhenSendersGone if true, receives on an empty channel return {@link Receiver#CLOSED}
     *        once its senders have gone (closed or died; see {@link Receiver})
     * @throws IllegalStateException if the channel is SPSC or MPSC and another live receiver is
     *         attached, or every endpoint slot is taken by live processes
     * @throws NullPointerException if {@code strategy} is null
     */
    public Receiver receiver(WaitStrategy strategy, boolean closeWhenSendersGone) {
        Objects.requireNonNull(strategy, "strategy");
        return new RingReceiver(memory, strategy, closeWhenSendersGone);
    }

    /** Attaches a receiver that waits with {@link WaitStrategy#blocking()} and is never told senders have gone. */
    public Receiver receiver() {
        return receiver(WaitStrategy.blocking(), false);
    }

    /** {@return the channel's name} */
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

    /**
     * {@return the channel's counters, summed over all endpoints} Receivers count what they take;
     * what was sent is that plus the messages still in the ring, which this call counts by walking
     * the records from the head (so it takes time in proportion to what is queued, microseconds for
     * tens of microseconds for a full 1 MiB ring of small messages).
     */
    public ChannelStats stats() {
        return memory.stats();
    }

    /** Removes the channel's name; attached endpoints keep working. */
    public void unlink() {
        segment.unlink();
    }

    /** Unmaps the channel. Close its senders and receivers first. */
    @Override
    public void close() {
        segment.close();
    }

    @Override
    public String toString() {
        return "RingChannel[" + segment.name() + ", " + memory.type + ", capacity=" + memory.capacity + "]";
    }
}
