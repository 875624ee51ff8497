package org.panamaipc.channel;

import java.lang.foreign.MemorySegment;

/**
 * Receives messages from {@link Receiver#poll(MessageHandler, int)} and the blocking receives.
 * The payload is {@code length} bytes of {@code buffer} from {@code offset}; for single-receiver
 * channels it is read in place in shared memory, so it is valid only during the call.
 */
@FunctionalInterface
public interface MessageHandler {

    /**
     * Handles one message.
     *
     * @param header the message's type, source, sequence and length (a reusable view)
     * @param buffer the memory that holds the payload
     * @param offset where the payload starts in {@code buffer}
     * @param length the payload's length
     */
    void onMessage(MessageHeader header, MemorySegment buffer, long offset, int length);
}
