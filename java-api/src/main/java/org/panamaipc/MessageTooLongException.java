package org.panamaipc;

/**
 * A message is longer than the object accepts ({@code EMSGSIZE}): for a message queue, longer than
 * its {@code mq_msgsize}. The object is unchanged: nothing was sent. When panama-ipc detects it
 * before any system call, {@link #length()} and {@link #maxLength()} say both lengths and
 * {@link #errno()} is 0.
 */
public class MessageTooLongException extends IpcException {

    private static final long serialVersionUID = 1L;

    private final long length;
    private final long maxLength;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}; the lengths are unknown (-1). */
    public MessageTooLongException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
        this.length = -1;
        this.maxLength = -1;
    }

    /**
     * A message of {@code length} bytes refused before any system call because the object takes at
     * most {@code maxLength}: "Unable to send to message queue /orders since the message of 9000
     * bytes is longer than its maximum of 8192 bytes".
     */
    public MessageTooLongException(String action, String object, long length, long maxLength) {
        super("Unable to " + action + (object != null ? " " + object : "") + " since the message of " + length
                + " bytes is longer than its maximum of " + maxLength + " bytes; nothing was sent", action, object);
        this.length = length;
        this.maxLength = maxLength;
    }

    /** {@return the message's length in bytes, or -1 if unknown} */
    public long length() {
        return length;
    }

    /** {@return the most the object accepts, in bytes, or -1 if unknown} */
    public long maxLength() {
        return maxLength;
    }
}
