package org.panamaipc;

/**
 * A name of a shared-memory object or message queue breaks the POSIX rules: it must start with
 * {@code /}, contain no other {@code /}, and be 1 to {@code NAME_MAX} (255) characters long after
 * the slash, and not {@code "."} or {@code ".."}. Thrown before any system call, naming the rule
 * that broke (then {@link #errno()} is 0), or when the kernel rejects a name ({@code EINVAL},
 * {@code ENAMETOOLONG}).
 */
public class InvalidNameException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** See {@link IpcException#IpcException(String, String, String, int, String, String)}. */
    public InvalidNameException(String action, String object, String reason, int errno, String errnoName, String strerror) {
        super(action, object, reason, errno, errnoName, strerror);
    }

    /** A name rejected before any system call, for breaking {@code rule}. */
    public InvalidNameException(String name, String rule) {
        super("Invalid name \"" + name + "\": " + rule, "validate name", name);
    }
}
