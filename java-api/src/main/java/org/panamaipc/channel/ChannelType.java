package org.panamaipc.channel;

/** How many senders and receivers a ring channel admits at once. */
public enum ChannelType {
    /** One sender, one receiver: no atomic read-modify-write on the message path. */
    SPSC(1),
    /** Many senders, one receiver: senders claim space with a compare-and-set. */
    MPSC(2),
    /** Many senders, many receivers: each message is taken by exactly one receiver. */
    MPMC(3);

    private final int code;

    ChannelType(int code) {
        this.code = code;
    }

    /** {@return the number stored in the channel's header} */
    public int code() {
        return code;
    }

    /** {@return whether several senders may attach at once} */
    public boolean manySenders() {
        return this != SPSC;
    }

    /** {@return whether several receivers may attach at once} */
    public boolean manyReceivers() {
        return this == MPMC;
    }

    /** {@return the type stored as {@code code}, or {@code null}} */
    public static ChannelType ofCode(int code) {
        for (ChannelType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
