package org.panamaipc.channel;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * The receiving end of a ring channel, attached to it as one endpoint (see
 * {@link RingChannel#receiver(WaitStrategy, boolean)}). A receiver is used by one thread at a time.
 *
 * <p>Receiving comes in three forms: {@code poll}/{@code tryReceive} return at once,
 * {@code receive} waits as long as it takes, and {@code receive(..., Duration)} waits at most that
 * long. Results are counts or lengths ({@code >= 0}) or negative codes: {@link #EMPTY} (nothing
 * now, or not within the timeout) and {@link #CLOSED} (nothing, and, if the receiver asked to be
 * told, the senders have gone: none is alive, while one was alive when this receiver attached or
 * attached since, and nothing committed is left). A waiting receive of a receiver that asked to
 * be told returns {@code CLOSED} then, with or without a timeout: a sender that closes wakes it
 * at once, one that dies is noticed within its sleep slice (250 ms), and space a dead sender had
 * claimed but not committed is passed over first.
 *
 * <p>A timeout of zero or less does not wait (the call behaves as its try form); one too long to
 * count in nanoseconds, such as {@code Duration.ofSeconds(Long.MAX_VALUE)}, waits as long as it
 * takes. A {@code null} argument is a {@link NullPointerException} that names the parameter,
 * thrown before anything is taken. A {@link MessageHandler} that throws has consumed its message
 * (and those handed over before it); the exception reaches the caller, and the messages after it
 * stay for the next call. A record that cannot be right (written by a broken or hostile process)
 * is an {@link org.panamaipc.shm.InvalidSegmentException} that says where it is.
 *
 * <p>A receive loop, handling messages in place:
 * {@snippet lang=java :
 * MessageHandler handler = (header, buffer, offset, length) ->
 *         process(header.type(), buffer.asSlice(offset, length));
 * while (running) {
 *     if (receiver.receive(handler, 64, Duration.ofSeconds(1)) == Receiver.CLOSED) {
 *         break;                          // every sender is gone and the channel is drained
 *     }
 * }
 * }
 */
public interface Receiver extends AutoCloseable {

    /** Nothing to receive (now, or within the timeout). */
    int EMPTY = -1;
    /** Nothing to receive, and every sender that attached has gone (only if asked for). */
    int CLOSED = -2;

    /** {@return this endpoint's id} */
    int endpointId();

    /**
     * Hands up to {@code limit} waiting messages to {@code handler}, without waiting.
     * {@return how many it handed over (0 if none), or {@link #CLOSED}}
     */
    int poll(MessageHandler handler, int limit);

    /**
     * Waits until at least one message is there, then hands up to {@code limit} to {@code handler}.
     * {@return how many, or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(MessageHandler handler, int limit) throws InterruptedException;

    /**
     * Waits at most {@code timeout} for a message, then hands up to {@code limit} to {@code handler}.
     * {@return how many (0 on timeout), or {@link #CLOSED}}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int receive(MessageHandler handler, int limit, Duration timeout) throws InterruptedException;

    /**
     * Copies the next message's payload into {@code destination} from {@code offset}, without
     * waiting; {@link #lastHeader()} then describes it. Allocates nothing.
     * {@return the payload's length, or {@link #EMPTY} or {@link #CLOSED}}
     *
     * @throws IllegalArgumentException if the message does not fit; it stays in the channel
     */
    int tryReceive(MemorySegment destination, long offset);

    /**
     * As {@link #tryReceive(MemorySegment, long)}, waiting as long as it takes.
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
     * Receives one message as a new array, waiting at most {@code timeout}. {@return the payload,
     * or {@code null} on timeout or when closed}
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    byte[] receiveBytes(Duration timeout) throws InterruptedException;

    /** {@return the header of the message last received through a copying receive} */
    MessageHeader lastHeader();

    /** Detaches this endpoint from the channel. Idempotent. */
    @Override
    void close();
}
