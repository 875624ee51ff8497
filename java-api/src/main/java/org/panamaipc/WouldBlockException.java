package org.panamaipc;

/**
 * The operation would have had to wait and was asked not to ({@code EAGAIN}). The hot-path {@code try} operations return a value instead; this is for the rare call where the kernel says so unexpectedly.
 */
public class WouldBlockException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}. */
    public WouldBlockException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
    }

}
