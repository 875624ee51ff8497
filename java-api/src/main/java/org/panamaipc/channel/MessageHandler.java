package org.panamaipc.channel;

import java.lang.foreign.MemorySegment;

/**
 * Receives messages from {@link Receiver#poll(MessageHandler, int)} and the blocking receives.
 * The payload is {@code length} bytes of {@code buffer} from {@code offset}; for single-receiver
 * channels it is read in place in shared memory, so it is valid only during the call.
 *
 * <p>A handler that throws has consumed its message: the exception propagates out of the receive,
 * the message is not handed over again, and the messages after it stay in the channel. (Handing it
 * over again would let one message that always makes its handler throw stop the channel for good.)
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
