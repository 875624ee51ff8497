package org.panamaipc;

/**
 * The object to be created exists already ({@code EEXIST}). Open it instead, or remove it first.
 */
public class AlreadyExistsException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}. */
    public AlreadyExistsException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
    }

}
