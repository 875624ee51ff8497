package org.panamaipc.unbounded;

import java.lang.foreign.MemorySegment;

/**
 * Receives messages from {@link UnboundedReceiver#poll(LinkHandler, int)} and the receives that
 * take a handler. The payload is {@code length} bytes of {@code buffer} from {@code offset}: a copy
 * in the receiver's own memory, valid only during the call. A handler that throws has consumed its
 * message: the exception propagates out of the receive, and the messages after it stay in the
 * link. A handler may not close its receiver, nor receive from it ({@link IllegalStateException}):
 * a receive would overwrite the message it holds.
 */
@FunctionalInterface
public interface LinkHandler {

    /**
     * Handles one message.
     *
     * @param header the message's sequence number, type and length (a reusable view)
     * @param buffer the memory that holds the payload
     * @param offset where the payload starts in {@code buffer}
     * @param length the payload's length
     */
    void onMessage(LinkHeader header, MemorySegment buffer, long offset, int length);
}
