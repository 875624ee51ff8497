package org.panamaipc.mq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.IpcException;
import org.panamaipc.LimitReachedException;
import org.panamaipc.bindings.errno_h;
import org.panamaipc.children.MqChild;
import org.panamaipc.internal.Limits;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Creating a queue beyond a system limit gives a {@link LimitReachedException} that names the
 * limit, its value now, and how to raise it. The limits are read from {@code /proc}, not assumed;
 * a process with {@code CAP_SYS_RESOURCE} is held to the kernel's hard limits instead of the
 * sysctls, and the tests ask for what exceeds whichever applies.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class MessageQueueLimitsTest {

    @Test
    void shouldReadTheLimitsFromProc() {
        MessageQueueLimits limits = MessageQueueLimits.current();
        assertEquals(Limits.procNumber("/proc/sys/fs/mqueue/msg_max"), limits.msgMax());
        assertEquals(Limits.procNumber("/proc/sys/fs/mqueue/msgsize_max"), limits.msgsizeMax());
        assertEquals(Limits.procNumber("/proc/sys/fs/mqueue/queues_max"), limits.queuesMax());
        assertTrue(limits.msgMax() > 0 && limits.msgsizeMax() > 0 && limits.queuesMax() > 0, limits.toString());
        assertTrue(limits.rlimitMsgqueue() > 0, limits.toString());
        System.out.println("limits here: " + limits);
    }

    @Test
    void shouldExplainTooManyMessages() {
        MessageQueueLimits limits = MessageQueueLimits.current();
        int tooMany = (int) limits.effectiveMsgMax() + 1;
        String name = TestNames.unique("mq-msgmax");
        try {
            LimitReachedException e = assertThrows(LimitReachedException.class,
                    () -> MessageQueue.create(name, QueueOptions.of(tooMany, 64)).close());
            System.out.println(e.getMessage());
            assertEquals("EINVAL", e.errnoName());
            if (limits.capSysResource()) {
                assertTrue(e.limit().startsWith("HARD_MSGMAX"), e.limit());
            } else {
                assertTrue(e.limit().startsWith("fs.mqueue.msg_max"), e.limit());
                assertEquals(Long.toString(limits.msgMax()), e.currentValue());
                assertEquals("sysctl -w fs.mqueue.msg_max=" + tooMany + " (as root)", e.howToRaise());
            }
            assertTrue(e.getMessage().contains(name + " (" + tooMany + " messages of up to 64 bytes)"), e.getMessage());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldExplainTooLargeMessages() {
        MessageQueueLimits limits = MessageQueueLimits.current();
        int tooLarge = (int) limits.effectiveMsgsizeMax() + 1;
        String name = TestNames.unique("mq-msgsize");
        try {
            LimitReachedException e = assertThrows(LimitReachedException.class,
                    () -> MessageQueue.create(name, QueueOptions.of(1, tooLarge)).close());
            System.out.println(e.getMessage());
            if (limits.capSysResource()) {
                assertTrue(e.limit().startsWith("HARD_MSGSIZEMAX"), e.limit());
            } else {
                assertTrue(e.limit().startsWith("fs.mqueue.msgsize_max"), e.limit());
                assertEquals(Long.toString(limits.msgsizeMax()), e.currentValue());
                assertTrue(e.howToRaise().startsWith("sysctl -w fs.mqueue.msgsize_max=" + tooLarge), e.howToRaise());
            }
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldExplainBothSizeLimitsAtOnce() {
        MessageQueueLimits limits = MessageQueueLimits.current();
        IpcException e = CreateFailures.explain(errno_h.EINVAL(), "create message queue", "/q",
                (int) limits.msgMax() + 1, (int) limits.msgsizeMax() + 1,
                new MessageQueueLimits(limits.msgMax(), limits.msgsizeMax(), 256, 10, 8192, 819200, false));
        LimitReachedException limit = assertInstanceOf(LimitReachedException.class, e);
        assertEquals("fs.mqueue.msg_max (messages per queue) and fs.mqueue.msgsize_max (bytes per message)",
                limit.limit());
        assertEquals(limits.msgMax() + " and " + limits.msgsizeMax(), limit.currentValue());
    }

    @Test
    void shouldExplainRlimitMsgqueueInAChildWithALowLimit() {
        // the child lowers its own RLIMIT_MSGQUEUE, so no queue of this user's is needed to reach it
        // (RLIMIT_MSGQUEUE counts the bytes of all queues of the user, other tests' included)
        String name = TestNames.unique("mq-rlimit");
        long lowLimit = 4096;
        try (ChildProcess child = ChildProcess.java(MqChild.class, "create-under-rlimit", name,
                Long.toString(lowLimit), "4", "4096")) {
            int code = child.waitFor(Duration.ofSeconds(60));
            String output = child.output();
            assertFalse(code == MqChild.EXIT_CREATED, "the queue was created under the low limit:\n" + output);
            assertEquals(0, code, output);
            assertTrue(output.contains("limit=RLIMIT_MSGQUEUE (bytes of all message queues of this user;"
                    + " this queue needs about " + CreateFailures.bytesNeeded(4, 4096) + ")"), output);
            assertTrue(output.contains("current=" + lowLimit), output);
            assertTrue(output.contains("howToRaise=ulimit -q N"), output);
            assertTrue(output.contains("errno=EMFILE"), output);
            System.out.print(output.lines().filter(l -> l.startsWith("message=")).findFirst().orElse("") + "\n");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldExplainQueuesMaxAndKernelMemory() {
        // reaching fs.mqueue.queues_max for real would take every queue of the machine; the
        // mapping is checked on the errno the kernel gives for it
        MessageQueueLimits limits = MessageQueueLimits.current();
        LimitReachedException queues = assertInstanceOf(LimitReachedException.class,
                CreateFailures.explain(errno_h.ENOSPC(), "create message queue", "/q", 10, 8192, limits));
        assertEquals("fs.mqueue.queues_max (message queues on the system)", queues.limit());
        assertEquals(Long.toString(limits.queuesMax()), queues.currentValue());
        assertTrue(queues.howToRaise().startsWith("sysctl -w fs.mqueue.queues_max=N"), queues.howToRaise());
        assertTrue(queues.getMessage().endsWith("(ENOSPC: No space left on device)"), queues.getMessage());
        LimitReachedException memory = assertInstanceOf(LimitReachedException.class,
                CreateFailures.explain(errno_h.ENOMEM(), "create message queue", "/q", 10, 8192, limits));
        assertTrue(memory.limit().startsWith("kernel memory"), memory.limit());
    }
}
