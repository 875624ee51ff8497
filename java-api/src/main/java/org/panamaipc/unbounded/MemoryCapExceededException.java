package org.panamaipc.unbounded;

import org.panamaipc.IpcException;

/**
 * A send to an {@link UnboundedLink} found the ring full and the spill at its memory cap: one more
 * spill segment would make the segments waiting for the receiver take more than
 * {@link UnboundedOptions#memoryCap()} bytes. Nothing was sent; the link is unchanged, and a send
 * succeeds again once the receiver has consumed a segment's worth. The message names the cap:
 * "Unable to send to unbounded link /jobs since its spill would exceed its memory cap of
 * 4194304 bytes (memoryCap): 4 spill segments of 1048576 bytes hold 5230 messages the receiver has
 * not taken; nothing was sent".
 */
public class MemoryCapExceededException extends IpcException {

    private static final long serialVersionUID = 1L;

    private final long memoryCap;
    private final long segments;

    /**
     * @param link        the link's name
     * @param memoryCap   the cap, in bytes
     * @param segmentSize the bytes of one spill segment
     * @param segments    the spill segments that exist now
     * @param waiting     the spilled messages the receiver has not taken
     */
    public MemoryCapExceededException(String link, long memoryCap, long segmentSize, long segments, long waiting) {
        super("send to unbounded link", link, "its spill would exceed its memory cap of " + memoryCap
                + " bytes (memoryCap): " + segments + " spill segments of " + segmentSize + " bytes hold " + waiting
                + " messages the receiver has not taken; nothing was sent", 0, null, null);
        this.memoryCap = memoryCap;
        this.segments = segments;
    }

    /** {@return the cap, in bytes} */
    public long memoryCap() {
        return memoryCap;
    }

    /** {@return how many spill segments existed when the send was refused} */
    public long segments() {
        return segments;
    }
}
