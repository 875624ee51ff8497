package org.panamaipc;

/**
 * A message is longer than the object accepts ({@code EMSGSIZE}): for a message queue, longer than its {@code mq_msgsize}. The object is unchanged.
 */
public class MessageTooLongException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}. */
    public MessageTooLongException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
    }

}
