package org.panamaipc.mq;

import org.panamaipc.Outcome;
import org.panamaipc.codec.Codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The memory a message queue's calls hand the kernel, and what they hand back: the checks of a
 * send or receive, the copy of a message that is not in native memory into this thread's scratch
 * buffer ({@link Scratch}), and after a receive the copy out of it, the position of a
 * {@code ByteBuffer}, and the thread's {@link QueueMessageHeader}.
 *
 * <p>Every {@code stage} and {@code prepare} method checks its arguments first, then begins the call
 * ({@link QueueHandle#beginOp()}) as its last step, so that nothing can fail between that and the
 * {@link QueueTransfer} method that ends it. Nothing here allocates in steady state except
 * {@link #toMessage}.
 */
final class QueueBuffers {

    private final QueueHandle handle;
    private final ThreadLocal<QueueMessageHeader> lastHeader = ThreadLocal.withInitial(QueueMessageHeader::new);

    QueueBuffers(QueueHandle handle) {
        this.handle = handle;
    }

    // sending

    /** {@return the native memory holding {@code message}}, after checking it and beginning the call */
    MemorySegment stage(byte[] message, int priority) {
        Objects.requireNonNull(message, "message");
        checkSend(message.length, priority);
        MemorySegment buffer = Scratch.current().buffer(handle.maxMessageLength);
        MemorySegment.copy(message, 0, buffer, ValueLayout.JAVA_BYTE, 0, message.length);
        handle.beginOp();
        return buffer;
    }

    /** {@return the native memory holding the remaining bytes of {@code message}}, position unchanged */
    MemorySegment stage(ByteBuffer message, int priority) {
        Objects.requireNonNull(message, "message");
        int length = message.remaining();
        checkSend(length, priority);
        Scratch scratch = Scratch.current();
        MemorySegment buffer = scratch.buffer(handle.maxMessageLength);
        scratch.view(length).put(0, message, message.position(), length);
        handle.beginOp();
        return buffer;
    }

    /** {@return {@code message} itself if it is native, else a copy in this thread's scratch buffer} */
    MemorySegment stage(MemorySegment message, int priority) {
        Objects.requireNonNull(message, "message");
        long length = message.byteSize();
        checkSend(length, priority);
        MemorySegment source = message;
        if (!message.isNative()) {
            source = Scratch.current().buffer(handle.maxMessageLength);
            MemorySegment.copy(message, 0, source, 0, length);
        }
        handle.beginOp();
        return source;
    }

    /**
     * Encodes {@code value} into this thread's scratch buffer ({@link #scratch()}) and begins the
     * call; {@return the encoding's length}
     */
    long stageEncoded(Codec<?> codec, Object value, int priority) {
        Objects.requireNonNull(value, "value");
        checkPriority(priority);
        checkCanSend();
        MemorySegment buffer = Scratch.current().sized(handle.maxMessageLength);
        @SuppressWarnings("unchecked")
        long length = ((Codec<Object>) codec).encode(value, buffer, 0);
        if (length < 0 || length > handle.maxMessageLength) {
            throw handle.tooLong(length < 0 ? -length : length);
        }
        handle.beginOp();
        return length;
    }

    /** {@return this thread's scratch buffer, where encoded and received messages are} */
    MemorySegment scratch() {
        return Scratch.current().buffer(handle.maxMessageLength);
    }

    /** Moves the position of {@code message} to its limit if it was sent; {@return {@code sent}} */
    static long advanced(ByteBuffer message, long sent) {
        if (sent >= 0) {
            message.position(message.limit());
        }
        return sent;
    }

    private void checkSend(long length, int priority) {
        checkPriority(priority);
        if (length > handle.maxMessageLength) {
            throw handle.tooLong(length);
        }
        checkCanSend();
    }

    private void checkCanSend() {
        if (!handle.access.canWrite()) {
            throw new IllegalStateException("message queue " + handle.name + " is open " + handle.access
                    + ": it cannot send");
        }
    }

    static void checkPriority(int priority) {
        if (priority < 0 || priority > MessageQueue.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority=" + priority + " is outside 0.." + MessageQueue.MAX_PRIORITY
                    + " (MQ_PRIO_MAX - 1)");
        }
    }

    // receiving

    /** Checks that the queue receives, begins the call, and {@return this thread's scratch buffer} */
    MemorySegment prepareScratch() {
        checkCanReceive();
        MemorySegment buffer = scratch();
        handle.beginOp();
        return buffer;
    }

    /** {@return the memory the kernel writes into: {@code into} if it is native, else the scratch buffer} */
    MemorySegment prepare(MemorySegment into) {
        Objects.requireNonNull(into, "into");
        checkCanReceive();
        checkTarget(into.byteSize(), into.isReadOnly(), "byteSize");
        if (!into.isNative()) {
            return prepareScratch();
        }
        handle.beginOp();
        return into;
    }

    /** {@return the scratch buffer, which {@link #delivered(ByteBuffer, int)} copies into {@code into}} */
    MemorySegment prepare(ByteBuffer into) {
        Objects.requireNonNull(into, "into");
        checkCanReceive();
        checkTarget(into.remaining(), into.isReadOnly(), "remaining");
        return prepareScratch();
    }

    private void checkCanReceive() {
        if (!handle.access.canRead()) {
            throw new IllegalStateException("message queue " + handle.name + " is open " + handle.access
                    + ": it cannot receive");
        }
    }

    private void checkTarget(long room, boolean readOnly, String what) {
        if (room < handle.maxMessageLength) {
            throw new IllegalArgumentException("into " + what + "=" + room + " is less than maxMessageLength="
                    + handle.maxMessageLength + " of message queue " + handle.name + ": a message might not fit");
        }
        if (readOnly) {
            throw new IllegalArgumentException("into is read-only");
        }
    }

    /** Notes a received message in {@link #lastHeader()}; {@return its length, or {@link Outcome#EMPTY}} */
    int noted(int length) {
        if (length >= 0) {
            lastHeader.get().set(length, QueueTransfer.lastPriority());
        }
        return length;
    }

    /** Copies what the kernel wrote into {@code target} to {@code into} if they differ; {@return {@code length}} */
    int delivered(MemorySegment into, MemorySegment target, int length) {
        if (length >= 0 && target != into) {
            MemorySegment.copy(target, 0, into, 0, length);
        }
        return noted(length);
    }

    /** Puts the message from the scratch buffer at the position of {@code into}; {@return {@code length}} */
    int delivered(ByteBuffer into, int length) {
        if (length >= 0) {
            into.put(Scratch.current().view(length));
        }
        return noted(length);
    }

    /** {@return the message in {@code buffer} as a new {@link Message}, or {@code null} for {@link Outcome#EMPTY}} */
    Message toMessage(MemorySegment buffer, int length) {
        if (noted(length) < 0) {
            return null;
        }
        return new Message(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), QueueTransfer.lastPriority());
    }

    /** {@return the calling thread's header of this queue} */
    QueueMessageHeader lastHeader() {
        return lastHeader.get();
    }
}
