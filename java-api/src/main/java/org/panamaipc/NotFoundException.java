package org.panamaipc;

/**
 * The object to be opened or removed does not exist ({@code ENOENT}).
 */
public class NotFoundException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}. */
    public NotFoundException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
    }

}
