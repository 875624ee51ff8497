package org.panamaipc.message;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.NotFoundException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A port: a {@link Mailbox} owned by its receiving process. The process that creates it is its
 * owner and only receiver; any number of others open it and send. The port goes with its owner:
 * closing it removes the name, and when the owner's process dies a send fails at once, and the
 * next {@link #create} of the name takes it over.
 *
 * {@snippet lang=java :
 * // the owner: a print server
 * try (Port<Job> printer = Port.create("/printer", MailboxOptions.ring(), JOBS)) {
 *     while (running) {
 *         Job job = printer.receive(Duration.ofSeconds(1));
 *         if (job != null) print(job);
 *     }
 * }                                                       // the port is removed
 * // a client
 * try (Port<Job> printer = Port.open("/printer", JOBS)) {
 *     printer.send(new Job(1, "a.pdf"));                  // PortGoneException if the server has gone
 * }
 * }
 *
 * <h2>When the owner has gone</h2>
 * The owner's process holds a robust lock in the port's control segment from a thread of its own
 * ({@link MailboxDescriptor}); the kernel marks it when that process dies, {@code SIGKILL}
 * included. Every send of a client reads that mark first (one load from shared memory, no system
 * call), so a send to a port whose owner has closed it or died fails at once: the blocking send
 * throws {@link PortGoneException}, naming the port and the owner's pid, and the try and timed
 * forms return {@link #CLOSED}. A send waiting for room looks again every 10 ms. Messages sent
 * before the owner went and not received are lost with the port. {@link #open} refuses a port
 * whose owner has gone with the same exception.
 *
 * <p>{@link #create} on the name of a port whose owner has gone removes that port and creates a
 * new one (exactly one of several racing creators does: the one that marks the old port
 * {@link MailboxDescriptor#OWNER_RECLAIMED} first); on the name of a port whose owner lives it
 * throws {@link AlreadyExistsException} naming the owner's pid. A reused pid never makes a dead
 * owner look alive: the kernel's mark does not depend on pids, and a port its owner closed but
 * did not get to remove is judged by pid and start time ({@link ProcessId}).
 *
 * <h2>Everything else</h2>
 * A port is a mailbox in every other respect: the same three forms of every send and receive,
 * the same {@link Header}, the same transports ({@link MailboxOptions#ring()}: an MPSC ring;
 * {@link MailboxOptions#queue()}: a message queue with priorities), the same lifecycle verbs.
 * {@link #openOrCreate} makes this process the owner if the port is free, and a client
 * otherwise; {@link #isOwner()} says which. Only the owner receives: a receive of a client is an
 * {@link IllegalStateException}.
 *
 * @param <T> the type of the values
 */
public final class Port<T> extends AbstractMailbox<T> {

    private static final Duration SLICE = Duration.ofMillis(10);
    private static final long SLICE_NANOS = SLICE.toNanos();
    private static final int CREATE_ATTEMPTS = 9;

    private final boolean owner;

    private Port(MailboxControl control, Link<T> link, boolean owner) {
        super(control, link);
        this.owner = owner;
    }

    /**
     * Creates the port {@code name}, owned by this process, as {@code options} say. A port of that
     * name whose owner has gone is removed first.
     *
     * @throws AlreadyExistsException if a port of that name has a live owner (the message names
     *         its pid), or a mailbox has the name
     * @throws org.panamaipc.InvalidNameException if the name breaks the rules of {@link Mailbox}
     */
    public static <T> Port<T> create(String name, MailboxOptions options, Codec<T> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Values<T> values = new Values<>(codec);
        MailboxControl.checkName(name);
        for (int attempt = 1; ; attempt++) {
            try {
                MailboxControl.Created<T> made = MailboxControl.create(name, options, values, true);
                Port<T> port = new Port<>(made.control(), made.link(), true);
                try {
                    made.link().attachReceiver();
                } catch (RuntimeException | Error e) {
                    port.close();
                    throw e;
                }
                return port;
            } catch (AlreadyExistsException exists) {
                PortReclaimer.Finding found = PortReclaimer.examine(name, attempt == CREATE_ATTEMPTS);
                if (found.live()) {
                    throw new AlreadyExistsException("create port", name, found.ownerPid() > 0
                            ? "it is owned by process " + found.ownerPid() + ", which is alive"
                            : "its creator, alive, has not finished creating it",
                            errno_h.EEXIST(), Errno.name(errno_h.EEXIST()), Errno.text(errno_h.EEXIST()));
                }
                if (attempt >= CREATE_ATTEMPTS) {
                    throw exists;
                }
                LockSupport.parkNanos(1_000_000L << (attempt - 1)); // someone else is removing it: 1, 2, 4, ... ms
            }
        }
    }

    /**
     * Opens the port {@code name} to send to it; this handle waits on a ring with
     * {@link WaitStrategy#blocking()}.
     *
     * @throws NotFoundException if it does not exist
     * @throws PortGoneException if its owner has gone
     * @throws IllegalArgumentException if {@code name} is a mailbox, not a port
     */
    public static <T> Port<T> open(String name, Codec<T> codec) {
        return open(name, codec, WaitStrategy.blocking());
    }

    /** Opens as {@link #open(String, Codec)} does; this handle waits on a ring with {@code strategy}. */
    public static <T> Port<T> open(String name, Codec<T> codec, WaitStrategy strategy) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(strategy, "strategy");
        Values<T> values = new Values<>(codec);
        MailboxControl.Created<T> made = MailboxControl.open(name, values, strategy);
        Port<T> port = new Port<>(made.control(), made.link(), false);
        if (!made.control().port) {
            port.close();
            throw new IllegalArgumentException("name=" + name + " is a mailbox, not a port: open it with Mailbox.open");
        }
        if (!made.control().ownerPresent()) {
            PortGoneException gone = port.gone("open port");
            port.close();
            throw gone;
        }
        return port;
    }

    /**
     * Creates the port as {@link #create} does if it is free (no port, or one whose owner has
     * gone), making this process its owner, or else opens it as {@link #open(String, Codec)} does,
     * as a client. {@link #created()} and {@link #isOwner()} tell which.
     */
    public static <T> Port<T> openOrCreate(String name, MailboxOptions options, Codec<T> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(codec, "codec");
        for (int attempt = 1; ; attempt++) {
            try {
                return create(name, options, codec);
            } catch (AlreadyExistsException held) {
                try {
                    return open(name, codec, options.waitStrategy());
                } catch (NotFoundException | PortGoneException goneMeanwhile) {
                    if (attempt >= CREATE_ATTEMPTS) {
                        throw goneMeanwhile;
                    }
                }
            }
        }
    }

    /**
     * Removes the port {@code name} and its transport's, whoever owns it; open handles keep
     * working. An owner removes its port by closing it.
     *
     * @throws NotFoundException if it does not exist
     */
    public static void unlink(String name) {
        MailboxControl.unlink(name, MailboxControl.PORT);
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return MailboxControl.unlinkIfExists(name, MailboxControl.PORT);
    }

    /** {@return whether a port (or mailbox) named {@code name} exists now} */
    public static boolean exists(String name) {
        return MailboxControl.exists(name, MailboxControl.PORT);
    }

    /** {@return whether this process owns the port (created it), and so receives from it} */
    public boolean isOwner() {
        return owner;
    }

    /**
     * {@return the owner's process}
     *
     * @throws IllegalStateException if this port is closed
     */
    public ProcessId owner() {
        ensureOpen();
        return new ProcessId(control.ownerPid(), control.ownerStartTime());
    }

    /**
     * {@return whether the owner holds the port now} One load from shared memory: false once the
     * owner has closed it or its process has died.
     *
     * @throws IllegalStateException if this port is closed
     */
    public boolean ownerPresent() {
        ensureOpen();
        return control.ownerPresent();
    }

    @Override
    String what() {
        return MailboxControl.PORT;
    }

    @Override
    long beforeSend() {
        return owner || control.ownerPresent() ? 0 : CLOSED;
    }

    @Override
    org.panamaipc.PeerGoneException gone() {
        return gone("send to port");
    }

    private PortGoneException gone(String action) {
        int word = control.ownerWord();
        boolean closedByOwner = control.ownerState() == MailboxDescriptor.OWNER_CLOSED
                && (word & MailboxDescriptor.FUTEX_OWNER_DIED) == 0;
        return new PortGoneException(action, name(), control.ownerPid(), closedByOwner);
    }

    /** Waits for room in slices, looking at the owner between them: a port never waits for a dead owner. */
    @Override
    long sendWaiting(T value, int priority, Duration timeout) throws InterruptedException {
        if (owner) {
            return link.send(value, priority, timeout);
        }
        long sent = link.send(value, priority, Link.TRY);
        if (sent != FULL) {
            return sent;
        }
        long timeoutNanos = Timeouts.toNanos(timeout);
        long start = System.nanoTime();
        while (true) {
            if (!control.ownerPresent()) {
                return CLOSED;
            }
            long remaining = timeoutNanos == Timeouts.FOREVER ? Long.MAX_VALUE : timeoutNanos - (System.nanoTime() - start);
            if (remaining <= 0) {
                return FULL;
            }
            sent = link.send(value, priority, remaining >= SLICE_NANOS ? SLICE : Duration.ofNanos(remaining));
            if (sent != FULL) {
                return sent;
            }
        }
    }

    @Override
    void beforeReceive() {
        if (!owner) {
            throw new IllegalStateException("port " + name() + " is owned by process " + control.ownerPid()
                    + ": only its owner receives from it");
        }
    }

    /** Removes the port's names, as {@link #unlink(String)}; this handle keeps working. */
    @Override
    public void unlink() {
        unlink(name());
    }

    /**
     * Releases this handle. The owner's close also gives the port up: senders fail from then on,
     * and the name and its transport's are removed (if they still name this port). Idempotent.
     */
    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        if (owner) {
            try {
                control.release();
                if (stillNamed()) {
                    MailboxControl.unlinkTransports(name());
                    MailboxControl.unlinkIfExists(name(), MailboxControl.PORT);
                }
            } finally {
                super.close();
            }
        } else {
            super.close();
        }
    }

    /** {@return whether the name still leads to this port, not to one made after it was removed} */
    private boolean stillNamed() {
        try (IpcSegment named = IpcSegment.open(name(), SegmentKind.MAILBOX, MailboxDescriptor.SIZE, Duration.ZERO)) {
            return named.creator().equals(control.segment.creator())
                    && named.creationTimeMillis() == control.segment.creationTimeMillis();
        } catch (RuntimeException gone) {
            return false;
        }
    }
}
