package org.panamaipc.message;

import java.lang.foreign.MemorySegment;

/**
 * Receives the encoding of one value in place, without decoding it: read what you need through
 * {@link org.panamaipc.codec.RecordField}s, or decode it with the codec. The bytes and the header
 * are valid only during the call.
 *
 * {@snippet lang=java :
 * static final RecordCodec<Order> ORDERS = Codec.ofRecord(Order.class);
 * static final RecordField ID = ORDERS.field("id");
 *
 * receiver.poll((header, segment, offset, length) -> process(ID.getLong(segment, offset)), 64);
 * }
 *
 * <p>A handler that throws has consumed its message: the exception reaches the caller of the
 * receive, and the messages after it stay.
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * Handles one message.
     *
     * @param header  the message's header (a reusable view)
     * @param segment the memory that holds the value's encoding
     * @param offset  where the encoding starts in {@code segment}
     * @param length  the encoding's length in bytes
     */
    void onRecord(Header header, MemorySegment segment, long offset, int length);
}
