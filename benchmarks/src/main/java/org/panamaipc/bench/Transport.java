package org.panamaipc.bench;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A way to move messages between the ping and the pong process. The harness calls
 * {@link #setUp(String)} in its own process before starting the peers and {@link #tearDown(String)}
 * after they have ended, whatever happened; each peer opens its side with {@link #open(String, boolean)}.
 */
public interface Transport {

    /** {@return the name shown in results, such as {@code "ring-spsc/blocking"}} */
    String name();

    /**
     * {@return the C program that plays both peers of this transport (run as {@code PROGRAM
     * ping|pong SPEC ID MODE SIZE WARMUP_MS MEASURE ITERATIONS} and following {@link BenchPeer}'s
     * protocol), or
     * {@code null} for a transport whose peers are JVMs running {@link BenchPeer}}
     */
    default String nativePeer() {
        return null;
    }

    /**
     * {@return extra JVM options both peers of this transport are started with} Libraries that
     * reach into the JDK's internals need them ({@code --add-opens}, {@code --add-exports}); the
     * default is none.
     */
    default List<String> jvmFlags() {
        return List.of();
    }

    /** Creates the OS objects the run {@code id} needs (segments, queues); the default does nothing. */
    default void setUp(String id) throws Exception {
    }

    /** Removes what {@link #setUp} created and whatever the peers may have left; never throws. */
    default void tearDown(String id) {
    }

    /**
     * Opens one side of run {@code id}. The pong side is opened first and must be ready to accept
     * the ping side when this returns (a socket server listens, for example).
     */
    Side open(String id, boolean ping) throws Exception;

    /**
     * Opens one more sender into the pong's channel of run {@code id}, for the extra producers of
     * {@code tput-producersN}; its {@code receive} is not used. Only transports of many senders
     * have it.
     *
     * @throws UnsupportedOperationException by default
     */
    default Side openProducer(String id) throws Exception {
        throw new UnsupportedOperationException(name() + " takes one producer");
    }

    /** One end: sends to and receives from the other process. Used by one thread. */
    interface Side extends AutoCloseable {

        /** Sends {@code length} bytes of {@code message}, waiting for room if need be. */
        void send(MemorySegment message, int length) throws Exception;

        /** Receives one message into {@code buffer}, waiting for it; {@return its length} */
        int receive(MemorySegment buffer) throws Exception;

        /**
         * Sends the first {@code count} of {@code messages}, {@code length} bytes of each, in order,
         * waiting for room if need be. A transport with batches sends them as few batches as room
         * allows; the default sends them one at a time.
         */
        default void sendBatch(MemorySegment[] messages, int count, int length) throws Exception {
            for (int i = 0; i < count; i++) {
                send(messages[i], length);
            }
        }

        /**
         * Receives at least one and at most {@code limit} messages, waiting for the first, each
         * copied into {@code buffer} in turn, so that {@code buffer} holds the last, or the first
         * control word of the batch (a message whose first 8 bytes are negative: see
         * {@link BenchPeer}) if one came before others (many producers). {@return how many} The
         * default receives one.
         */
        default int receiveBatch(MemorySegment buffer, int limit) throws Exception {
            receive(buffer);
            return 1;
        }

        /**
         * {@return counters the transport keeps, as {@code key=value} pairs for the RESULT line}
         * such as how often a ring was found full; empty by default
         */
        default String counters() {
            return "";
        }

        @Override
        void close() throws Exception;
    }
}
