package org.panamaipc;

/**
 * An operation on an operating-system object (a shared-memory segment, a message queue, a futex)
 * failed. The subclasses say why; each keeps what the kernel said: {@link #errno()},
 * {@link #errnoName()} and {@link #strerror()}.
 *
 * <p>Messages read as {@code Unable to <action> <object> since <reason> (<ERRNO>: <strerror>)},
 * for example {@code Unable to create shared memory /orders since it already exists (EEXIST: File exists)}.
 * An exception that panama-ipc raises before any system call (a name it rejected, a segment it
 * found corrupt) has {@code errno() == 0}.
 *
 * <p>Expected outcomes on the hot path (a full ring, an empty queue, a timed-out {@code try}) are
 * return values, not exceptions.
 */
public class IpcException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String errnoName;
    private final String strerror;
    private final String action;
    private final String object;

    /**
     * @param action    what was attempted, such as {@code "create shared memory"}
     * @param object    the object's name, or {@code null}
     * @param reason    why it failed, in words, such as {@code "it already exists"}
     * @param errno     the errno value, or 0 if the failure was detected without a system call
     * @param errnoName the errno's symbolic name ({@code "EEXIST"}), or {@code null} when errno is 0
     * @param strerror  the C library's text for errno, or {@code null} when errno is 0
     */
    public IpcException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(message(action, object, reason, errnoName, strerror));
        this.errno = errno;
        this.errnoName = errnoName;
        this.strerror = strerror;
        this.action = action;
        this.object = object;
    }

    /** For an exception that explains itself fully in {@code message}, with no errno. */
    protected IpcException(String message, String action, String object) {
        super(message);
        this.errno = 0;
        this.errnoName = null;
        this.strerror = null;
        this.action = action;
        this.object = object;
    }

    private static String message(String action, String object, String reason, String errnoName, String strerror) {
        StringBuilder sb = new StringBuilder("Unable to ").append(action);
        if (object != null) {
            sb.append(' ').append(object);
        }
        if (reason != null) {
            sb.append(" since ").append(reason);
        }
        if (errnoName != null) {
            sb.append(" (").append(errnoName).append(": ").append(strerror).append(')');
        }
        return sb.toString();
    }

    /** {@return the errno value the failing call left, or 0 if no system call failed} */
    public int errno() {
        return errno;
    }

    /** {@return errno's symbolic name, such as {@code "EEXIST"}, or {@code null} if errno is 0} */
    public String errnoName() {
        return errnoName;
    }

    /** {@return the C library's description of errno ({@code strerror}), or {@code null} if errno is 0} */
    public String strerror() {
        return strerror;
    }

    /** {@return what was attempted, such as {@code "create shared memory"}} */
    public String action() {
        return action;
    }

    /** {@return the name of the object concerned, or {@code null}} */
    public String objectName() {
        return object;
    }
}
