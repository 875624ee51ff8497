package org.panamaipc;

/**
 * What the forms of an operation that can wait return when nothing happened, the same in every
 * family: a ring or a queue, a send or a receive.
 *
 * <ul>
 * <li>A send ({@code trySend}, {@code send(..., Duration)}) returns a {@code long}: {@code >= 0}
 *     when the message went (on a ring its sequence number, on a queue 0), {@link #FULL} when there
 *     was no room now or within the timeout, {@link #CLOSED} when the other side has gone.</li>
 * <li>A receive into the caller's memory ({@code MemorySegment}, {@code ByteBuffer}) returns an
 *     {@code int}: the payload's length ({@code >= 0}), {@link #EMPTY} when nothing came now or
 *     within the timeout, {@link #CLOSED} when every sender has gone and nothing is left.</li>
 * </ul>
 *
 * The codes are negative, so a result is tested with {@code >= 0} or compared with these
 * constants; the interfaces of each family repeat them. A queue has no senders or receivers to
 * lose (the kernel holds it for whoever opens it), so its sends and receives never return
 * {@code CLOSED}.
 */
public final class Outcome {

    /** No room for the message: now, or within the timeout. */
    public static final int FULL = -1;

    /** No message: now, or within the timeout. */
    public static final int EMPTY = -1;

    /** The other side has gone: no receiver is left for a send, or no sender and nothing in flight for a receive. */
    public static final int CLOSED = -2;

    private Outcome() {
    }
}
