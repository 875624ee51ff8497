package org.panamaipc.shm;

/**
 * What a panama-ipc shared-memory object holds, as recorded in its header, with the layout
 * version this code reads and writes. Opening an object as the wrong kind is refused.
 */
public enum SegmentKind {
    /** An {@link org.panamaipc.sync.IpcMutex}. */
    MUTEX(1, 1),
    /** An {@link org.panamaipc.sync.IpcSemaphore}. */
    SEMAPHORE(2, 1),
    /** An {@link org.panamaipc.sync.IpcEvent}. */
    EVENT(3, 1),
    /** An {@link org.panamaipc.sync.IpcLatch}. */
    LATCH(4, 1),
    /** A {@link org.panamaipc.channel.RingChannel}. */
    CHANNEL(5, 2),
    /** The control segment of a {@link org.panamaipc.message.Mailbox} or {@link org.panamaipc.message.Port}. */
    MAILBOX(6, 1),
    /** An {@link org.panamaipc.endpoint.EndpointRegistry}. */
    REGISTRY(7, 1),
    /** A {@link org.panamaipc.broadcast.Broadcast}. */
    BROADCAST(10, 1),
    /** A {@link org.panamaipc.rendezvous.Rendezvous}. */
    RENDEZVOUS(11, 1),
    /** An {@link org.panamaipc.unbounded.UnboundedLink}: its control segment. */
    UNBOUNDED(12, 2),
    /** One spill segment of an {@link org.panamaipc.unbounded.UnboundedLink}. */
    SPILL(13, 1);

    private final int code;
    private final int layoutVersion;

    SegmentKind(int code, int layoutVersion) {
        this.code = code;
        this.layoutVersion = layoutVersion;
    }

    /** {@return the number stored in the header's kind field} */
    public int code() {
        return code;
    }

    /** {@return the version of this kind's layout that this code reads and writes} */
    public int layoutVersion() {
        return layoutVersion;
    }

    /** {@return the kind stored as {@code code}, or {@code null} if none} */
    public static SegmentKind ofCode(int code) {
        for (SegmentKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
