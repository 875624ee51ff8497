package org.panamaipc.rpc;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MalformedMessageException;
import org.panamaipc.message.Header;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.message.RecordHandler;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A server that answers requests from other processes: each request of type {@code Q} goes to a
 * handler, a {@code Function<Q, R>}, on one of the server's worker threads, and what the handler
 * returns goes back to the caller, an {@link RpcClient} in any process.
 *
 * {@snippet lang=java :
 * record Symbol(@MaxLength(8) String name) {}
 * record Quote(long price, long volume) {}
 *
 * try (RpcServer<Symbol, Quote> quotes = RpcServer.create("/quotes",
 *         Codec.ofRecord(Symbol.class), Codec.ofRecord(Quote.class),
 *         symbol -> book.quote(symbol.name()),           // runs on the workers
 *         RpcOptions.defaults().workers(2))) {
 *     awaitShutdown();                                   // the workers answer meanwhile
 * }                                                      // pending calls fail, the name is removed
 * }
 *
 * <h2>How it works</h2>
 * The server owns a {@link Port} named {@code name}: clients send their requests to it, each with
 * a correlation id, the client's id and the call's deadline. The workers take turns receiving from
 * it (one waits in the port while the others wait for their turn, idling as the clients do before
 * they sleep, so that a turn passes from worker to worker without a wake-up through the kernel
 * while requests keep coming). At its turn a worker takes
 * every request waiting in the port, up to 32, keeps the first and leaves the others to the next
 * turns, which take them without a look at the port, and answers its request after its turn: one
 * wake-up serves every request that came meanwhile, and a slow handler holds up no request while
 * another worker is free. The answer goes to the client's
 * reply port, which the server opens at the client's first request and keeps. A request whose
 * deadline has passed when a worker takes it is dropped unanswered, since its caller has given up.
 *
 * <h2>Failures</h2>
 * An exception the handler throws goes back to the caller as a {@link RemoteException} carrying
 * the exception's class name and message; so does a response the server could not send (longer
 * than the client's reply port takes, or refused by its codec). The server never stops for a
 * client: a client that closes or dies ({@code SIGKILL} included) is noticed within
 * {@link #CLIENT_SWEEP}, its reply port handle is dropped and, if it died, its reply port is
 * removed from the name space; {@link #clients()} counts the handles held. If the server's process
 * dies, every client's pending calls fail at once ({@link RpcClient}).
 *
 * <h2>Lifecycle</h2>
 * {@link #create} makes the port and starts the workers; {@link #close()} stops them (a handler
 * that is running finishes and its answer is sent), then closes the port, which removes the name:
 * the calls still waiting in it fail at once in their clients. The name of a server whose process
 * died is taken over by the next {@link #create}, as a port's is; {@link #unlink(String)},
 * {@link #unlinkIfExists} and {@link #exists} are those of its port. The handler runs on many
 * threads at once when there are several workers, and must be safe for that.
 *
 * @param <Q> the type of the requests
 * @param <R> the type of the responses
 */
public final class RpcServer<Q, R> implements AutoCloseable {

    /** How often the server looks for clients that have gone: every 100 ms. */
    public static final Duration CLIENT_SWEEP = ReplyPorts.SWEEP;
    /**
     * The most bytes a server name may have after its {@code '/'}: 231, those of a port less the 18
     * that name a client's reply port ({@code NAME.c} and 16 hexadecimal digits).
     */
    public static final int MAX_NAME_BYTES = Mailbox.MAX_NAME_BYTES - RpcFrames.REPLY_SUFFIX_BYTES;

    private static final Duration RECEIVE_SLICE = Duration.ofSeconds(1);
    /** The most requests a worker takes at its turn at the port. */
    private static final int BATCH = 32;

    private final String name;
    private final Codec<Q> requests;
    private final Function<? super Q, ? extends R> handler;
    private final Port<RpcFrames.Request<Q>> port;
    private final ReplyPorts<R> replies;
    private final RpcWait waits;
    /** Held by the worker whose turn it is at the port; guards the backlog. */
    private final ReentrantLock receiving = new ReentrantLock();
    /** Requests taken from the port at one turn that no worker has taken on yet. */
    private final ArrayDeque<Taken<Q>> backlog = new ArrayDeque<>();
    private final RecordHandler handleRequest = this::onRequest;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final Object lifecycle = new Object();
    private volatile boolean running = true;
    private boolean closed;

    private RpcServer(String name, Codec<Q> requests, Codec<R> responses, Function<? super Q, ? extends R> handler,
                      RpcOptions options) {
        this.name = name;
        this.requests = requests;
        this.handler = handler;
        this.waits = new RpcWait(options.waitStrategy());
        MailboxOptions portOptions = MailboxOptions.ring()
                .capacity(options.capacity())
                .maxMessageLength(RpcFrames.REQUEST_HEADER + RpcOptions.effective(options.maxRequestLength(), requests.fixedSize()))
                .mode(options.mode())
                .waitStrategy(waits.portStrategy());
        this.port = Port.create(name, portOptions, new RpcFrames.RequestCodec<>(requests));
        this.replies = new ReplyPorts<>(name, new RpcFrames.ReplyCodec<>(responses), options.waitStrategy());
        for (int i = 0; i < options.workers(); i++) {
            Worker worker = new Worker();
            workers.add(Thread.ofPlatform().daemon().name("pipc-rpc-worker " + name + " " + i).start(worker::run));
        }
    }

    /**
     * Creates the server {@code name} with one worker and the default options.
     *
     * @see #create(String, Codec, Codec, Function, RpcOptions)
     */
    public static <Q, R> RpcServer<Q, R> create(String name, Codec<Q> requestCodec, Codec<R> responseCodec,
                                                Function<? super Q, ? extends R> handler) {
        return create(name, requestCodec, responseCodec, handler, RpcOptions.defaults());
    }

    /**
     * Creates the server {@code name}, owned by this process, and starts its workers: they answer
     * requests decoded by {@code requestCodec} with what {@code handler} returns, encoded by
     * {@code responseCodec}.
     *
     * @throws AlreadyExistsException if a server (or port) of that name has a live owner
     * @throws InvalidNameException if the name is not a POSIX name of at most {@link #MAX_NAME_BYTES}
     *         bytes after its {@code '/'}
     * @throws IllegalArgumentException if a size does not fit a port
     */
    public static <Q, R> RpcServer<Q, R> create(String name, Codec<Q> requestCodec, Codec<R> responseCodec,
                                                Function<? super Q, ? extends R> handler, RpcOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(requestCodec, "requestCodec");
        Objects.requireNonNull(responseCodec, "responseCodec");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        checkName(name);
        return new RpcServer<>(name, requestCodec, responseCodec, handler, options);
    }

    static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.startsWith("/") && name.substring(1).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new InvalidNameException(name, "length after the '/' is "
                    + name.substring(1).getBytes(StandardCharsets.UTF_8).length + " bytes, more than the "
                    + MAX_NAME_BYTES + " an rpc server's name may have (a port's " + Mailbox.MAX_NAME_BYTES
                    + " less the " + RpcFrames.REPLY_SUFFIX_BYTES + " its clients' reply ports add)");
        }
        return name;
    }

    /**
     * Removes the server {@code name}'s port, whoever owns it; a live server keeps answering the
     * clients that have it open. For a dead server's leftovers.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     */
    public static void unlink(String name) {
        Port.unlink(name);
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return Port.unlinkIfExists(name);
    }

    /** {@return whether a server (or port) named {@code name} exists now} */
    public static boolean exists(String name) {
        return Port.exists(name);
    }

    /** {@return the name} */
    public String name() {
        return name;
    }

    /** {@return how many worker threads run the handler} */
    public int workers() {
        return workers.size();
    }

    /** {@return how many clients' reply ports the server holds now: clients that have called and not gone} */
    public int clients() {
        return replies.size();
    }

    /** {@return how many requests the server has answered, with a response or an exception} */
    public long answered() {
        return answered.get();
    }

    /** {@return how many requests it dropped because their deadline had passed before a worker took them} */
    public long expired() {
        return expired.get();
    }

    /** A request taken from the port and not yet answered. */
    private record Taken<Q>(long id, long clientId, long deadline, Q request, RuntimeException unreadable) {
    }

    /** Decodes the requests taken from the port into the backlog; called by the worker whose turn it is. */
    private void onRequest(Header header, MemorySegment segment, long offset, int length) {
        if (length < RpcFrames.REQUEST_HEADER) {
            return; // not a request: nobody to answer
        }
        long id = RpcFrames.getLong(segment, offset);
        if (id == RpcFrames.STOP) {
            return;
        }
        Q request = null;
        RuntimeException unreadable = null;
        try {
            request = requests.decode(segment.asSlice(offset + RpcFrames.REQUEST_HEADER, length - RpcFrames.REQUEST_HEADER));
        } catch (RuntimeException e) {
            unreadable = e;
        }
        backlog.add(new Taken<>(id, RpcFrames.getLong(segment, offset + 8), RpcFrames.getLong(segment, offset + 16),
                request, unreadable));
    }

    /**
     * Waits for its turn at the port, then takes the next request: from the backlog that an earlier
     * turn left, or else every request waiting in the port (up to {@link #BATCH}), idling as
     * {@link RpcWait} says, then sleeping, until one comes. {@return the request, or null if none
     * came within a slice or the server stops}
     */
    private Taken<Q> take() {
        awaitTurn();
        try {
            long idleSince = System.nanoTime();
            long budget = backlog.isEmpty() ? waits.begin() : 0;
            boolean idled = false;
            while (running && backlog.isEmpty()) {
                try {
                    if (port.poll(handleRequest, BATCH) > 0) {
                        if (idled && !backlog.isEmpty()) {
                            waits.end(true);
                        }
                        continue; // the backlog has them, or it was a stop: look again
                    }
                    if (RpcWait.idle(idleSince, budget)) {
                        idled = true;
                        continue;
                    }
                    waits.end(false);
                    port.receive(handleRequest, BATCH, RECEIVE_SLICE);
                    break;
                } catch (MalformedMessageException notARequest) {
                    // consumed; the next is read
                }
            }
            return backlog.poll();
        } catch (InterruptedException | IllegalStateException stopping) {
            return null; // running says whether to go on
        } finally {
            receiving.unlock();
        }
    }

    /**
     * Takes the turn at the port: at once if it is free, else idling as {@link RpcWait} says
     * (spinning, then yielding, within the budget the turn's holder last had) and looking again,
     * then sleeping on the lock. A worker that idles is not parked, so the holder's unlock wakes
     * nobody through the kernel: with quick handlers the workers hand the turn round with no
     * futex wake-up.
     */
    private void awaitTurn() {
        if (receiving.tryLock()) {
            return;
        }
        long start = System.nanoTime();
        long budget = waits.budget();
        while (RpcWait.idle(start, budget)) {
            if (receiving.tryLock()) {
                return;
            }
        }
        receiving.lock();
    }

    /** One worker thread: takes a request at its turn, answers it after its turn, with its own reply. */
    private final class Worker {
        private final RpcFrames.Reply<R> reply = new RpcFrames.Reply<>();

        void run() {
            while (running) {
                Taken<Q> taken = take();
                if (taken == null) {
                    continue;
                }
                try {
                    answer(taken);
                } catch (InterruptedException e) {
                    return;
                } catch (IllegalStateException closedMeanwhile) {
                    if (running) {
                        throw closedMeanwhile;
                    }
                    return;
                }
            }
        }

        private void answer(Taken<Q> taken) throws InterruptedException {
            long id = taken.id();
            long clientId = taken.clientId();
            long deadline = taken.deadline();
            if (deadline != 0 && Header.clockNanos() - deadline > 0) {
                expired.incrementAndGet();
                return;
            }
            reply.id = id;
            reply.value = null;
            reply.errorType = null;
            reply.errorMessage = null;
            Throwable failure = taken.unreadable();
            if (failure == null) {
                try {
                    R response = handler.apply(taken.request());
                    reply.status = response == null ? RpcFrames.NULL : RpcFrames.OK;
                    reply.value = response;
                } catch (Throwable t) {
                    failure = t;
                }
            }
            if (failure != null) {
                reply.status = RpcFrames.ERROR;
                reply.errorType = failure.getClass().getName();
                reply.errorMessage = RpcFrames.truncate(failure.getMessage(), RpcFrames.MIN_REPLY_ROOM / 2);
            }
            answered.incrementAndGet();
            try {
                replies.send(clientId, reply, deadline);
            } catch (RuntimeException encoderFailed) {
                reply.status = RpcFrames.ERROR;
                reply.value = null;
                reply.errorType = encoderFailed.getClass().getName();
                reply.errorMessage = RpcFrames.truncate(encoderFailed.getMessage(), RpcFrames.MIN_REPLY_ROOM / 2);
                replies.send(clientId, reply, deadline);
            }
            reply.value = null;
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
        }
    }

    /**
     * Stops the server: no worker takes another request, a handler that runs finishes and its
     * answer is sent, then the port is closed and its name removed, so calls still waiting in it
     * fail at once in their clients. Returns once the workers have ended; a handler that never
     * returns keeps it waiting. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        running = false;
        RpcFrames.Request<Q> stop = new RpcFrames.Request<>();
        for (int i = 0; i < workers.size(); i++) {
            port.trySend(stop); // wakes the worker waiting in the port; one that waits for its turn sees running
        }
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (true) {
                try {
                    worker.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        try {
            replies.close();
        } finally {
            port.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RpcServer[" + name + ", workers=" + workers.size() + ", clients=" + replies.size() + "]";
    }
}
