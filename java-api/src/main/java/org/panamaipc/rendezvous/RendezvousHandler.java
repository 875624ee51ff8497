package org.panamaipc.rendezvous;

import java.lang.foreign.MemorySegment;

/**
 * Receives messages from {@link RendezvousReceiver#poll(RendezvousHandler, int)} and the receives
 * that take a handler. The payload is {@code length} bytes of {@code buffer} from {@code offset}:
 * a copy in the receiver's own memory, valid only during the call. Its sender has been
 * acknowledged before the handler runs: a handler that throws has consumed its message, and the
 * exception propagates out of the receive. A handler may not close its receiver, nor receive from
 * it ({@link IllegalStateException}): a receive would overwrite the message it holds.
 */
@FunctionalInterface
public interface RendezvousHandler {

    /**
     * Handles one message.
     *
     * @param header the message's sequence number, type, length and sender (a reusable view)
     * @param buffer the memory that holds the payload
     * @param offset where the payload starts in {@code buffer}
     * @param length the payload's length
     */
    void onMessage(RendezvousHeader header, MemorySegment buffer, long offset, int length);
}
