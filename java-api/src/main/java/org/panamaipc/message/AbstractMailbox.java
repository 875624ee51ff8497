package org.panamaipc.message;

import org.panamaipc.PeerGoneException;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link SharedMailbox} and a {@link Port} share: the forms of {@link Mailbox} over a
 * {@link Link}. A port adds its owner checks through {@link #beforeSend}, {@link #sendWaiting}
 * and {@link #beforeReceive}.
 */
abstract sealed class AbstractMailbox<T> implements Mailbox<T> permits SharedMailbox, Port {

    final MailboxControl control;
    final Link<T> link;
    private final RecordHandler decoder = this::decodeOne;
    private T value;
    private boolean closed;

    AbstractMailbox(MailboxControl control, Link<T> link) {
        this.control = control;
        this.link = link;
    }

    private void decodeOne(Header header, java.lang.foreign.MemorySegment segment, long offset, int length) {
        value = link.values.decode(segment, offset, length);
    }

    /** The word this mailbox uses in messages: "mailbox" or "port". */
    abstract String what();

    /** {@return {@link #CLOSED} if a send must not go ahead, or 0} */
    long beforeSend() {
        return 0;
    }

    /** Checks that this handle may receive. */
    void beforeReceive() {
    }

    /** Sends, waiting as {@code timeout} says (never {@link Link#TRY}). */
    long sendWaiting(T value, int priority, Duration timeout) throws InterruptedException {
        return link.send(value, priority, timeout);
    }

    /** {@return the exception of a blocking send that found the other side gone} */
    PeerGoneException gone() {
        return new PeerGoneException("send to " + what(), name(), "it is full and its receivers have all gone (closed or died)");
    }

    private long dispatch(T value, int priority, Duration timeout) throws InterruptedException {
        ensureOpen();
        long refused = beforeSend();
        if (refused < 0) {
            return refused;
        }
        return timeout == Link.TRY || !Link.waits(timeout) ? link.send(value, priority, Link.TRY)
                : sendWaiting(value, priority, timeout);
    }

    @Override
    public long trySend(T value) {
        return trySend(value, 0);
    }

    @Override
    public long send(T value) throws InterruptedException {
        return send(value, 0);
    }

    @Override
    public long send(T value, Duration timeout) throws InterruptedException {
        return send(value, 0, timeout);
    }

    @Override
    public long trySend(T value, int priority) {
        try {
            return dispatch(value, priority, Link.TRY);
        } catch (InterruptedException e) {
            throw new AssertionError("a try form does not wait", e);
        }
    }

    @Override
    public long send(T value, int priority) throws InterruptedException {
        long sent = dispatch(value, priority, Link.FOREVER);
        if (sent == CLOSED) {
            throw gone();
        }
        return sent;
    }

    @Override
    public long send(T value, int priority, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return dispatch(value, priority, timeout);
    }

    // receiving

    @Override
    public void attachReceiver() {
        ensureOpen();
        beforeReceive();
        link.attachReceiver();
    }

    private int receiveInto(RecordHandler handler, int limit, Duration timeout) throws InterruptedException {
        ensureOpen();
        beforeReceive();
        return link.receive(handler, limit, timeout);
    }

    private T decoded(int count) {
        T result = value;
        value = null;
        return count >= 1 ? result : null;
    }

    @Override
    public T tryReceive() {
        try {
            return decoded(receiveInto(decoder, 1, Link.TRY));
        } catch (InterruptedException e) {
            throw new AssertionError("a try form does not wait", e);
        }
    }

    @Override
    public T receive() throws InterruptedException {
        return decoded(receiveInto(decoder, 1, Link.FOREVER));
    }

    @Override
    public T receive(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return decoded(receiveInto(decoder, 1, Link.waits(timeout) ? timeout : Link.TRY));
    }

    @Override
    public int poll(RecordHandler handler, int limit) {
        checkHandler(handler, limit);
        try {
            return receiveInto(handler, limit, Link.TRY);
        } catch (InterruptedException e) {
            throw new AssertionError("a try form does not wait", e);
        }
    }

    @Override
    public int receive(RecordHandler handler, int limit) throws InterruptedException {
        checkHandler(handler, limit);
        return receiveInto(handler, limit, Link.FOREVER);
    }

    @Override
    public int receive(RecordHandler handler, int limit, Duration timeout) throws InterruptedException {
        checkHandler(handler, limit);
        Objects.requireNonNull(timeout, "timeout");
        return receiveInto(handler, limit, Link.waits(timeout) ? timeout : Link.TRY);
    }

    private static void checkHandler(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be positive");
        }
    }

    // the rest

    @Override
    public Header lastHeader() {
        return link.header;
    }

    @Override
    public void replyTo(long address) {
        ensureOpen();
        link.replyTo = address;
    }

    @Override
    public long replyTo() {
        ensureOpen();
        return link.replyTo;
    }

    @Override
    public String name() {
        return control.name;
    }

    @Override
    public org.panamaipc.codec.Codec<T> codec() {
        return link.values.codec;
    }

    @Override
    public Transport transport() {
        return link.transport();
    }

    @Override
    public int capacity() {
        return control.capacity;
    }

    @Override
    public int maxMessageLength() {
        return control.maxLength;
    }

    @Override
    public boolean enveloped() {
        return !control.bare;
    }

    @Override
    public boolean created() {
        return control.created();
    }

    final void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(what() + " " + name() + " is closed");
        }
    }

    final boolean isClosed() {
        return closed;
    }

    /** Closes the link and the control segment; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            link.close();
        } finally {
            control.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + ", " + transport() + ", " + link.values.codec + "]";
    }
}
