package org.panamaipc.mq;

import org.panamaipc.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.MqChild;
import org.panamaipc.children.MqChild.Tick;
import org.panamaipc.codec.Codec;
import org.panamaipc.testkit.KernelWaits;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message queues between JVMs: this one and children running {@link MqChild}. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class MessageQueueAcrossProcessesTest {

    private static final Duration CHILD_EXIT = Duration.ofSeconds(60);

    /** Mixed priorities, several shared, in the order sent. */
    private static final List<Message> SENT = List.of(
            message("seq=0 prio=5", 5), message("seq=1 prio=0", 0), message("seq=2 prio=31", 31),
            message("seq=3 prio=5", 5), message("seq=4 prio=0", 0), message("seq=5 prio=31", 31),
            message("seq=6 prio=5", 5), message("seq=7 prio=max", MessageQueue.MAX_PRIORITY));

    private static Message message(String text, int priority) {
        return new Message(text.getBytes(StandardCharsets.UTF_8), priority);
    }

    private static String[] sendArgs(String name, List<Message> messages) {
        List<String> args = new ArrayList<>(List.of("send", name));
        messages.forEach(m -> args.add(m.priority() + ":" + m.text()));
        return args.toArray(String[]::new);
    }

    /** {@return the messages in the order a queue delivers them: highest priority first, FIFO within one} */
    static List<Message> deliveryOrder(List<Message> sent) {
        List<Message> expected = new ArrayList<>(sent);
        expected.sort(Comparator.comparingInt(Message::priority).reversed()); // stable: FIFO within a priority
        return expected;
    }

    @Test
    void shouldReceiveAnotherJvmsMessagesInPriorityOrderAndFifoWithinAPriority() throws Exception {
        String name = TestNames.unique("mq-order");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(10, 128))) {
            try (ChildProcess child = ChildProcess.java(MqChild.class, sendArgs(name, SENT))) {
                child.assertSuccess(CHILD_EXIT);
            }
            assertEquals(SENT.size(), queue.messageCount());
            List<Message> received = new ArrayList<>();
            Message m;
            while ((m = queue.tryReceive()) != null) {
                received.add(m);
            }
            assertEquals(deliveryOrder(SENT), received);
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeABlockedReceiveOnAnotherJvmsSend() throws Exception {
        String name = TestNames.unique("mq-wake");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64))) {
            CompletableFuture<Message> received = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().name("mq-wake-recv").start(() -> {
                try {
                    received.complete(queue.receive());
                } catch (Throwable t) {
                    received.completeExceptionally(t);
                }
            });
            KernelWaits.awaitBlocked(receiver); // it sleeps in the kernel before the child exists
            try (ChildProcess child = ChildProcess.java(MqChild.class, "send", name, "3:wake up")) {
                assertEquals(message("wake up", 3), received.get(60, TimeUnit.SECONDS));
                child.assertSuccess(CHILD_EXIT);
            }
            receiver.join(10_000);
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeABlockedReceiveInAnotherJvm() throws Exception {
        String name = TestNames.unique("mq-wake-child");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64));
             ChildProcess child = ChildProcess.java(MqChild.class, "receive", name, "1")) {
            child.awaitOutput("receiving", Duration.ofSeconds(60));
            queue.send("to the child".getBytes(StandardCharsets.UTF_8), 2);
            child.assertSuccess(CHILD_EXIT);
            assertTrue(child.output().contains("received priority=2 text=to the child"), child.output());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldBlockASendOnAFullQueueUntilAnotherJvmReceives() throws Exception {
        String name = TestNames.unique("mq-full");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 64))) {
            assertEquals(0, queue.trySend("first".getBytes(StandardCharsets.UTF_8), 1));
            assertEquals(0, queue.trySend("second".getBytes(StandardCharsets.UTF_8), 1));
            assertEquals(Outcome.FULL, queue.trySend("no room".getBytes(StandardCharsets.UTF_8), 1), "try reports full");
            assertEquals(Outcome.FULL, queue.send("no room".getBytes(StandardCharsets.UTF_8), 1, Duration.ofMillis(100)),
                    "a timed send times out");
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread sender = Thread.ofPlatform().name("mq-full-send").start(() -> {
                try {
                    queue.send("third".getBytes(StandardCharsets.UTF_8), 1);
                    sent.complete(null);
                } catch (Throwable t) {
                    sent.completeExceptionally(t);
                }
            });
            KernelWaits.awaitBlocked(sender);
            assertFalse(sent.isDone(), "the send waits for room");
            try (ChildProcess child = ChildProcess.java(MqChild.class, "receive", name, "1")) {
                child.assertSuccess(CHILD_EXIT);
                assertTrue(child.output().contains("received priority=1 text=first"), child.output());
            }
            sent.get(60, TimeUnit.SECONDS);
            sender.join(10_000);
            assertEquals("second", queue.tryReceive().text());
            assertEquals("third", queue.tryReceive().text());
            assertNull(queue.tryReceive());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldCarryTypedRecordsBetweenJvms() throws Exception {
        String name = TestNames.unique("mq-typed");
        int count = 30;
        try (TypedMessageQueue<Tick> ticks = TypedMessageQueue.create(name, 10, Codec.ofRecord(Tick.class));
             ChildProcess child = ChildProcess.java(MqChild.class, "send-ticks", name, Integer.toString(count))) {
            assertEquals(Codec.ofRecord(Tick.class).byteSize(), ticks.queue().maxMessageLength());
            // the queue holds 10: the child blocks on a full queue until we take some
            List<Tick> received = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Tick tick = ticks.receive(Duration.ofSeconds(60));
                assertTrue(tick != null, "tick " + i + " did not come; child output:\n" + child.output());
                received.add(tick);
            }
            child.assertSuccess(CHILD_EXIT);
            List<Tick> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(Tick.number(i));
            }
            // priorities reorder what is queued at the same time; every tick arrives exactly once
            assertEquals(expected.size(), received.size());
            assertTrue(received.containsAll(expected), received.toString());
            assertEquals(Tick.number(7), received.stream().filter(t -> t.sequence() == 7).findFirst().orElseThrow());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }
}
