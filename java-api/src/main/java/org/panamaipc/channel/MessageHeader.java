package org.panamaipc.channel;

/**
 * What a record says about its message besides the payload: type, source, sequence and length.
 * An instance is a reusable view, valid only during the handler call (or until the next receive)
 * that gave it; copy what you need to keep.
 */
public final class MessageHeader {

    private int type;
    private int source;
    private long sequence;
    private int length;

    MessageHeader() {
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

    /** {@return the endpoint id of the sender} */
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
        return "MessageHeader[type=" + type + ", source=" + source + ", sequence=" + sequence + ", length=" + length + "]";
    }
}
