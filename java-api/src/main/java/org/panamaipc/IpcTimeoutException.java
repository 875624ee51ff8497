package org.panamaipc;

/**
 * A wait ran into its deadline ({@code ETIMEDOUT}). Timed operations on the hot path return a value instead; this is thrown where a call has no other way to say so.
 */
public class IpcTimeoutException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}. */
    public IpcTimeoutException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
    }

}
