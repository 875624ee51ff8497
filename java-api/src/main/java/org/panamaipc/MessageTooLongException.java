package org.panamaipc;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.internal.Errno;

/**
 * A message is longer than the object accepts: for a message queue, longer than its
 * {@code maxMessageLength} ({@code mq_msgsize}). The object is unchanged: nothing was sent.
 * {@link #errno()} is {@code EMSGSIZE} whether the kernel refused the message or panama-ipc did
 * before any system call, so code that tests the errno sees both; when panama-ipc refused it,
 * {@link #length()} and {@link #maxLength()} say both lengths.
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
     * A message of {@code length} bytes refused because the object takes at most
     * {@code maxLength}, before any system call or after the kernel said {@code EMSGSIZE}: "Unable
     * to send to message queue /orders since the message of 9000 bytes is longer than its maximum
     * of 8192 bytes; nothing was sent (EMSGSIZE: Message too long)". {@link #errno()} is
     * {@code EMSGSIZE} either way.
     */
    public MessageTooLongException(String action, String object, long length, long maxLength) {
        super(action, object, "the message of " + length + " bytes is longer than its maximum of " + maxLength
                + " bytes; nothing was sent", errno_h.EMSGSIZE(), Errno.name(errno_h.EMSGSIZE()),
                Errno.text(errno_h.EMSGSIZE()));
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
