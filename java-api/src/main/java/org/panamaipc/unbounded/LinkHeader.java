package org.panamaipc.unbounded;

/**
 * What a receiver knows of the message it last received besides the payload: its sequence number
 * in the link, its type and length, and whether it came through the ring or the spill. A reusable
 * view, rewritten by each receive; copy what you need to keep.
 */
public final class LinkHeader {

    private long sequence;
    private int type;
    private int length;
    private boolean spilled;

    LinkHeader() {
    }

    void set(long sequence, int type, int length, boolean spilled) {
        this.sequence = sequence;
        this.type = type;
        this.length = length;
        this.spilled = spilled;
    }

    /** {@return the message's place in the link: 1, 2, 3, ... in the order they were sent} */
    public long sequence() {
        return sequence;
    }

    /** {@return the message type the sender gave} */
    public int type() {
        return type;
    }

    /** {@return the payload's length} */
    public int length() {
        return length;
    }

    /** {@return whether the message waited in a spill segment (the ring was full when it was sent)} */
    public boolean spilled() {
        return spilled;
    }

    @Override
    public String toString() {
        return "LinkHeader[sequence=" + sequence + ", type=" + type + ", length=" + length + ", spilled=" + spilled + "]";
    }
}
