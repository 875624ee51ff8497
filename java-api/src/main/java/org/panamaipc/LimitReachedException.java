package org.panamaipc;

/**
 * A system limit stopped the operation ({@code EMFILE}, {@code ENFILE}, {@code ENOMEM},
 * {@code ENOSPC}, or {@code EINVAL} where it means a size above a limit). The exception names the
 * limit ({@link #limit()}: a sysctl such as {@code fs.mqueue.msg_max}, or a resource limit such as
 * {@code RLIMIT_MSGQUEUE}), its value when known, and how to raise it ({@link #howToRaise()}).
 */
public class LimitReachedException extends IpcException {

    private static final long serialVersionUID = 1L;

    private final String limit;
    private final String currentValue;
    private final String howToRaise;

    /**
     * @param limit        the limit's name: a sysctl, an rlimit, or a resource such as {@code /dev/shm}
     * @param currentValue its value now, or {@code null} if unknown
     * @param howToRaise   a command or setting that raises it
     */
    public LimitReachedException(String action, String object, int errno, String errnoName, String strerror,
                                 String limit, String currentValue, String howToRaise) {
        super(action, object, "the limit " + limit + (currentValue != null ? " (now " + currentValue + ")" : "")
                + " is reached; raise it with " + howToRaise, errno, errnoName, strerror);
        this.limit = limit;
        this.currentValue = currentValue;
        this.howToRaise = howToRaise;
    }

    /** {@return the name of the limit, such as {@code RLIMIT_NOFILE} or {@code fs.mqueue.msg_max}} */
    public String limit() {
        return limit;
    }

    /** {@return the limit's value when the exception was made, or {@code null} if unknown} */
    public String currentValue() {
        return currentValue;
    }

    /** {@return how to raise the limit, such as {@code sysctl -w fs.mqueue.msg_max=N}} */
    public String howToRaise() {
        return howToRaise;
    }
}
