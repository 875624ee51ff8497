package org.panamaipc.shm;

import org.panamaipc.IpcException;

import java.util.Objects;

/**
 * A shared-memory object does not hold what its opener expects: it is empty or shorter than its
 * header says, its magic, kind or layout version is not the expected one, or its creator never
 * marked it ready. {@link #reason()} says which; the message names the expected and found values.
 * Nothing in such a segment is used.
 */
public class InvalidSegmentException extends IpcException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the segment. */
    public enum Reason {
        /** The object has size 0. */
        EMPTY,
        /** The object is shorter than its header, or than the sizes its header gives. */
        TRUNCATED,
        /** The first bytes are not the panama-ipc magic: not one of our segments. */
        BAD_MAGIC,
        /** A panama-ipc segment, but of another kind (a channel opened as a mutex, say). */
        WRONG_KIND,
        /** Of the right kind, but a layout version this code does not read. */
        WRONG_VERSION,
        /** A header field holds a value that cannot be right (a size, an offset, a flag). */
        CORRUPT,
        /** The creator did not mark the segment ready before the deadline. */
        NOT_READY
    }

    private final Reason reason;

    /**
     * @param name   the object's name
     * @param reason what is wrong
     * @param detail what was expected and found, in words
     */
    public InvalidSegmentException(String name, Reason reason, String detail) {
        this("open shared memory", name, reason, detail);
    }

    /**
     * For a segment found wrong while doing something other than opening it, such as a corrupt
     * record found by a receive: "Unable to receive from channel /quotes since record at position
     * 4096 has length -7 (CORRUPT)".
     *
     * @param action what was being done, such as {@code "receive from channel"}
     * @param name   the object's name
     * @param reason what is wrong
     * @param detail what was expected and found, in words
     */
    public InvalidSegmentException(String action, String name, Reason reason, String detail) {
        super("Unable to " + Objects.requireNonNull(action, "action") + " " + Objects.requireNonNull(name, "name")
                + " since " + Objects.requireNonNull(detail, "detail") + " (" + Objects.requireNonNull(reason, "reason")
                + ")", action, name);
        this.reason = reason;
    }

    /** {@return what is wrong with the segment} */
    public Reason reason() {
        return reason;
    }
}
