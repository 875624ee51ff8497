package org.panamaipc.channel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The messages the C peer {@code native/src/ring_peer.c} sends and expects, computed the same way
 * on the Java side: message number {@code seq} (its sender's sequence number, from 1) with seed
 * {@code S} has
 * <pre>
 *   length = ((seq * 0x9E3779B97F4A7C15 + S) >>> 40) mod (min(1000, max message length) + 1)
 *   type   = (seq + S) mod 1000 + 1
 *   byte i = (seq * 31 + S + i) mod 256
 * </pre>
 */
final class PeerPattern {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private PeerPattern() {
    }

    /** {@return the longest pattern message on a channel with {@code maxMessageLength}} */
    static int limit(int maxMessageLength) {
        return Math.min(1000, maxMessageLength);
    }

    static int length(long sequence, long seed, int limit) {
        return (int) (((sequence * 0x9E3779B97F4A7C15L + seed) >>> 40) % (limit + 1));
    }

    static int type(long sequence, long seed) {
        return (int) ((sequence + seed) % 1000) + 1;
    }

    static byte at(long sequence, long seed, int i) {
        return (byte) (sequence * 31 + seed + i);
    }

    /**
     * Sends messages 1..count of the pattern, claiming in place; before every {@code abortEvery}-th
     * message (if positive) it claims space and aborts it, which leaves a SKIP record and uses no
     * sequence number.
     */
    static void send(Sender sender, long count, long seed, int abortEvery) throws InterruptedException {
        int limit = limit(sender.maxMessageLength());
        MemorySegment ring = sender.buffer();
        for (long sequence = 1; sequence <= count; sequence++) {
            if (abortEvery > 0 && sequence % abortEvery == 0) {
                sender.abort(claim(sender, -1, length(sequence, seed + 1, limit), sequence));
            }
            int length = length(sequence, seed, limit);
            long index = claim(sender, type(sequence, seed), length, sequence);
            for (int i = 0; i < length; i++) {
                ring.set(ValueLayout.JAVA_BYTE, index + i, at(sequence, seed, i));
            }
            assertEquals(sequence, sender.commit(index), "the sequence number the channel gave");
        }
    }

    private static long claim(Sender sender, int type, int length, long sequence) throws InterruptedException {
        long index = sender.claim(type, length, WAIT);
        if (index < 0) {
            throw new AssertionError("claim for message " + sequence + " returned " + index
                    + (index == Sender.FULL ? ": still full after " + WAIT : ": every receiver has gone"));
        }
        return index;
    }

    /**
     * Checks messages as they arrive: the pattern, and that the sequence numbers of each source
     * follow each other (a 1 starts a new sender in that slot; with {@code gaps}, numbers may skip
     * because other receivers take some).
     */
    static final class Checker implements MessageHandler {

        private final long seed;
        private final int limit;
        private final boolean gaps;
        private final long[] lastSequence;
        private final Set<Integer> sources = new TreeSet<>();
        private long received;
        private long sequenceSum;

        Checker(long seed, int maxMessageLength, int slots, boolean gaps) {
            this.seed = seed;
            this.limit = limit(maxMessageLength);
            this.gaps = gaps;
            this.lastSequence = new long[slots];
        }

        Checker(long seed, RingChannel channel) {
            this(seed, channel.maxMessageLength(), ChannelOptions.DEFAULT_ENDPOINT_SLOTS, false);
        }

        @Override
        public void onMessage(MessageHeader header, MemorySegment buffer, long offset, int length) {
            long sequence = header.sequence();
            int source = header.source();
            String what = "message " + (received + 1) + " (sequence " + sequence + " from endpoint " + source + ")";
            if (source < 0 || source >= lastSequence.length) {
                throw new AssertionError(what + ": source is not an endpoint id");
            }
            long last = lastSequence[source];
            if (!(sequence == last + 1 || sequence == 1 && last > 0 || gaps && sequence > last)) {
                throw new AssertionError(what + " follows sequence " + last);
            }
            lastSequence[source] = sequence;
            if (length != length(sequence, seed, limit) || header.type() != type(sequence, seed)) {
                throw new AssertionError(what + " has length " + length + " and type " + header.type()
                        + ", expected " + length(sequence, seed, limit) + " and " + type(sequence, seed));
            }
            for (int i = 0; i < length; i++) {
                byte found = buffer.get(ValueLayout.JAVA_BYTE, offset + i);
                if (found != at(sequence, seed, i)) {
                    throw new AssertionError(what + " byte " + i + " is " + found + ", expected " + at(sequence, seed, i));
                }
            }
            sources.add(source);
            received++;
            sequenceSum += sequence;
        }

        /** Receives until {@code count} messages in all have passed the check, failing after 30 s without one. */
        void receive(Receiver receiver, long count) throws InterruptedException {
            while (received < count) {
                int n = receiver.receive(this, (int) Math.min(64, count - received), WAIT);
                if (n == Receiver.EMPTY) {
                    throw new AssertionError("no message within " + WAIT + " after " + received + " of " + count);
                }
                if (n == Receiver.CLOSED) {
                    throw new AssertionError("every sender has gone after " + received + " of " + count + " messages");
                }
            }
        }

        /** Receives until every sender has gone and the channel is empty; {@code receiver} must have asked to be told. */
        void receiveUntilClosed(Receiver receiver) throws InterruptedException {
            while (true) {
                int n = receiver.receive(this, 64, WAIT);
                if (n == Receiver.CLOSED) {
                    return;
                }
                if (n == Receiver.EMPTY) {
                    throw new AssertionError("neither a message nor CLOSED within " + WAIT + " after " + received);
                }
            }
        }

        long received() {
            return received;
        }

        long sequenceSum() {
            return sequenceSum;
        }

        /** {@return the endpoint ids that messages came from} */
        Set<Integer> sources() {
            return sources;
        }
    }
}
