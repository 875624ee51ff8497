package org.panamaipc.bindings.children;

import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.limits_h;
import org.panamaipc.bindings.mq_attr;
import org.panamaipc.bindings.mqueue_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.panamaipc.bindings.children.ChildSupport.*;

/**
 * Child of {@code MessageQueueAcrossProcessesTest}: opens an existing POSIX message queue by name
 * for writing, checks its attributes, and sends {@link #MESSAGES} in order, then exits. The
 * descriptor is non-blocking, so a full queue fails the child at once instead of blocking it.
 *
 * <p>Arguments: {@code name expectedMaxMsg expectedMsgSize}.
 */
public final class MessageQueueSender {

    /** One message: its text (sent without a terminating NUL) and its priority. */
    public record Message(String text, int priority) {
        /** {@return the text as UTF-8 bytes} */
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * What the child sends, in this order: priorities 0, 5, 31 and the highest there is, several
     * of them shared, so the receiver can check both the order between priorities and FIFO within one.
     */
    public static final List<Message> MESSAGES = List.of(
            new Message("seq=0 prio=5", 5),
            new Message("seq=1 prio=0", 0),
            new Message("seq=2 prio=31", 31),
            new Message("seq=3 prio=5", 5),
            new Message("seq=4 prio=0", 0),
            new Message("seq=5 prio=31", 31),
            new Message("seq=6 prio=5", 5),
            new Message("seq=7 prio=MQ_PRIO_MAX-1", limits_h.MQ_PRIO_MAX() - 1));

    private MessageQueueSender() {
    }

    public static void main(String[] args) {
        ChildSupport.run(args, MessageQueueSender::send);
    }

    private static int send(String[] args) {
        String name = args[0];
        long expectedMaxMsg = Long.parseLong(args[1]);
        long expectedMsgSize = Long.parseLong(args[2]);
        try (Arena arena = Arena.ofConfined()) {
            int mqd = (int) checkCall("mq_open(" + name + ", O_WRONLY | O_NONBLOCK)",
                    mqueue_h.mq_open(arena.allocateFrom(name), fcntl_h.O_WRONLY() | fcntl_h.O_NONBLOCK()));
            try {
                MemorySegment attr = mq_attr.allocate(arena);
                checkCall("mq_getattr", mqueue_h.mq_getattr(mqd, attr));
                System.out.printf("mq_getattr: mq_flags=0%o mq_maxmsg=%d mq_msgsize=%d mq_curmsgs=%d%n",
                        mq_attr.mq_flags(attr), mq_attr.mq_maxmsg(attr), mq_attr.mq_msgsize(attr), mq_attr.mq_curmsgs(attr));
                if (mq_attr.mq_maxmsg(attr) != expectedMaxMsg || mq_attr.mq_msgsize(attr) != expectedMsgSize
                        || mq_attr.mq_curmsgs(attr) != 0 || mq_attr.mq_flags(attr) != fcntl_h.O_NONBLOCK()) {
                    System.out.println("expected mq_flags=O_NONBLOCK mq_maxmsg=" + expectedMaxMsg
                            + " mq_msgsize=" + expectedMsgSize + " mq_curmsgs=0");
                    return EXIT_UNEXPECTED;
                }
                for (Message message : MESSAGES) {
                    byte[] bytes = message.bytes();
                    MemorySegment buffer = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
                    checkCall("mq_send(" + message + ")", mqueue_h.mq_send(mqd, buffer, bytes.length, message.priority()));
                    System.out.println("sent " + message);
                }
            } finally {
                checkCall("mq_close", mqueue_h.mq_close(mqd));
            }
        }
        return EXIT_OK;
    }
}
