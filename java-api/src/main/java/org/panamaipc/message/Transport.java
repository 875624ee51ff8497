package org.panamaipc.message;

/**
 * What holds the messages of a {@link Mailbox} or {@link Port}: chosen when it is created and
 * recorded in its control segment, so that whoever opens it finds it.
 */
public enum Transport {

    /**
     * A ring channel in shared memory ({@code NAME.ring}): MPMC for a mailbox, MPSC for a port
     * and for a mailbox of {@linkplain MailboxOptions#withSingleReceiver() one receiver at a time}.
     * The fastest: a send and a receive are a few stores and loads, no system call while traffic
     * flows. No priorities.
     */
    RING(MailboxDescriptor.TRANSPORT_RING),

    /**
     * A POSIX message queue ({@code NAME.queue}): priorities (the highest first, first in first out
     * within one), and the kernel's limits (10 messages of up to 8192 bytes by default, see
     * {@link org.panamaipc.mq.MessageQueueLimits}). Every send and receive is a system call.
     */
    QUEUE(MailboxDescriptor.TRANSPORT_QUEUE);

    private final int code;

    Transport(int code) {
        this.code = code;
    }

    /** {@return the number stored in the control segment} */
    public int code() {
        return code;
    }

    /** {@return the transport stored as {@code code}, or {@code null}} */
    public static Transport ofCode(int code) {
        for (Transport transport : values()) {
            if (transport.code == code) {
                return transport;
            }
        }
        return null;
    }
}
