package org.panamaipc.rendezvous;

/**
 * What a receiver knows of the message it last took besides the payload: its type, its sender
 * (the sender's slot id) and that sender's sequence number, and its length. A reusable view,
 * rewritten by each receive; copy what you need to keep.
 */
public final class RendezvousHeader {

    private int type;
    private int source;
    private long sequence;
    private int length;

    RendezvousHeader() {
    }

    void set(int type, int source, long sequence, int length) {
        this.type = type;
        this.source = source;
        this.sequence = sequence;
        this.length = length;
    }

    /** {@return the message type the sender gave} */
    public int type() {
        return type;
    }

    /** {@return the slot id of the sender ({@link RendezvousSender#endpointId()})} */
    public int source() {
        return source;
    }

    /** {@return the sender's sequence number of this message: 1, 2, 3, ... per sender endpoint} */
    public long sequence() {
        return sequence;
    }

    /** {@return the payload length in bytes} */
    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "RendezvousHeader[type=" + type + ", source=" + source + ", sequence=" + sequence + ", length=" + length + "]";
    }
}
