package org.panamaipc.rpc;

import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.internal.Lifecycle;

import java.util.Objects;

/**
 * How to create an {@link RpcServer} or open an {@link RpcClient}: the server's worker threads,
 * how many messages a port holds, the longest request and response, the permission bits, and how
 * this process waits on its rings.
 *
 * {@snippet lang=java :
 * RpcOptions options = RpcOptions.defaults()
 *         .workers(4)                    // the server answers four requests at once
 *         .maxRequestLength(4096)        // the longest request's encoding, in bytes
 *         .mode(0660);                   // the group may call too
 * }
 *
 * @param workers           the server's worker threads, each running the handler on one request
 *                          at a time; 1 to 1024 (a client ignores it)
 * @param capacity          how many of the longest messages a port holds at least: the server's
 *                          requests, or a client's replies; positive
 * @param maxRequestLength  the longest request's encoding in bytes, which the server records and
 *                          every client finds; 0 means the codec's fixed size (a record's), or
 *                          {@link #DEFAULT_MAX_LENGTH} (a client ignores it)
 * @param maxResponseLength the longest response a client's reply port takes, in bytes; 0 means the
 *                          codec's fixed size or {@link #DEFAULT_MAX_LENGTH}; it never holds less
 *                          than the room an error's type and message need (a server ignores it)
 * @param mode              permission bits of the ports, {@code 0600} by default: whoever may
 *                          write the server's port may call it
 * @param waitStrategy      how this process waits on its rings: {@link WaitStrategy#blocking()}
 *                          by default; the spin budget of a blocking strategy is spent spinning
 *                          at most 2 µs, then yielding, and shrinks while waits end asleep (see
 *                          {@link RpcClient}), then the thread sleeps
 */
public record RpcOptions(int workers, int capacity, int maxRequestLength, int maxResponseLength, int mode,
                         WaitStrategy waitStrategy) {

    /** Workers of {@link #defaults()}: 1. */
    public static final int DEFAULT_WORKERS = 1;
    /** The most worker threads a server may have: 1024. */
    public static final int MAX_WORKERS = 1024;
    /** Capacity of {@link #defaults()}: 256 messages. */
    public static final int DEFAULT_CAPACITY = 256;
    /** The longest request or response of a codec whose encodings differ in size, unless given: 1024 bytes. */
    public static final int DEFAULT_MAX_LENGTH = 1024;

    /** Checks the options. */
    public RpcOptions {
        Objects.requireNonNull(waitStrategy, "waitStrategy");
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers=" + workers + " is outside 1.." + MAX_WORKERS);
        }
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be positive");
        }
        if (maxRequestLength < 0) {
            throw new IllegalArgumentException("maxRequestLength=" + maxRequestLength + " must be 0 (the codec's size) or positive");
        }
        if (maxResponseLength < 0) {
            throw new IllegalArgumentException("maxResponseLength=" + maxResponseLength + " must be 0 (the codec's size) or positive");
        }
        Lifecycle.checkWritableMode(mode, "rpc port");
    }

    /** {@return one worker, 256 messages, lengths from the codecs, mode {@code 0600}, blocking waits} */
    public static RpcOptions defaults() {
        return new RpcOptions(DEFAULT_WORKERS, DEFAULT_CAPACITY, 0, 0, Lifecycle.DEFAULT_MODE, WaitStrategy.blocking());
    }

    /** {@return these options with {@code workers} worker threads} */
    public RpcOptions workers(int workers) {
        return new RpcOptions(workers, capacity, maxRequestLength, maxResponseLength, mode, waitStrategy);
    }

    /** {@return these options with ports of {@code capacity} messages} */
    public RpcOptions capacity(int capacity) {
        return new RpcOptions(workers, capacity, maxRequestLength, maxResponseLength, mode, waitStrategy);
    }

    /** {@return these options with requests of at most {@code maxRequestLength} bytes} */
    public RpcOptions maxRequestLength(int maxRequestLength) {
        return new RpcOptions(workers, capacity, maxRequestLength, maxResponseLength, mode, waitStrategy);
    }

    /** {@return these options with responses of at most {@code maxResponseLength} bytes} */
    public RpcOptions maxResponseLength(int maxResponseLength) {
        return new RpcOptions(workers, capacity, maxRequestLength, maxResponseLength, mode, waitStrategy);
    }

    /** {@return these options with permission bits {@code mode}, such as {@code 0660}} */
    public RpcOptions mode(int mode) {
        return new RpcOptions(workers, capacity, maxRequestLength, maxResponseLength, mode, waitStrategy);
    }

    /** {@return these options with {@code waitStrategy} for this process's waits} */
    public RpcOptions waitStrategy(WaitStrategy waitStrategy) {
        return new RpcOptions(workers, capacity, maxRequestLength, maxResponseLength, mode, waitStrategy);
    }

    /** {@return the longest encoding for a codec of encodings of {@code fixedSize} bytes (-1: they differ), or {@code given}} */
    static int effective(int given, java.util.OptionalLong fixedSize) {
        if (given > 0) {
            return given;
        }
        return fixedSize.isPresent() ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, fixedSize.getAsLong())) : DEFAULT_MAX_LENGTH;
    }
}
