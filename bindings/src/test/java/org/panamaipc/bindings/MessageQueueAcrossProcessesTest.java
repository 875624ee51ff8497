package org.panamaipc.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.bindings.children.ChildSupport;
import org.panamaipc.bindings.children.MessageQueueSender;
import org.panamaipc.bindings.children.MessageQueueSender.Message;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamaipc.bindings.children.ChildSupport.checkCall;
import static org.panamaipc.bindings.children.ChildSupport.describe;
import static org.panamaipc.bindings.children.MessageQueueSender.MESSAGES;

/**
 * POSIX message queues between two JVMs through the raw bindings: the parent creates a queue, a
 * child JVM ({@link MessageQueueSender}) opens it by name and sends messages of mixed priorities,
 * and the parent receives them after the child has exited.
 */
@ExtendWith(NoLeakedObjects.class)
class MessageQueueAcrossProcessesTest {

    /** This machine's {@code fs.mqueue.msg_max} is 10; an unprivileged process may not ask for more. */
    private static final long MAX_MSG = 10;
    private static final long MSG_SIZE = 128;

    /** Longer than the child's own deadline, so the child's diagnostics come first. */
    private static final Duration CHILD_EXIT = ChildSupport.CHILD_DEADLINE.plusSeconds(15);

    @Test
    @Timeout(90)
    void shouldReceiveAnotherJvmsMessagesHighestPriorityFirstAndFifoWithinAPriority() {
        String name = TestNames.unique("mq");
        try (CreatedQueue queue = CreatedQueue.create(name, MAX_MSG, MSG_SIZE); Arena arena = Arena.ofConfined()) {
            try (ChildProcess child = ChildProcess.java(MessageQueueSender.class,
                    name, Long.toString(MAX_MSG), Long.toString(MSG_SIZE))) {
                child.assertSuccess(CHILD_EXIT);
            }

            MemorySegment attr = mq_attr.allocate(arena);
            checkCall("mq_getattr", mqueue_h.mq_getattr(queue.mqd(), attr));
            assertEquals(0, mq_attr.mq_flags(attr), "mq_flags");
            assertEquals(MAX_MSG, mq_attr.mq_maxmsg(attr), "mq_maxmsg");
            assertEquals(MSG_SIZE, mq_attr.mq_msgsize(attr), "mq_msgsize");
            assertEquals(MESSAGES.size(), mq_attr.mq_curmsgs(attr), "mq_curmsgs once the child is gone");

            // non-blocking from here on: a message that is missing gives EAGAIN, never a hang
            MemorySegment nonBlocking = mq_attr.allocate(arena);
            mq_attr.mq_flags(nonBlocking, fcntl_h.O_NONBLOCK());
            MemorySegment old = mq_attr.allocate(arena);
            checkCall("mq_setattr", mqueue_h.mq_setattr(queue.mqd(), nonBlocking, old));
            assertEquals(0, mq_attr.mq_flags(old), "mq_flags before mq_setattr");
            assertEquals(MESSAGES.size(), mq_attr.mq_curmsgs(old), "mq_curmsgs reported by mq_setattr");

            MemorySegment buffer = arena.allocate(MSG_SIZE);
            MemorySegment priority = arena.allocate(CTypes.C_INT);
            List<Message> received = new ArrayList<>();
            for (int i = 0; i < MESSAGES.size(); i++) {
                priority.set(CTypes.C_INT, 0, -1);
                long length = checkCall("mq_receive #" + i, mqueue_h.mq_receive(queue.mqd(), buffer, MSG_SIZE, priority));
                String text = new String(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                received.add(new Message(text, priority.get(CTypes.C_INT, 0)));
            }
            // List.sort is stable: within one priority the messages keep the order they were sent in
            List<Message> expected = new ArrayList<>(MESSAGES);
            expected.sort(Comparator.comparingInt(Message::priority).reversed());
            assertEquals(expected, received);

            checkCall("mq_getattr", mqueue_h.mq_getattr(queue.mqd(), attr));
            assertEquals(0, mq_attr.mq_curmsgs(attr), "mq_curmsgs after receiving everything");
            assertEquals(fcntl_h.O_NONBLOCK(), mq_attr.mq_flags(attr), "mq_flags after mq_setattr");

            long length = mqueue_h.mq_receive(queue.mqd(), buffer, MSG_SIZE, priority);
            int errno = errno_h.errno();
            assertEquals(-1, length, "mq_receive on an empty queue");
            assertEquals(errno_h.EAGAIN(), errno, describe(errno));
        }
        assertUnlinked(name);
    }

    @Test
    @Timeout(30)
    void shouldRefuseAReceiveBufferSmallerThanTheMessageSize() {
        try (CreatedQueue queue = CreatedQueue.create(TestNames.unique("mq-small"), MAX_MSG, MSG_SIZE);
             Arena arena = Arena.ofConfined()) {
            // non-blocking, so that a kernel which checked emptiness first would answer EAGAIN, not block
            MemorySegment nonBlocking = mq_attr.allocate(arena);
            mq_attr.mq_flags(nonBlocking, fcntl_h.O_NONBLOCK());
            checkCall("mq_setattr", mqueue_h.mq_setattr(queue.mqd(), nonBlocking, MemorySegment.NULL));
            MemorySegment buffer = arena.allocate(MSG_SIZE - 1);
            long length = mqueue_h.mq_receive(queue.mqd(), buffer, buffer.byteSize(), MemorySegment.NULL);
            int errno = errno_h.errno();
            assertEquals(-1, length, "mq_receive with msg_len < mq_msgsize");
            assertEquals(errno_h.EMSGSIZE(), errno, describe(errno));
        }
    }

    /** Asserts that opening {@code name} without {@code O_CREAT} fails with ENOENT. */
    private static void assertUnlinked(String name) {
        try (Arena arena = Arena.ofConfined()) {
            int mqd = mqueue_h.mq_open(arena.allocateFrom(name), fcntl_h.O_RDONLY());
            int errno = errno_h.errno();
            if (mqd != -1) {
                mqueue_h.mq_close(mqd);
            }
            assertEquals(-1, mqd, name + " still exists");
            assertEquals(errno_h.ENOENT(), errno, describe(errno));
        }
    }
}
