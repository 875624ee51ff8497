package org.panamaipc.channel;

import org.panamaipc.Outcome;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The receiving end of a ring channel, attached to it as one endpoint (see
 * {@link RingChannel#receiver(WaitStrategy)}). A receiver is used by one thread at a time.
 *
 * <p>Every receive comes in the three forms of the convention (docs/conventions.md):
 * <table class="striped">
 * <caption>The forms of a receive</caption>
 * <thead><tr><th scope="col">returns at once</th><th scope="col">waits as long as it takes</th>
 *     <th scope="col">waits at most a {@code Duration}</th><th scope="col">returns</th></tr></thead>
 * <tbody>
 * <tr><td>{@code poll(handler, limit)}</td><td>{@code receive(handler, limit)}</td>
 *     <td>{@code receive(handler, limit, timeout)}</td><td>how many it handed over, {@code EMPTY}, {@code CLOSED}</td></tr>
 * <tr><td>{@code tryReceive(segment, offset)}</td><td>{@code receive(segment, offset)}</td>
 *     <td>{@code receive(segment, offset, timeout)}</td><td>the length, {@code EMPTY}, {@code CLOSED}</td></tr>
 * <tr><td>{@code tryReceive(buffer)}</td><td>{@code receive(buffer)}</td>
 *     <td>{@code receive(buffer, timeout)}</td><td>the length, {@code EMPTY}, {@code CLOSED}</td></tr>
 * <tr><td>{@code tryReceiveBytes()}</td><td>{@code receiveBytes()}</td>
 *     <td>{@code receiveBytes(timeout)}</td><td>the payload, or {@code null}</td></tr>
 * </tbody>
 * </table>
 * {@link #EMPTY} means nothing came, now or within the timeout; the blocking forms never return
 * it. {@link #CLOSED} means every sender has gone and nothing committed is left: none is alive,
 * while one was alive when this receiver attached or one attached since (a receiver that has never
 * had a sender waits for one). The forms that return an array say it with
 * {@link org.panamaipc.PeerGoneException}. It is not final: once a sender attaches again, messages
 * flow again. A sender that closes wakes a receiver waiting for it at once; so does one that dies
 * (a thread of this JVM watches the senders' processes through pidfds), and space a dead sender
 * had claimed but not committed is passed over first. A blocked receiver makes no system call
 * while nothing happens: it sleeps in one {@code futex_waitv} on the ring's word and a word of its
 * own thread that {@link Thread#interrupt()} changes, so neither an interrupt nor a sender's death
 * needs it to wake by itself to look. Where the kernel lacks {@code futex_waitv} (before Linux
 * 5.16) or pidfds, it sleeps in slices of 250 ms, and notices a death within one. A receiver made with
 * {@link RingChannel#receiver(WaitStrategy, boolean) receiver(strategy, false)} is never told:
 * it waits through the absence of senders for the next one, as a long-lived server does.
 *
 * <p>A copying receive writes the payload at the destination's offset (a {@code ByteBuffer}'s
 * position, which then moves past it; when nothing came the position is unchanged), and
 * {@link #lastHeader()} then describes the message; those forms allocate nothing. A timeout of
 * zero or less does not wait (the call behaves as its try form); one too long to count in
 * nanoseconds, such as {@code Duration.ofSeconds(Long.MAX_VALUE)}, waits as long as it takes. A
 * {@code null} argument is a {@link NullPointerException} that names the parameter, thrown before
 * anything is taken. A {@link MessageHandler} that throws has consumed its message (and those
 * handed over before it); the exception reaches the caller, and the messages after it stay for the
 * next call. A handler may not close its receiver or the channel, nor receive from its receiver
 * (each an {@link IllegalStateException} that says so; it may send, and receive from others). A
 * record that cannot be right (written by a broken or hostile process) is an
 * {@link org.panamaipc.shm.InvalidSegmentException} that says where it is. A thread waiting in a
 * receive when another thread closes this receiver or its channel wakes and throws
 * {@link IllegalStateException} naming it.
 *
 * <p>A receive loop, handling messages in place:
 * {@snippet lang=java :
 * MessageHandler handler = (header, buffer, offset, length) ->
 *         process(header.type(), buffer.asSlice(offset, length));
 * while (receiver.receive(handler, 64) != Receiver.CLOSED) {
 *     // handled up to 64 messages; CLOSED: every sender is gone and the channel is drained
 * }
 * }
 */
public interface Receiver extends AutoCloseable {

    /** Nothing to receive (now, or within the timeout): {@link Outcome#EMPTY}. */
    int EMPTY = Outcome.EMPTY;
    /** Nothing to receive, and every sender has gone: {@link Outcome#CLOSED}. */
    int CLOSED = Outcome.CLOSED;

    /** {@return this endpoint's id} */
    int endpointId();

    /**
     * Hands up to {@code limit} waiting messages to {@code handler}, without waiting.
     * {@return how many it handed over ({@code >= 1}), or {@link #EMPTY} or {@link #CLOSED}}
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    int poll(MessageHandler handler, int limit);

    /**
     * Waits until at least one message is there, then hands up to {@code limit} to {@code handler}.
     * {@return how many ({@code >= 1}), or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(MessageHandler handler, int limit) throws InterruptedException;

    /**
     * Waits at most {@code timeout} for a message, then hands up to {@code limit} to {@code handler}.
     * {@return how many ({@code >= 1}), or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(MessageHandler handler, int limit, Duration timeout) throws InterruptedException;

    /**
     * Copies the next message's payload into {@code destination} from {@code offset}, without
     * waiting; {@link #lastHeader()} then describes it. Allocates nothing.
     * {@return the payload's length, or {@link #EMPTY} or {@link #CLOSED}}
     *
     * @throws IllegalArgumentException if {@code offset} is negative, or the message does not fit
     *         from it; the message stays in the channel
     */
    int tryReceive(MemorySegment destination, long offset);

    /**
     * As {@link #tryReceive(MemorySegment, long)}, waiting as long as it takes.
     * {@return the length, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(MemorySegment destination, long offset) throws InterruptedException;

    /**
     * As {@link #tryReceive(MemorySegment, long)}, waiting at most {@code timeout}.
     * {@return the length, or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(MemorySegment destination, long offset, Duration timeout) throws InterruptedException;

    /**
     * Copies the next message's payload into {@code destination} at its position, without
     * waiting, and moves the position past it; {@link #lastHeader()} then describes it. Allocates
     * nothing. {@return the payload's length, or {@link #EMPTY} or {@link #CLOSED}}, the position
     * unchanged then.
     *
     * @throws IllegalArgumentException if the message does not fit in the buffer's remaining
     *         bytes (it stays in the channel), or the buffer is read-only
     */
    int tryReceive(ByteBuffer destination);

    /**
     * As {@link #tryReceive(ByteBuffer)}, waiting as long as it takes. {@return the length, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(ByteBuffer destination) throws InterruptedException;

    /**
     * As {@link #tryReceive(ByteBuffer)}, waiting at most {@code timeout}.
     * {@return the length, or {@link #EMPTY} on timeout, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(ByteBuffer destination, Duration timeout) throws InterruptedException;

    /**
     * Receives one message as a new array if one is there; {@link #lastHeader()} then describes it.
     * {@return the payload, or {@code null} if none is there}
     *
     * @throws org.panamaipc.PeerGoneException if every sender has gone and nothing is left
     */
    byte[] tryReceiveBytes();

    /**
     * Receives one message as a new array, waiting as long as it takes. {@return the payload}
     *
     * @throws org.panamaipc.PeerGoneException if every sender has gone and nothing is left
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    byte[] receiveBytes() throws InterruptedException;

    /**
     * Receives one message as a new array, waiting at most {@code timeout}. {@return the payload,
     * or {@code null} if none came in time}
     *
     * @throws org.panamaipc.PeerGoneException if every sender has gone and nothing is left
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    byte[] receiveBytes(Duration timeout) throws InterruptedException;

    /** {@return the header of the message last received through a copying receive} */
    MessageHeader lastHeader();

    /**
     * Detaches this endpoint from the channel. Senders count it as gone at once (and wake if asleep
     * on a full ring). A thread waiting in this receiver wakes and throws
     * {@link IllegalStateException}. Calling it again does nothing.
     *
     * @throws IllegalStateException if called from inside a handler of this receiver
     */
    @Override
    void close();
}
