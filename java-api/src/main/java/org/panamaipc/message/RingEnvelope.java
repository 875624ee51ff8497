package org.panamaipc.message;

import org.panamaipc.channel.MessageHeader;
import org.panamaipc.codec.MalformedMessageException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.panamaipc.message.EnvelopeDescriptor.*;

/**
 * The envelope of a message in a ring record ({@link EnvelopeDescriptor}), written by the senders
 * of this package ({@link TypedSender}, a mailbox over a ring) and read by its receivers
 * ({@link TypedReceiver}, the mailbox), so that every receiver's {@link Header} says the sending
 * process and the send time besides what the ring's record header says.
 */
final class RingEnvelope {

    /** The envelope's first eight bytes as this process writes them: the magic, then its pid. */
    private static final long MAGIC_AND_PID = (MAGIC & 0xFFFF_FFFFL) | ((long) Link.PID << 32);

    private RingEnvelope() {
    }

    /**
     * Writes the envelope at {@code index} of {@code buffer}: this process's pid, {@code sendTime}
     * ({@link MessageClock#nanos()}) and {@code replyTo}. Plain stores: the ring's commit publishes them.
     */
    static void write(MemorySegment buffer, long index, long sendTime, long replyTo) {
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, index + MAGIC_OFFSET, MAGIC_AND_PID);
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, index + SEND_TIME_OFFSET, sendTime);
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, index + REPLY_TO_OFFSET, replyTo);
    }

    /**
     * Reads the envelope of the {@code length}-byte payload at {@code offset} of {@code buffer} into
     * {@code header}, with what the ring's record header says.
     *
     * @param codec  the receiver's codec, named by the exception (a string made only then)
     * @param object what receives, named by the exception (likewise)
     * @throws MalformedMessageException if the payload does not start with an envelope: some
     *         writer other than this package's senders put it there
     */
    static void read(Header header, MessageHeader ring, MemorySegment buffer, long offset, int length,
                     Object codec, Object object) {
        if (length < LENGTH || buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset + MAGIC_OFFSET) != MAGIC) {
            throw new MalformedMessageException(codec.toString(), "the record of " + length + " bytes from endpoint "
                    + ring.source() + " in " + object + " does not start with a message envelope (magic "
                    + Integer.toHexString(MAGIC) + "): a writer other than a TypedSender or mailbox put it there"
                    + ", or a TypedSender.withoutEnvelope (receive its bare records"
                    + " with TypedReceiver.withoutEnvelope)");
        }
        header.set(ring.type(), ring.source(), buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset + SOURCE_PID_OFFSET),
                length - LENGTH, ring.sequence(), 0,
                buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + SEND_TIME_OFFSET),
                buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + REPLY_TO_OFFSET));
    }
}
