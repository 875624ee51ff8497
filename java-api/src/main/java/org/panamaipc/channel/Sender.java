package org.panamaipc.channel;

import org.panamaipc.Outcome;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The sending end of a ring channel, attached to it as one endpoint (see
 * {@link RingChannel#sender(WaitStrategy)}). A sender is used by one thread at a time.
 *
 * <p>Every send and claim comes in the three forms of the convention (docs/conventions.md):
 * <table class="striped">
 * <caption>The forms of a send</caption>
 * <thead><tr><th scope="col">returns at once</th><th scope="col">waits as long as it takes</th>
 *     <th scope="col">waits at most a {@code Duration}</th></tr></thead>
 * <tbody>
 * <tr><td>{@code trySend(type, ...)}</td><td>{@code send(type, ...)}</td><td>{@code send(type, ..., timeout)}</td></tr>
 * <tr><td>{@code tryClaim(type, length)}</td><td>{@code claim(type, length)}</td><td>{@code claim(type, length, timeout)}</td></tr>
 * </tbody>
 * </table>
 * A send returns the message's sequence number ({@code >= 1}) or a negative code: {@link #FULL}
 * (no room now, or not within the timeout) or {@link #CLOSED} (no room, and the receivers have
 * gone: none is alive, while one was alive when this sender attached or attached since; a sender
 * that has never had a receiver waits for one). A claim returns the index of its payload, or the
 * same codes. The blocking forms have no "nothing happened": when the receivers have gone they
 * throw {@link org.panamaipc.PeerGoneException} instead of waiting forever. A receiver that closes
 * wakes the senders asleep on a full ring and is seen at once; one that dies is seen by the next
 * liveness check (at most every 10 ms), so a try form may report {@code FULL} for that long after
 * the last receiver died.
 *
 * <p>A message longer than {@link #maxMessageLength()} is a
 * {@link org.panamaipc.MessageTooLongException} ({@code EMSGSIZE}), thrown before anything is sent.
 * A {@code ByteBuffer} send sends the buffer's remaining bytes and advances its position past them;
 * when nothing was sent ({@code FULL}, {@code CLOSED}, an exception) the position is unchanged. A
 * timeout of zero or less does not wait (the call behaves as its try form); one too long to count
 * in nanoseconds, such as {@code Duration.ofSeconds(Long.MAX_VALUE)}, waits as long as it takes. A
 * {@code null} argument is a {@link NullPointerException} that names the parameter, thrown before
 * anything is sent or claimed. A thread waiting in a send or claim when another thread closes this
 * sender or its channel wakes and throws {@link IllegalStateException} naming it.
 *
 * <p>Zero-copy sending writes the payload straight into the ring:
 * {@snippet lang=java :
 * long index = sender.tryClaim(PRICE_TYPE, 16);
 * if (index >= 0) {
 *     MemorySegment ring = sender.buffer();
 *     ring.set(ValueLayout.JAVA_LONG_UNALIGNED, index, instrumentId);
 *     ring.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, index + 8, price);
 *     sender.commit(index);               // or sender.abort(index)
 * }
 * }
 */
public interface Sender extends AutoCloseable {

    /** No room in the ring (now, or within the timeout): {@link Outcome#FULL}. */
    long FULL = Outcome.FULL;
    /** No room, and the receivers this sender had have all gone (closed or died): {@link Outcome#CLOSED}. */
    long CLOSED = Outcome.CLOSED;

    /** {@return this endpoint's id, which receivers see as {@link MessageHeader#source()}} */
    int endpointId();

    /** {@return the longest payload this channel accepts} */
    int maxMessageLength();

    /**
     * Sends {@code length} bytes of {@code source} from {@code offset} as a message of
     * {@code type} if there is room now. {@return the sequence number, or {@link #FULL} or {@link #CLOSED}}
     *
     * @throws org.panamaipc.MessageTooLongException if {@code length} exceeds {@link #maxMessageLength()}
     * @throws IllegalArgumentException if {@code length} or {@code offset} is negative; nothing is sent
     * @throws IndexOutOfBoundsException if {@code source} has no {@code length} bytes from {@code offset};
     *         nothing is sent
     * @throws IllegalStateException if this sender is closed, or a claim is open
     */
    long trySend(int type, MemorySegment source, long offset, int length);

    /**
     * Sends as {@link #trySend(int, MemorySegment, long, int)}, waiting for room as long as it takes.
     * {@return the sequence number}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws org.panamaipc.PeerGoneException if every receiver has gone while the ring is full
     */
    long send(int type, MemorySegment source, long offset, int length) throws InterruptedException;

    /**
     * Sends, waiting at most {@code timeout} for room. {@return the sequence number, or
     * {@link #FULL} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    long send(int type, MemorySegment source, long offset, int length, Duration timeout) throws InterruptedException;

    /** As {@link #trySend(int, MemorySegment, long, int)} for the whole array. */
    long trySend(int type, byte[] message);

    /** As {@link #send(int, MemorySegment, long, int)} for the whole array. */
    long send(int type, byte[] message) throws InterruptedException;

    /** As {@link #send(int, MemorySegment, long, int, Duration)} for the whole array. */
    long send(int type, byte[] message, Duration timeout) throws InterruptedException;

    /**
     * As {@link #trySend(int, MemorySegment, long, int)} for the buffer's remaining bytes; once
     * sent, the buffer's position is its limit. When nothing was sent the position is unchanged.
     */
    long trySend(int type, ByteBuffer message);

    /** As {@link #send(int, MemorySegment, long, int)} for the buffer's remaining bytes, which it then consumes. */
    long send(int type, ByteBuffer message) throws InterruptedException;

    /**
     * As {@link #send(int, MemorySegment, long, int, Duration)} for the buffer's remaining bytes,
     * which it consumes if they were sent.
     */
    long send(int type, ByteBuffer message, Duration timeout) throws InterruptedException;

    /**
     * Sends {@code messages[offset]} up to {@code messages[offset + count - 1]}, each whole segment
     * one message of {@code type}, in order, as many as there is room for now, and publishes them
     * together: a single sender stores the tail once for the batch, and a receiver asleep is woken
     * once. Every length is checked before anything is sent.
     * {@return how many were sent ({@code 1..count}, the first ones), or {@link #FULL} or {@link #CLOSED}}
     *
     * <p>A batch larger than the ring, or than the room in it, is sent in part: the caller sends
     * the rest with a second call.
     * {@snippet lang=java :
     * for (int sent = 0; sent < messages.length; ) {
     *     sent += (int) sender.send(TYPE, messages, sent, messages.length - sent);
     * }
     * }
     *
     * @throws org.panamaipc.MessageTooLongException if a message exceeds {@link #maxMessageLength()}; nothing is sent
     * @throws IllegalArgumentException if {@code count} is not positive
     * @throws IndexOutOfBoundsException if {@code offset} and {@code count} do not lie within {@code messages}
     * @throws NullPointerException if {@code messages} or one of the messages to send is {@code null}
     * @throws IllegalStateException if this sender is closed, or a claim is open
     */
    long trySend(int type, MemorySegment[] messages, int offset, int count);

    /**
     * Sends as {@link #trySend(int, MemorySegment[], int, int)}, waiting as long as it takes until
     * there is room for the first. {@return how many were sent ({@code 1..count})}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws org.panamaipc.PeerGoneException if every receiver has gone while the ring is full
     */
    long send(int type, MemorySegment[] messages, int offset, int count) throws InterruptedException;

    /**
     * Sends as {@link #trySend(int, MemorySegment[], int, int)}, waiting at most {@code timeout}
     * until there is room for the first. {@return how many were sent ({@code 1..count}), or
     * {@link #FULL} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    long send(int type, MemorySegment[] messages, int offset, int count, Duration timeout) throws InterruptedException;

    /**
     * Claims room for a message of {@code length} bytes of {@code type} if there is room now.
     * {@return the index in {@link #buffer()} where the payload goes, or {@link #FULL} or
     * {@link #CLOSED}} Follow with exactly one {@link #commit(long)} or {@link #abort(long)}.
     *
     * @throws org.panamaipc.MessageTooLongException if {@code length} exceeds {@link #maxMessageLength()}
     * @throws IllegalStateException if a claim is open already, or this sender is closed
     */
    long tryClaim(int type, int length);

    /**
     * Claims room as {@link #tryClaim(int, int)}, waiting as long as it takes. {@return the index}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws org.panamaipc.PeerGoneException if every receiver has gone while the ring is full
     */
    long claim(int type, int length) throws InterruptedException;

    /**
     * Claims room as {@link #tryClaim(int, int)}, waiting at most {@code timeout}.
     * {@return the index, or {@link #FULL} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    long claim(int type, int length, Duration timeout) throws InterruptedException;

    /** {@return the ring's records, where claimed payloads are written} */
    MemorySegment buffer();

    /**
     * Publishes the claimed message. {@return its sequence number}
     *
     * @throws IllegalStateException if {@code index} is not the open claim, or this sender is closed (naming it)
     */
    long commit(long index);

    /**
     * Gives up the claim: receivers pass over it without seeing a message.
     *
     * @throws IllegalStateException if {@code index} is not the open claim, or this sender is closed (naming it)
     */
    void abort(long index);

    /**
     * Detaches this endpoint from the channel; a claim still open is aborted. Receivers count it as
     * gone at once. A thread waiting in this sender wakes and throws {@link IllegalStateException}.
     * Calling it again does nothing.
     */
    @Override
    void close();
}
