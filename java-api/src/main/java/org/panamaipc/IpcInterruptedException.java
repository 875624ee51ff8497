package org.panamaipc;

/**
 * A wait was interrupted: a system call by a signal ({@code EINTR}) that could not be restarted, or a
 * thread by {@link Thread#interrupt()} in a call that does not declare {@link InterruptedException}
 * (such as opening a segment while its creator finishes); then the thread's interrupt status is set
 * again. Calls that declare {@link InterruptedException} throw that instead.
 */
public class IpcInterruptedException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}. */
    public IpcInterruptedException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
    }

}
