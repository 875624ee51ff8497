package org.panamaipc;

/**
 * The object's permission bits, or the way it was opened, do not allow the operation ({@code EACCES}, {@code EPERM}): for example a read-only segment mapped for writing, or an object created by another user with mode {@code 0600}.
 */
public class PermissionDeniedException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}. */
    public PermissionDeniedException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
    }

}
