package org.panamaipc.rpc;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.IpcInterruptedException;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MalformedMessageException;
import org.panamaipc.internal.Errno;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.message.Header;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.message.PortGoneException;
import org.panamaipc.message.RecordHandler;
import org.panamaipc.process.ProcessId;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client of an {@link RpcServer}: sends requests of type {@code Q} and gets the responses of
 * type {@code R}, waiting for them ({@link #call(Object, Duration)}) or through a
 * {@link CompletableFuture} ({@link #callAsync(Object, Duration)}). Any number of threads may call
 * at once, and any number of calls may be in flight.
 *
 * {@snippet lang=java :
 * try (RpcClient<Symbol, Quote> quotes = RpcClient.open("/quotes",
 *         Codec.ofRecord(Symbol.class), Codec.ofRecord(Quote.class))) {
 *     Quote quote = quotes.call(new Symbol("XYZ"), Duration.ofSeconds(1));
 *     CompletableFuture<Quote> later = quotes.callAsync(new Symbol("ABC"), Duration.ofSeconds(1));
 *     later.thenAccept(System.out::println);
 * }
 * }
 *
 * <h2>What a call ends with</h2>
 * <table class="striped">
 * <caption>Outcomes of a call</caption>
 * <thead><tr><th>what happened</th><th>{@link #call(Object, Duration)}</th><th>the future of {@link #callAsync(Object, Duration)}</th></tr></thead>
 * <tbody>
 * <tr><td>the handler returned</td><td>returns the response</td><td>completes with it</td></tr>
 * <tr><td>the handler threw</td><td>throws {@link RemoteException} with the exception's type and message</td><td>completes exceptionally with it</td></tr>
 * <tr><td>the deadline passed</td><td>throws {@link IpcTimeoutException}</td><td>completes exceptionally with it</td></tr>
 * <tr><td>the server closed or died</td><td colspan="2">{@link PortGoneException} (a {@link PeerGoneException}), at once, not at the deadline</td></tr>
 * <tr><td>this client was closed</td><td colspan="2">{@link IllegalStateException} naming the server</td></tr>
 * </tbody>
 * </table>
 * A request longer than the server takes is refused at once with
 * {@link MessageTooLongException}, and nothing is sent; {@code null} is a
 * {@link NullPointerException} naming the parameter. Timeouts follow the Duration rule: zero or
 * negative is a deadline already passed (the request is sent if there is room, and the call times
 * out unless the answer is there at once), and a duration too long to count in nanoseconds waits as
 * long as it takes. The deadline travels with the request: a server that takes the request after
 * it drops it unanswered.
 *
 * <h2>How it works</h2>
 * The client owns a reply port, {@code NAME.c} followed by its id in hexadecimal, which the
 * server answers to; every request carries a correlation id, which the answer repeats. A caller of
 * {@link #call(Object, Duration)} receives the answers itself while no other thread does, so its
 * answer reaches it with no hand-off between threads (it completes the other calls an answer is
 * for on the way); a caller behind it waits for its call to be completed. With a blocking
 * {@link WaitStrategy} (the default) a waiting thread spins at most 2 µs, then yields the CPU
 * between looks until the strategy's spin budget is spent, then sleeps on a futex; a yield that
 * returns late (other threads wanted the CPU) ends the idling at once, and the budget shrinks
 * to none while waits keep ending asleep, so on a busy machine a caller sleeps at once and leaves
 * the CPU to the server. A reader thread receives while calls are
 * pending and no caller does (asynchronous calls), and sleeps otherwise. A watcher thread
 * sleeps on the server port's robust owner lock: when the server's process dies the kernel wakes
 * it, and it fails every pending call with {@link PortGoneException}; so does the server's
 * {@link RpcServer#close()}. Later calls fail the same way; open a new client once a new server
 * has the name.
 *
 * @param <Q> the type of the requests
 * @param <R> the type of the responses
 */
public final class RpcClient<Q, R> implements AutoCloseable {

    /** The most answers one look at the reply port takes. */
    private static final int RECEIVE_BATCH = 64;
    /** The longest the reader waits in the reply port before it looks whether calls are pending. */
    private static final Duration READER_SLICE = Duration.ofMillis(50);
    private static final long READER_PARK_NANOS = Duration.ofSeconds(1).toNanos();
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);
    private static final int CREATE_ATTEMPTS = 8;
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private final String server;
    private final Codec<R> responses;
    private final Port<RpcFrames.Request<Q>> requests;
    private final Port<RpcFrames.Reply<R>> replies;
    private final long clientId;
    private final OwnerWatch watch;
    private final RpcWait waits;
    private final ReentrantLock sending = new ReentrantLock();
    /** Held by the one thread that receives from the reply port: a caller waiting for its answer, or the reader. */
    private final ReentrantLock receiving = new ReentrantLock();
    /** Guards sends of this process to its own reply port, which only wake the receiving thread. */
    private final Object wakeLock = new Object();
    private volatile boolean readerParked;
    private final RpcFrames.Request<Q> frame = new RpcFrames.Request<>();
    private final ConcurrentHashMap<Long, Call<R>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Thread reader;
    private final Thread watcher;
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private volatile boolean serverGone;
    private final long[] next = new long[1];

    /** A call in flight: its future, completed by the reader, the watcher, the deadline or close. */
    private static final class Call<R> extends CompletableFuture<R> {
        final long id;
        volatile ScheduledFuture<?> timer;

        Call(long id) {
            this.id = id;
        }
    }

    private RpcClient(String server, Codec<Q> requestCodec, Codec<R> responseCodec, RpcOptions options) {
        this.server = server;
        this.responses = responseCodec;
        WaitStrategy strategy = options.waitStrategy();
        this.waits = new RpcWait(strategy);
        this.requests = Port.open(server, new RpcFrames.RequestCodec<>(requestCodec), strategy);
        Port<RpcFrames.Reply<R>> mine = null;
        long id = 0;
        OwnerWatch opened = null;
        try {
            MailboxOptions replyOptions = MailboxOptions.ring()
                    .capacity(options.capacity())
                    .maxMessageLength(RpcFrames.REPLY_HEADER + Math.max(RpcFrames.MIN_REPLY_ROOM,
                            RpcOptions.effective(options.maxResponseLength(), responseCodec.fixedSize())))
                    .mode(options.mode())
                    .waitStrategy(waits.portStrategy());
            for (int attempt = 1; mine == null; attempt++) {
                id = ThreadLocalRandom.current().nextLong() | 1;
                try {
                    mine = Port.create(RpcFrames.replyPortName(server, id), replyOptions, new RpcFrames.ReplyCodec<>(responseCodec));
                } catch (AlreadyExistsException taken) {
                    if (attempt >= CREATE_ATTEMPTS) {
                        throw taken;
                    }
                }
            }
            opened = new OwnerWatch(server, requests.owner());
        } catch (RuntimeException | Error e) {
            if (mine != null) {
                mine.close();
            }
            requests.close();
            throw e;
        }
        this.replies = mine;
        this.clientId = id;
        this.watch = opened;
        this.reader = Thread.ofPlatform().daemon().name("pipc-rpc-reader " + server).unstarted(this::readReplies);
        this.watcher = Thread.ofPlatform().daemon().name("pipc-rpc-watcher " + server).unstarted(this::watchServer);
        reader.start();
        watcher.start();
    }

    /**
     * Opens a client of the server {@code name} with the default options.
     *
     * @see #open(String, Codec, Codec, RpcOptions)
     */
    public static <Q, R> RpcClient<Q, R> open(String name, Codec<Q> requestCodec, Codec<R> responseCodec) {
        return open(name, requestCodec, responseCodec, RpcOptions.defaults());
    }

    /**
     * Opens a client of the server {@code name}: creates its reply port (with the capacity, longest
     * response, mode and wait strategy of {@code options}) and starts its reader and watcher threads.
     *
     * @throws org.panamaipc.NotFoundException if there is no server of that name
     * @throws PortGoneException if the server of that name has gone
     * @throws org.panamaipc.InvalidNameException if the name is not a valid server name
     */
    public static <Q, R> RpcClient<Q, R> open(String name, Codec<Q> requestCodec, Codec<R> responseCodec,
                                              RpcOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(requestCodec, "requestCodec");
        Objects.requireNonNull(responseCodec, "responseCodec");
        Objects.requireNonNull(options, "options");
        RpcServer.checkName(name);
        return new RpcClient<>(name, requestCodec, responseCodec, options);
    }

    /** {@return the server's name} */
    public String server() {
        return server;
    }

    /** {@return the server's process} */
    public ProcessId serverProcess() {
        return requests.owner();
    }

    /** {@return whether the server holds its port now: one load from shared memory} */
    public boolean serverPresent() {
        return !serverGone && watch.ownerPresent();
    }

    /** {@return how many calls are in flight: sent, and neither answered nor failed} */
    public int pending() {
        return pending.size();
    }

    /** {@return the name of this client's reply port} */
    public String replyPort() {
        return replies.name();
    }

    /**
     * Calls the server with {@code request} and waits for the answer as long as it takes (but not
     * for a server that has gone). {@return the response}
     *
     * @throws RemoteException if the handler threw
     * @throws PortGoneException if the server has gone, or goes while the call waits
     * @throws MessageTooLongException if the request is longer than the server takes
     * @throws IllegalStateException if this client is closed, or closes while the call waits
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public R call(Q request) throws InterruptedException {
        return call(request, FOREVER);
    }

    /**
     * Calls the server with {@code request} and waits at most {@code timeout} for the answer.
     * {@return the response}
     *
     * @throws IpcTimeoutException if no answer came within {@code timeout}
     * @throws RemoteException if the handler threw
     * @throws PortGoneException if the server has gone, or goes while the call waits
     * @throws MessageTooLongException if the request is longer than the server takes
     * @throws IllegalStateException if this client is closed, or closes while the call waits
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public R call(Q request, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(request, "request");
        long timeoutNanos = Timeouts.toNanos(timeout);
        long deadline = Timeouts.deadline(timeoutNanos);
        Call<R> call = start(request, timeoutNanos, deadline);
        try {
            awaitAnswer(call, deadline);
        } catch (InterruptedException e) {
            pending.remove(call.id, call);
            throw e;
        }
        if (!call.isDone() && pending.remove(call.id, call)) {
            throw timedOut(timeout);
        }
        try {
            return call.get();
        } catch (ExecutionException failed) {
            throw rethrown(failed.getCause());
        }
    }

    /**
     * Waits until {@code call} is done or {@code deadline} passes. The caller receives the answers
     * itself if no other thread does (so an answer reaches it without a hand-off between threads),
     * completing any other call an answer is for; otherwise it waits for the thread that receives,
     * idling as {@link RpcWait} says first. When it stops receiving with calls still pending it wakes the reader.
     */
    private void awaitAnswer(Call<R> call, long deadline) throws InterruptedException {
        while (!call.isDone()) {
            long left = Timeouts.remaining(deadline);
            if (left <= 0) {
                return;
            }
            if (receiving.tryLock()) {
                try {
                    receiveUntil(call, deadline);
                } catch (IllegalStateException closing) {
                    if (!closed) {
                        throw closing;
                    }
                } finally {
                    receiving.unlock();
                    if (pending.size() > (call.isDone() ? 0 : 1)) {
                        wakeReader();
                    }
                }
                return;
            }
            for (long spun = System.nanoTime(), budget = waits.budget(); !call.isDone() && RpcWait.idle(spun, budget); ) {
                // the thread receiving completes the call
            }
            try {
                // the receiving thread completes the call; if it stops receiving first, look again
                long slice = Math.min(left, READER_SLICE.toNanos());
                call.get(slice, TimeUnit.NANOSECONDS);
            } catch (TimeoutException notYet) {
                // loop
            } catch (ExecutionException done) {
                return;
            }
        }
    }

    /**
     * Receives answers until {@code call} is done, the client closes or {@code deadline} passes:
     * looks without waiting, idles as {@link RpcWait} says while its budget lasts, then sleeps in
     * the reply port.
     */
    private void receiveUntil(Call<R> call, long deadline) throws InterruptedException {
        long idleSince = System.nanoTime();
        long budget = waits.begin();
        boolean idled = false;
        while (!call.isDone() && !closed) {
            try {
                if (replies.poll(onReply, RECEIVE_BATCH) > 0) {
                    if (idled) {
                        waits.end(true);
                        budget = waits.begin();
                        idled = false;
                    }
                    idleSince = System.nanoTime();
                    continue;
                }
                long left = Timeouts.remaining(deadline);
                if (left <= 0) {
                    return;
                }
                if (RpcWait.idle(idleSince, budget)) {
                    idled = true;
                    continue;
                }
                waits.end(false);
                replies.receive(onReply, RECEIVE_BATCH, left == Timeouts.FOREVER ? FOREVER : Duration.ofNanos(left));
            } catch (MalformedMessageException notAReply) {
                // consumed; the next is read
            }
            budget = waits.begin();
            idled = false;
            idleSince = System.nanoTime();
        }
    }

    /** Lets the reader receive: calls are pending and no caller is receiving. */
    private void wakeReader() {
        if (readerParked) {
            java.util.concurrent.locks.LockSupport.unpark(reader);
        }
    }

    /**
     * Calls the server with {@code request} without waiting for the answer (but waiting for room
     * in the server's port, not for a server that has gone). {@return a future that completes with
     * the response, or exceptionally as the table above says}
     *
     * @throws PortGoneException if the server has gone already
     * @throws MessageTooLongException if the request is longer than the server takes
     * @throws IllegalStateException if this client is closed
     * @throws IpcInterruptedException if the thread is interrupted while waiting for room (the
     *         interrupt status kept)
     */
    public CompletableFuture<R> callAsync(Q request) {
        return callAsync(request, FOREVER);
    }

    /**
     * Calls the server with {@code request} without waiting for the answer; the call's deadline is
     * {@code timeout} from now. {@return a future that completes with the response, or
     * exceptionally as the table above says: with {@link IpcTimeoutException} once the deadline
     * has passed}
     *
     * @throws PortGoneException if the server has gone already
     * @throws MessageTooLongException if the request is longer than the server takes
     * @throws IllegalStateException if this client is closed
     * @throws IpcInterruptedException if the thread is interrupted while waiting for room (the
     *         interrupt status kept)
     */
    public CompletableFuture<R> callAsync(Q request, Duration timeout) {
        Objects.requireNonNull(request, "request");
        long timeoutNanos = Timeouts.toNanos(timeout);
        long deadline = Timeouts.deadline(timeoutNanos);
        Call<R> call;
        try {
            call = start(request, timeoutNanos, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcInterruptedException("call", server, "interrupted while waiting for room in the server's port",
                    errno_h.EINTR(), Errno.name(errno_h.EINTR()), Errno.text(errno_h.EINTR()));
        }
        if (!receiving.isLocked()) {
            wakeReader();
        }
        if (deadline != Timeouts.FOREVER && !call.isDone()) {
            long left = Math.max(0, Timeouts.remaining(deadline));
            call.timer = DEADLINES.schedule(() -> {
                if (pending.remove(call.id, call)) {
                    call.completeExceptionally(timedOut(timeout));
                }
            }, left, TimeUnit.NANOSECONDS);
            if (call.isDone()) {
                call.timer.cancel(false);
            }
        }
        return call;
    }

    /** Sends the request of a new call. {@return the call, registered as pending} */
    private Call<R> start(Q request, long timeoutNanos, long deadline) throws InterruptedException {
        checkUsable();
        Call<R> call = new Call<>(ids.incrementAndGet());
        pending.put(call.id, call);
        long wireDeadline = 0;
        if (timeoutNanos != Timeouts.FOREVER) {
            wireDeadline = Timeouts.deadline(Header.clockNanos(), timeoutNanos);
            wireDeadline = wireDeadline == Timeouts.FOREVER || wireDeadline == 0 ? 0 : wireDeadline;
        }
        long sent;
        boolean locked = false;
        try {
            sending.lockInterruptibly();
            locked = true;
            checkUsable();
            frame.id = call.id;
            frame.clientId = clientId;
            frame.deadline = wireDeadline;
            frame.value = request;
            sent = requests.trySend(frame);
            if (sent == Port.FULL && Timeouts.remaining(deadline) > 0) {
                sent = requests.send(frame, deadline == Timeouts.FOREVER ? FOREVER
                        : Duration.ofNanos(Timeouts.remaining(deadline)));
            }
        } catch (MessageTooLongException tooLong) {
            pending.remove(call.id);
            throw new MessageTooLongException("call", server, tooLong.length() - RpcFrames.REQUEST_HEADER,
                    tooLong.maxLength() - RpcFrames.REQUEST_HEADER);
        } catch (RuntimeException | Error | InterruptedException e) {
            pending.remove(call.id);
            throw e;
        } finally {
            frame.value = null;
            if (locked) {
                sending.unlock();
            }
        }
        if (sent == Port.CLOSED) {
            pending.remove(call.id);
            failAll();
            throw gone();
        }
        if (sent == Port.FULL) {
            pending.remove(call.id);
            call.completeExceptionally(new IpcTimeoutException("call", server, "the server's port stayed full until the"
                    + " deadline", errno_h.ETIMEDOUT(), Errno.name(errno_h.ETIMEDOUT()), Errno.text(errno_h.ETIMEDOUT())));
            return call;
        }
        if ((serverGone || closed) && pending.remove(call.id, call)) {
            call.completeExceptionally(closed ? closedException() : gone()); // raced with the watcher or close
        }
        return call;
    }

    private void checkUsable() {
        if (closed) {
            throw closedException();
        }
        if (serverGone) {
            throw gone();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("rpc client of " + server + " is closed");
    }

    private PortGoneException gone() {
        return new PortGoneException("call", server, requests.owner().pid(), !watch.ownerDied());
    }

    private IpcTimeoutException timedOut(Duration timeout) {
        return new IpcTimeoutException("call", server, "no answer within " + timeout, errno_h.ETIMEDOUT(),
                Errno.name(errno_h.ETIMEDOUT()), Errno.text(errno_h.ETIMEDOUT()));
    }

    /** {@return the exception a caller gets for {@code cause}: the same type, this thread's stack} */
    private RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RemoteException remote) {
            RemoteException here = new RemoteException(remote.server(), remote.remoteType(), remote.remoteMessage());
            return here;
        }
        if (cause instanceof PortGoneException) {
            return gone();
        }
        if (cause instanceof IllegalStateException && closed) {
            return closedException();
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("call to " + server + " failed", cause);
    }

    // the reader and the watcher

    private final RecordHandler onReply = this::onReply;

    private void onReply(Header header, MemorySegment segment, long offset, int length) {
        if (length < RpcFrames.REPLY_HEADER) {
            return;
        }
        long id = RpcFrames.getLong(segment, offset);
        Call<R> call = pending.remove(id);
        if (call == null) {
            return; // timed out, or the reader's stop
        }
        ScheduledFuture<?> timer = call.timer;
        if (timer != null) {
            timer.cancel(false);
        }
        int status = RpcFrames.getInt(segment, offset + 8);
        try {
            switch (status) {
                case RpcFrames.OK -> call.complete(responses.decode(segment.asSlice(offset + RpcFrames.REPLY_HEADER,
                        length - RpcFrames.REPLY_HEADER)));
                case RpcFrames.NULL -> call.complete(null);
                case RpcFrames.ERROR -> {
                    long end = offset + length;
                    String type = RpcFrames.getString(segment, offset + RpcFrames.REPLY_HEADER, end, next);
                    String message = RpcFrames.getString(segment, next[0], end, next);
                    call.completeExceptionally(new RemoteException(server, type, message));
                }
                default -> call.completeExceptionally(new MalformedMessageException("reply",
                        "status " + status + " is none of OK, NULL, ERROR"));
            }
        } catch (RuntimeException unreadable) {
            call.completeExceptionally(unreadable);
        }
    }

    /**
     * The reader: receives while calls are pending and no caller receives (asynchronous calls,
     * and callers waiting behind one that has its answer), and sleeps otherwise.
     */
    private void readReplies() {
        while (!closed) {
            if (pending.isEmpty()) {
                readerParked = true;
                if (pending.isEmpty() && !closed) {
                    java.util.concurrent.locks.LockSupport.parkNanos(this, READER_PARK_NANOS);
                }
                readerParked = false;
                continue;
            }
            receiving.lock();
            try {
                while (!pending.isEmpty() && !closed) {
                    replies.receive(onReply, RECEIVE_BATCH, READER_SLICE);
                }
            } catch (InterruptedException | IllegalStateException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException unreadable) {
                // a message that is no reply: consumed, the next is read
            } finally {
                receiving.unlock();
            }
        }
    }

    /** Wakes the thread receiving from the reply port, with a message that completes no call. */
    private void wakeReceiver() {
        synchronized (wakeLock) {
            RpcFrames.Reply<R> stop = new RpcFrames.Reply<>();
            stop.status = RpcFrames.NULL;
            try {
                replies.trySend(stop);
            } catch (RuntimeException full) {
                // the receiver looks again within its slice
            }
        }
    }

    private void watchServer() {
        try {
            watch.awaitGone();
        } catch (InterruptedException | IllegalStateException closing) {
            return;
        }
        failAll();
    }

    /** Marks the server gone and fails every pending call with {@link PortGoneException}. */
    private void failAll() {
        serverGone = true;
        for (Call<R> call : pending.values()) {
            if (pending.remove(call.id, call)) {
                call.completeExceptionally(gone());
            }
        }
        if (!closed) {
            wakeReceiver();
        }
    }

    /**
     * Closes this client: pending calls fail with {@link IllegalStateException}, its threads end,
     * and its reply port is closed and removed. The server drops its handle on it within
     * {@link RpcServer#CLIENT_SWEEP}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean interrupted = false;
        watch.close(); // wakes the watcher
        for (Call<R> call : pending.values()) {
            if (pending.remove(call.id, call)) {
                call.completeExceptionally(closedException());
            }
        }
        wakeReceiver(); // the thread receiving sees its call done, or closed
        java.util.concurrent.locks.LockSupport.unpark(reader);
        for (Thread thread : new Thread[] {watcher, reader}) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        receiving.lock(); // a caller still receiving leaves first
        receiving.unlock();
        try {
            requests.close();
        } finally {
            replies.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("pipc-rpc-deadlines").unstarted(r));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @Override
    public String toString() {
        return "RpcClient[" + server + ", reply port " + replies.name() + ", pending=" + pending.size() + "]";
    }
}
