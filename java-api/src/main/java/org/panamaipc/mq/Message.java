package org.panamaipc.mq;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message received from a {@link MessageQueue}: its bytes and its priority. For receiving
 * without allocation, use {@link MessageQueue#receive(java.lang.foreign.MemorySegment)} instead.
 *
 * {@snippet lang=java :
 * Message message = queue.receive();
 * System.out.println(message.text() + " at priority " + message.priority());
 * }
 *
 * @param payload  the message's bytes; the array is not copied, and belongs to the receiver
 * @param priority its priority, 0 to {@link MessageQueue#MAX_PRIORITY}
 */
public record Message(byte[] payload, int priority) {

    /** Checks the components. */
    public Message {
        Objects.requireNonNull(payload, "payload");
        if (priority < 0 || priority > MessageQueue.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority=" + priority + " is outside 0.." + MessageQueue.MAX_PRIORITY);
        }
    }

    /** {@return the payload decoded as UTF-8} */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** {@return the payload's length in bytes} */
    public int length() {
        return payload.length;
    }

    /** {@return whether {@code o} is a message of equal bytes and priority} */
    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.priority == priority && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(payload) + priority;
    }

    @Override
    public String toString() {
        return "Message[priority=" + priority + ", length=" + payload.length + ", text=\"" + printable() + "\"]";
    }

    private String printable() {
        String text = text();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 64; i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c != 0x7f ? c : '.');
        }
        return text.length() > 64 ? sb + "..." : sb.toString();
    }
}
