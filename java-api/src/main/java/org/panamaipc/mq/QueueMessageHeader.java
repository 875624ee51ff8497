package org.panamaipc.mq;

/**
 * What a message queue says about the message last received besides its bytes: its length and
 * its priority. {@link MessageQueue#lastHeader()} returns one instance per thread and queue,
 * reused by every receive of that thread on that queue, so reading it allocates nothing; copy what
 * you need to keep before the thread's next receive.
 *
 * {@snippet lang=java :
 * int length = queue.receive(buffer, Duration.ofSeconds(1));
 * if (length != Outcome.EMPTY) {
 *     handle(buffer.asSlice(0, length), queue.lastHeader().priority());
 * }
 * }
 */
public final class QueueMessageHeader {

    private int length;
    private int priority;

    QueueMessageHeader() {
    }

    void set(int length, int priority) {
        this.length = length;
        this.priority = priority;
    }

    /** {@return the payload's length in bytes} */
    public int length() {
        return length;
    }

    /** {@return the message's priority, 0 to {@link MessageQueue#MAX_PRIORITY}} */
    public int priority() {
        return priority;
    }

    @Override
    public String toString() {
        return "QueueMessageHeader[length=" + length + ", priority=" + priority + "]";
    }
}
