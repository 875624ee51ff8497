package org.panamaipc.message;

import org.panamaipc.Outcome;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;

import java.time.Duration;

/**
 * A mailbox: a named link that any process may open, send to and receive from (indirect
 * communication: senders address the mailbox, not a process). Many senders, one or many
 * receivers; each message is taken by exactly one receiver, and the messages of one sender
 * arrive in the order sent. Values of type {@code T} go through a {@link Codec}: a record is
 * encoded straight into the transport and can be read in place, so a steady stream allocates
 * nothing on either side.
 *
 * {@snippet lang=java :
 * record Job(long id, @MaxLength(64) String file) {}
 * static final RecordCodec<Job> JOBS = Codec.ofRecord(Job.class);
 *
 * // anywhere: the first to come creates it
 * try (Mailbox<Job> jobs = Mailbox.openOrCreate("/jobs", MailboxOptions.ring(), JOBS)) {
 *     jobs.send(new Job(1, "a.pdf"));
 * }
 * // any number of workers: each job goes to one of them
 * try (Mailbox<Job> jobs = Mailbox.open("/jobs", JOBS)) {
 *     Job job;
 *     while ((job = jobs.receive(Duration.ofSeconds(5))) != null) {
 *         print(job, jobs.lastHeader().sourcePid());
 *     }
 * }
 * }
 *
 * <h2>Transports</h2>
 * The {@link Transport} is chosen when the mailbox is created ({@link MailboxOptions#ring()} or
 * {@link MailboxOptions#queue()}) and recorded, so {@link #open} finds it: an MPMC ring in shared
 * memory (the default and the fastest, no system call while traffic flows; MPSC for a mailbox of
 * {@linkplain MailboxOptions#withSingleReceiver() one receiver at a time}) or a POSIX message
 * queue (priorities: the highest first). Both behave as this interface says, with these
 * differences: only a queue takes a priority other than 0; a ring's send returns {@link #CLOSED}
 * (and the blocking send throws {@link org.panamaipc.PeerGoneException}) when the ring is full and
 * every receiver that was attached has gone, while a queue, which the kernel holds for whoever
 * comes, never does.
 *
 * <h2>Three forms of every send and receive</h2>
 * <table class="striped">
 * <caption>Sends and receives</caption>
 * <thead><tr><th></th><th>returns at once</th><th>waits as long as it takes</th><th>waits at most a {@code Duration}</th></tr></thead>
 * <tbody>
 * <tr><td>send</td><td>{@link #trySend(Object)} → {@link #FULL}</td><td>{@link #send(Object)}</td><td>{@link #send(Object, Duration)} → {@link #FULL}</td></tr>
 * <tr><td>receive a value</td><td>{@link #tryReceive()} → {@code null}</td><td>{@link #receive()}</td><td>{@link #receive(Duration)} → {@code null}</td></tr>
 * <tr><td>receive in place</td><td>{@link #poll(RecordHandler, int)} → {@link #EMPTY}</td><td>{@link #receive(RecordHandler, int)}</td><td>{@link #receive(RecordHandler, int, Duration)} → {@link #EMPTY}</td></tr>
 * </tbody>
 * </table>
 * A send returns the message's sequence number ({@code >= 1}: 1, 2, 3, ... per sending handle) or
 * {@link #FULL} or {@link #CLOSED}; every send also comes with a priority. A receive of a value
 * decodes it (a new object); a receive in place hands the encoding to a {@link RecordHandler},
 * which reads fields through {@link org.panamaipc.codec.RecordField}s and allocates nothing; it
 * returns how many it handed over ({@code >= 1}) or {@link #EMPTY}, never 0, as a ring receiver's
 * handler forms do. A mailbox is a named link that senders come to and leave at any time, so its
 * receives are never told that the senders have gone (never {@code CLOSED}, never a
 * {@link org.panamaipc.PeerGoneException}), on either transport: they wait for the next sender as
 * a queue's receive and a ring receiver made with
 * {@link org.panamaipc.channel.RingChannel#receiver(WaitStrategy, boolean) receiver(strategy, false)}
 * do. To end a receiver, send it a value that says so, or use a timeout.
 * {@link #lastHeader()} describes the message last received: type, source endpoint and process,
 * length, sequence, priority and send time ({@link Header}). Timeouts follow the Duration rule (zero
 * or less does not wait, too long to count in nanoseconds waits as long as it takes); an interrupt
 * is an {@link InterruptedException}; {@code null} is a {@link NullPointerException} naming the
 * parameter.
 *
 * <h2>Errors</h2>
 * A value whose encoding is longer than {@link #maxMessageLength()} is refused with
 * {@link org.panamaipc.MessageTooLongException} (errno {@code EMSGSIZE}) and nothing is sent; if the
 * codec throws, nothing is sent either. A message the codec cannot read, or one some other writer
 * put in the transport without an envelope (in a mailbox without the envelope, one longer than
 * its longest value), is a {@link org.panamaipc.codec.MalformedMessageException} and has been
 * consumed. A name is a POSIX name with room for the transport's suffix
 * ({@code .ring}, {@code .queue}): at most {@link #MAX_NAME_BYTES} bytes after the {@code '/'}, or an
 * {@link org.panamaipc.InvalidNameException}.
 *
 * <h2>Lifecycle and threads</h2>
 * {@link #create}, {@link #open}, {@link #openOrCreate} (race-free; {@link #created()} says which
 * happened), {@link #unlink(String)}, {@link #unlinkIfExists}, {@link #exists} and {@link #unlink()},
 * as for every named object; {@code close()} releases this handle and never removes the name. A
 * mailbox is two objects: a control segment {@code NAME} (its {@link MailboxDescriptor}) and the
 * transport {@code NAME.ring} or {@code NAME.queue}; both get the mode. A handle attaches its
 * sending and receiving ends at their first use; it may be used by one thread sending and one
 * receiving at a time: open a handle per thread for more.
 *
 * @param <T> the type of the values
 * @see Port
 * @see org.panamaipc.endpoint.EndpointRegistry
 */
public sealed interface Mailbox<T> extends AutoCloseable permits AbstractMailbox {

    /** No room (now, or within the timeout): {@link Outcome#FULL}. */
    long FULL = Outcome.FULL;
    /** The other side has gone: {@link Outcome#CLOSED}. */
    long CLOSED = Outcome.CLOSED;
    /** Nothing to receive (now, or within the timeout): {@link Outcome#EMPTY}. */
    int EMPTY = Outcome.EMPTY;
    /**
     * The most bytes a mailbox or port name may have after its {@code '/'}: 249, Linux's
     * {@code NAME_MAX} (255) less the 6 of the suffix {@code .queue} its transport may need.
     */
    int MAX_NAME_BYTES = 249;

    /**
     * Creates the mailbox {@code name} as {@code options} say, for values of {@code codec}.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     * @throws org.panamaipc.InvalidNameException if the name breaks the rules above
     * @throws org.panamaipc.LimitReachedException if the kernel refuses the queue (its limits)
     * @throws IllegalArgumentException if a record type cannot be laid out (when the codec is
     *         made) or the sizes do not fit the transport
     */
    static <T> Mailbox<T> create(String name, MailboxOptions options, Codec<T> codec) {
        return SharedMailbox.create(name, options, codec);
    }

    /**
     * Opens the existing mailbox {@code name} for values of {@code codec}; a ring is waited on with
     * {@link WaitStrategy#blocking()}.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     * @throws org.panamaipc.shm.InvalidSegmentException if it is not a valid mailbox
     */
    static <T> Mailbox<T> open(String name, Codec<T> codec) {
        return SharedMailbox.open(name, codec, WaitStrategy.blocking());
    }

    /** Opens as {@link #open(String, Codec)} does; this handle waits on a ring with {@code strategy}. */
    static <T> Mailbox<T> open(String name, Codec<T> codec, WaitStrategy strategy) {
        return SharedMailbox.open(name, codec, strategy);
    }

    /**
     * Opens {@code name} if it exists, or else creates it as {@link #create} does; {@link #created()}
     * tells which. An existing mailbox keeps its own transport and sizes, and whether it has the
     * envelope ({@link #enveloped()}).
     */
    static <T> Mailbox<T> openOrCreate(String name, MailboxOptions options, Codec<T> codec) {
        return SharedMailbox.openOrCreate(name, options, codec);
    }

    /**
     * Removes the name {@code name} and its transport's; handles that are open keep working.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     */
    static void unlink(String name) {
        MailboxControl.unlink(name, MailboxControl.MAILBOX);
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    static boolean unlinkIfExists(String name) {
        return MailboxControl.unlinkIfExists(name, MailboxControl.MAILBOX);
    }

    /** {@return whether a mailbox (or port) named {@code name} exists now} */
    static boolean exists(String name) {
        return MailboxControl.exists(name, MailboxControl.MAILBOX);
    }

    /** {@return the name} */
    String name();

    /** {@return the codec of the values} */
    Codec<T> codec();

    /** {@return what holds the messages} */
    Transport transport();

    /** {@return how many values of the longest length it holds at least} */
    int capacity();

    /** {@return the longest value's encoding it accepts, in bytes} */
    int maxMessageLength();

    /**
     * {@return whether its messages carry the envelope (the sending pid, the send time, the reply
     * address): false for a mailbox created with {@link MailboxOptions#withoutEnvelope()}, whoever
     * opened it}
     */
    boolean enveloped();

    /** {@return whether this handle created the mailbox} */
    boolean created();

    /**
     * Attaches this handle's receiving end now, as its first receive would, without taking a
     * message; nothing if it is attached already. For a mailbox of one receiver at a time
     * ({@link MailboxOptions#withSingleReceiver()}) this holds it from now on, or says at once that
     * another handle does; for others it only moves the attachment's cost out of the first receive.
     *
     * @throws IllegalStateException if the mailbox takes one receiver and another handle holds it
     *         (naming that handle's process), if this handle is a port's client, or if it is closed
     */
    void attachReceiver();

    /**
     * Sends {@code value} if there is room now. {@return the sequence number, or {@link #FULL} or
     * {@link #CLOSED}}
     *
     * @throws org.panamaipc.MessageTooLongException if the encoding is longer than {@link #maxMessageLength()}
     */
    long trySend(T value);

    /**
     * Sends {@code value}, waiting for room as long as it takes. {@return the sequence number}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws org.panamaipc.PeerGoneException if the other side has gone
     */
    long send(T value) throws InterruptedException;

    /**
     * Sends {@code value}, waiting at most {@code timeout} for room. {@return the sequence number,
     * or {@link #FULL}, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    long send(T value, Duration timeout) throws InterruptedException;

    /**
     * Sends as {@link #trySend(Object)} with {@code priority} (0 to
     * {@link org.panamaipc.mq.MessageQueue#MAX_PRIORITY}; higher first).
     *
     * @throws IllegalArgumentException if {@code priority} is out of range, or not 0 on a ring
     */
    long trySend(T value, int priority);

    /** Sends as {@link #send(Object)} with {@code priority}. */
    long send(T value, int priority) throws InterruptedException;

    /** Sends as {@link #send(Object, Duration)} with {@code priority}. */
    long send(T value, int priority, Duration timeout) throws InterruptedException;

    /** {@return the next value if one is there now, or {@code null}} */
    T tryReceive();

    /**
     * {@return the next value, waiting as long as it takes}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    T receive() throws InterruptedException;

    /**
     * {@return the next value, waiting at most {@code timeout}, or {@code null}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    T receive(Duration timeout) throws InterruptedException;

    /**
     * Hands up to {@code limit} waiting messages to {@code handler} in place, without waiting.
     * {@return how many ({@code >= 1}), or {@link #EMPTY} if none was there}
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    int poll(RecordHandler handler, int limit);

    /**
     * Waits for a message as long as it takes, then hands up to {@code limit} to {@code handler}
     * in place. {@return how many ({@code >= 1})}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(RecordHandler handler, int limit) throws InterruptedException;

    /**
     * Waits at most {@code timeout} for a message, then hands up to {@code limit} to
     * {@code handler} in place. {@return how many ({@code >= 1}), or {@link #EMPTY} if none came}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(RecordHandler handler, int limit, Duration timeout) throws InterruptedException;

    /** {@return the header of the message last received by this handle (a reusable view)} */
    Header lastHeader();

    /**
     * Sets the reply address this handle writes into every message it sends, which receivers read
     * as {@link Header#replyTo()}: {@link Header#NO_REPLY} unless set. A named
     * {@link org.panamaipc.endpoint.Endpoint} sets its own.
     *
     * @throws IllegalStateException if this handle is closed
     */
    void replyTo(long address);

    /**
     * {@return the reply address this handle writes}
     *
     * @throws IllegalStateException if this handle is closed
     */
    long replyTo();

    /** Removes the name and its transport's, as {@link #unlink(String)}; this handle keeps working. */
    void unlink();

    /** Releases this handle: detaches its ends and unmaps; idempotent; never removes the name. */
    @Override
    void close();
}
