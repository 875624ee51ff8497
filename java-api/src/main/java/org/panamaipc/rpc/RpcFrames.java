package org.panamaipc.rpc;

import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MalformedMessageException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The two frames of the protocol, each the message of a {@link org.panamaipc.message.Port}:
 * <pre>
 * request (to the server's port)             reply (to the client's reply port)
 *   0  correlation id      (64)                0  correlation id        (64)
 *   8  client id           (64)                8  status: OK, ERROR, NULL (32)
 *  16  deadline, CLOCK_MONOTONIC ns, 0: none  12  (zero)                (32)
 *  24  the request's encoding                 16  OK: the response's encoding
 *                                                 ERROR: type length (32), type (UTF-8),
 *                                                        message length (32, -1: none), message
 * </pre>
 * A request of correlation id 0 is the server's own, telling a worker to stop. The client id names
 * the client's reply port: {@link #replyPortName}.
 */
final class RpcFrames {

    static final int REQUEST_HEADER = 24;
    static final int REPLY_HEADER = 16;
    static final int OK = 0;
    static final int ERROR = 1;
    /** A response of {@code null}, which a codec need not encode. */
    static final int NULL = 2;
    /** The correlation id of a request that stops a worker, and of a reply that stops the reader. */
    static final long STOP = 0;
    /** The least room a reply port gives a value: enough for an error's type and message. */
    static final int MIN_REPLY_ROOM = 512;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private RpcFrames() {
    }

    /** {@return the name of the reply port of client {@code clientId} of server {@code server}} */
    static String replyPortName(String server, long clientId) {
        return server + ".c" + Long.toHexString(clientId);
    }

    /** The suffix {@link #replyPortName} adds at most: ".c" and 16 hex digits. */
    static final int REPLY_SUFFIX_BYTES = 18;

    /** A request as the client sends it: mutable, reused by one sending thread at a time. */
    static final class Request<Q> {
        long id;
        long clientId;
        long deadline;
        Q value;
    }

    /** A reply as a server worker sends it: mutable, one per worker. */
    static final class Reply<R> {
        long id;
        int status;
        R value;
        String errorType;
        String errorMessage;
    }

    /** Encodes requests: the header, then the value with the caller's codec. */
    static final class RequestCodec<Q> implements Codec<Request<Q>> {
        final Codec<Q> values;

        RequestCodec(Codec<Q> values) {
            this.values = Objects.requireNonNull(values, "requestCodec");
        }

        @Override
        public long encode(Request<Q> request, MemorySegment target, long offset) {
            if (target.byteSize() - offset < REQUEST_HEADER) {
                return -REQUEST_HEADER;
            }
            target.set(LONG, offset, request.id);
            target.set(LONG, offset + 8, request.clientId);
            target.set(LONG, offset + 16, request.deadline);
            if (request.value == null) {
                return REQUEST_HEADER;
            }
            long written = values.encode(request.value, target, offset + REQUEST_HEADER);
            return written < 0 ? written - REQUEST_HEADER : written + REQUEST_HEADER;
        }

        @Override
        public long encodedSize(Request<Q> request) {
            if (request.value == null) {
                return REQUEST_HEADER;
            }
            long size = values.encodedSize(request.value);
            return size < 0 ? -1 : size + REQUEST_HEADER;
        }

        @Override
        public Request<Q> decode(MemorySegment source) {
            throw new UnsupportedOperationException("requests are read in place");
        }

        @Override
        public String toString() {
            return "request(" + values + ")";
        }
    }

    /** Encodes replies: the header, then the value or the error. */
    static final class ReplyCodec<R> implements Codec<Reply<R>> {
        final Codec<R> values;

        ReplyCodec(Codec<R> values) {
            this.values = Objects.requireNonNull(values, "responseCodec");
        }

        @Override
        public long encode(Reply<R> reply, MemorySegment target, long offset) {
            long room = target.byteSize() - offset;
            if (room < REPLY_HEADER) {
                return -REPLY_HEADER;
            }
            target.set(LONG, offset, reply.id);
            target.set(INT, offset + 8, reply.status);
            target.set(INT, offset + 12, 0);
            if (reply.status == NULL) {
                return REPLY_HEADER;
            }
            if (reply.status == OK) {
                long written = values.encode(reply.value, target, offset + REPLY_HEADER);
                return written < 0 ? written - REPLY_HEADER : written + REPLY_HEADER;
            }
            long at = offset + REPLY_HEADER;
            at = putString(target, at, reply.errorType);
            if (at < 0) {
                return at;
            }
            at = putString(target, at, reply.errorMessage);
            return at < 0 ? at : at - offset;
        }

        @Override
        public long encodedSize(Reply<R> reply) {
            if (reply.status == NULL) {
                return REPLY_HEADER;
            }
            if (reply.status != OK) {
                return -1;
            }
            long size = values.encodedSize(reply.value);
            return size < 0 ? -1 : size + REPLY_HEADER;
        }

        @Override
        public Reply<R> decode(MemorySegment source) {
            throw new UnsupportedOperationException("replies are read in place");
        }

        @Override
        public String toString() {
            return "reply(" + values + ")";
        }
    }

    private static long putString(MemorySegment target, long at, String text) {
        if (text == null) {
            if (target.byteSize() - at < Integer.BYTES) {
                return -(at + Integer.BYTES);
            }
            target.set(INT, at, -1);
            return at + Integer.BYTES;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (target.byteSize() - at < Integer.BYTES + bytes.length) {
            return -(at + Integer.BYTES + bytes.length);
        }
        target.set(INT, at, bytes.length);
        MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, at + Integer.BYTES, bytes.length);
        return at + Integer.BYTES + bytes.length;
    }

    /** Reads a string written by {@link #putString} at {@code at}; {@code end} bounds it. */
    static String getString(MemorySegment source, long at, long end, long[] next) {
        if (end - at < Integer.BYTES) {
            throw new MalformedMessageException("reply", "an error reply ends inside a string's length");
        }
        int length = source.get(INT, at);
        if (length == -1) {
            next[0] = at + Integer.BYTES;
            return null;
        }
        if (length < 0 || length > end - at - Integer.BYTES) {
            throw new MalformedMessageException("reply", "an error reply's string of length " + length
                    + " does not fit in its " + (end - at - Integer.BYTES) + " bytes");
        }
        byte[] bytes = source.asSlice(at + Integer.BYTES, length).toArray(ValueLayout.JAVA_BYTE);
        next[0] = at + Integer.BYTES + length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@return {@code text} cut to at most {@code maxBytes} bytes of UTF-8 (a character is never split)} */
    static String truncate(String text, int maxBytes) {
        if (text == null || text.length() * 3L <= maxBytes) {
            return text;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    static long getLong(MemorySegment segment, long offset) {
        return segment.get(LONG, offset);
    }

    static int getInt(MemorySegment segment, long offset) {
        return segment.get(INT, offset);
    }
}
