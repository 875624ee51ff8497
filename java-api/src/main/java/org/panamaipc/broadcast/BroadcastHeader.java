package org.panamaipc.broadcast;

/**
 * What a subscriber knows of the message it last received besides the payload: its sequence
 * number, type and length, and how many messages it lost just before it. A reusable view, rewritten
 * by each receive; copy what you need to keep.
 */
public final class BroadcastHeader {

    private long sequence;
    private int type;
    private int length;
    private long lost;

    BroadcastHeader() {
    }

    void set(long sequence, int type, int length, long lost) {
        this.sequence = sequence;
        this.type = type;
        this.length = length;
        this.lost = lost;
    }

    /** {@return the message's sequence number: 1, 2, 3, ... in the order the publisher sent them} */
    public long sequence() {
        return sequence;
    }

    /** {@return the message type the publisher gave} */
    public int type() {
        return type;
    }

    /** {@return the payload length in bytes} */
    public int length() {
        return length;
    }

    /**
     * {@return how many messages this subscriber lost between the one it received before and this
     * one} Always 0 under {@link SlowSubscriberPolicy#BLOCK}; under {@link SlowSubscriberPolicy#LOSSY}
     * the number of sequence numbers it was lapped past, so that {@code sequence() - lost()} is one
     * more than the previous message's sequence.
     */
    public long lost() {
        return lost;
    }

    @Override
    public String toString() {
        return "BroadcastHeader[sequence=" + sequence + ", type=" + type + ", length=" + length + ", lost=" + lost + "]";
    }
}
