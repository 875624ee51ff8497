package org.panamaipc;

/**
 * How an object is opened: for reading (receiving), writing (sending), or both. Shared memory is
 * mapped {@link #READ_ONLY} or {@link #READ_WRITE}; a message queue may be opened in any of the
 * three.
 */
public enum Access {
    /** Read (receive) only. A read-only mapping throws on a write instead of faulting. */
    READ_ONLY,
    /** Write (send) only. Message queues only: memory cannot be mapped for writing alone. */
    WRITE_ONLY,
    /** Read and write (receive and send). */
    READ_WRITE;

    /** {@return whether this access allows reading, or receiving} */
    public boolean canRead() {
        return this != WRITE_ONLY;
    }

    /** {@return whether this access allows writing, or sending} */
    public boolean canWrite() {
        return this != READ_ONLY;
    }
}
