package org.panamaipc;

/**
 * A system call was interrupted by a signal ({@code EINTR}) and could not be restarted. A Java thread interrupted with {@link Thread#interrupt()} gets {@link InterruptedException} instead.
 */
public class IpcInterruptedException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}. */
    public IpcInterruptedException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
    }

}
