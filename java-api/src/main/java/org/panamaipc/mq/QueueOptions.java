package org.panamaipc.mq;

import org.panamaipc.internal.Lifecycle;

/**
 * How to create a message queue: how many messages it holds at most, the longest message, and the
 * permission bits. Each is named where it is set, so the two sizes cannot be swapped unseen.
 *
 * {@snippet lang=java :
 * QueueOptions options = QueueOptions.of(10, 512)   // 10 messages of up to 512 bytes
 *         .mode(0660);                               // owner and group may open it
 * try (MessageQueue queue = MessageQueue.create("/orders", options)) {
 *     // ...
 * }
 * }
 *
 * <p>The kernel's limits ({@link MessageQueueLimits}) apply when the queue is created: 10 messages
 * of up to 8192 bytes on a default Linux, without privileges.
 *
 * @param maxMessages      how many messages the queue holds at most ({@code mq_maxmsg}), positive
 * @param maxMessageLength the longest message in bytes ({@code mq_msgsize}), positive
 * @param mode             permission bits, {@code 0600} by default, applied exactly whatever the umask
 */
public record QueueOptions(int maxMessages, int maxMessageLength, int mode) {

    /** Checks the options. */
    public QueueOptions {
        if (maxMessages <= 0) {
            throw new IllegalArgumentException("maxMessages=" + maxMessages + " must be positive");
        }
        if (maxMessageLength <= 0) {
            throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " must be positive");
        }
        Lifecycle.checkMode(mode);
    }

    /** {@return options for a queue of {@code maxMessages} messages of up to {@code maxMessageLength} bytes, mode {@code 0600}} */
    public static QueueOptions of(int maxMessages, int maxMessageLength) {
        return new QueueOptions(maxMessages, maxMessageLength, Lifecycle.DEFAULT_MODE);
    }

    /** {@return these options with {@code maxMessages}} */
    public QueueOptions maxMessages(int maxMessages) {
        return new QueueOptions(maxMessages, maxMessageLength, mode);
    }

    /** {@return these options with {@code maxMessageLength}} */
    public QueueOptions maxMessageLength(int maxMessageLength) {
        return new QueueOptions(maxMessages, maxMessageLength, mode);
    }

    /** {@return these options with permission bits {@code mode}, such as {@code 0660}} */
    public QueueOptions mode(int mode) {
        return new QueueOptions(maxMessages, maxMessageLength, mode);
    }
}
