package org.panamaipc.broadcast;

import java.lang.foreign.MemorySegment;

/**
 * Receives messages from {@link Subscriber#poll(BroadcastHandler, int)} and the receives that take
 * a handler. The payload is {@code length} bytes of {@code buffer} from {@code offset}: a copy in
 * the subscriber's own memory (the publisher may overwrite the record meanwhile), valid only
 * during the call.
 *
 * <p>A handler that throws has consumed its message: the exception propagates out of the receive,
 * and the messages after it stay for the next call. A handler may not close its subscriber, nor
 * receive from it ({@link IllegalStateException}): a receive would overwrite the message it holds.
 */
@FunctionalInterface
public interface BroadcastHandler {

    /**
     * Handles one message.
     *
     * @param header the message's sequence number, type, length and the messages lost just before it
     *               (a reusable view)
     * @param buffer the memory that holds the payload
     * @param offset where the payload starts in {@code buffer}
     * @param length the payload's length
     */
    void onMessage(BroadcastHeader header, MemorySegment buffer, long offset, int length);
}
