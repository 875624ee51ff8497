package org.panamaipc.mq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.MqChild;
import org.panamaipc.testkit.KernelWaits;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many queues at once: which are readable or writable, timeouts, wake-ups, interrupts. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(90)
class MessageQueueSelectorTest {

    /** Three queues, created and unlinked around {@code body}. */
    @FunctionalInterface
    private interface ThreeQueues {
        void run(MessageQueue a, MessageQueue b, MessageQueue c) throws Exception;
    }

    private static void withThreeQueues(String label, int maxMessages, ThreeQueues body) throws Exception {
        String[] names = {TestNames.unique(label + "-a"), TestNames.unique(label + "-b"), TestNames.unique(label + "-c")};
        try (MessageQueue a = MessageQueue.create(names[0], QueueOptions.of(maxMessages, 32));
             MessageQueue b = MessageQueue.create(names[1], QueueOptions.of(maxMessages, 32));
             MessageQueue c = MessageQueue.create(names[2], QueueOptions.of(maxMessages, 32))) {
            body.run(a, b, c);
        } finally {
            for (String name : names) {
                MessageQueue.unlinkIfExists(name);
            }
        }
    }

    @Test
    void shouldReportTheQueueAnotherProcessSentTo() throws Exception {
        withThreeQueues("mq-sel", 4, (a, b, c) -> {
            try (MessageQueueSelector selector = MessageQueueSelector.open()) {
                for (MessageQueue q : List.of(a, b, c)) {
                    selector.register(q, MessageQueueSelector.READABLE);
                }
                try (ChildProcess child = ChildProcess.java(MqChild.class, "send", b.name(), "6:for b")) {
                    assertEquals(1, selector.select(Duration.ofSeconds(60)), "child output:\n" + child.output());
                    child.assertSuccess(Duration.ofSeconds(60));
                }
                assertEquals(List.of(b), selector.readyQueues());
                assertTrue(selector.isReadable(b));
                assertEquals(0, selector.readyOps(a));
                assertEquals(0, selector.readyOps(c));
                List<String> seen = new ArrayList<>();
                selector.forEachReady((queue, ops) -> seen.add(queue.name() + " " + ops));
                assertEquals(List.of(b.name() + " " + MessageQueueSelector.READABLE), seen);
                assertEquals("for b", b.tryReceive().text());
                assertEquals(0, selector.selectNow(), "nothing left");
            }
        });
    }

    @Test
    void shouldTimeOutWhenNoQueueIsReady() throws Exception {
        withThreeQueues("mq-sel-to", 4, (a, b, c) -> {
            try (MessageQueueSelector selector = MessageQueueSelector.open()) {
                selector.register(a, MessageQueueSelector.READABLE);
                selector.register(b, MessageQueueSelector.READABLE);
                selector.register(c, MessageQueueSelector.READABLE);
                long start = System.nanoTime();
                assertEquals(0, selector.select(Duration.ofMillis(150)));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150));
                assertEquals(List.of(), selector.readyQueues());
                assertEquals(0, selector.selectNow());
            }
        });
    }

    @Test
    void shouldReportWritableQueuesAndBothReadinessesAtOnce() throws Exception {
        withThreeQueues("mq-sel-w", 1, (a, b, c) -> {
            try (MessageQueueSelector selector = MessageQueueSelector.open()) {
                assertEquals(0, a.trySend(new byte[] {1}, 0)); // a is full
                int both = MessageQueueSelector.READABLE | MessageQueueSelector.WRITABLE;
                selector.register(a, both);
                selector.register(b, both);
                selector.register(c, MessageQueueSelector.READABLE);
                assertEquals(2, selector.selectNow());
                assertEquals(MessageQueueSelector.READABLE, selector.readyOps(a), "full: readable, not writable");
                assertEquals(MessageQueueSelector.WRITABLE, selector.readyOps(b), "empty: writable, not readable");
                assertEquals(0, selector.readyOps(c));
                selector.register(a, MessageQueueSelector.WRITABLE); // change the interest
                assertEquals(1, selector.selectNow());
                assertTrue(selector.deregister(b));
                assertFalse(selector.deregister(b));
                assertEquals(0, selector.selectNow());
                assertEquals(List.of(a, c), selector.registered());
                assertThrows(IllegalArgumentException.class, () -> selector.register(c, 0));
                assertThrows(IllegalArgumentException.class, () -> selector.register(c, 4));
            }
        });
    }

    @Test
    void shouldEndABlockedSelectPromptlyWhenInterrupted() throws Exception {
        withThreeQueues("mq-sel-int", 4, (a, b, c) -> {
            try (MessageQueueSelector selector = MessageQueueSelector.open()) {
                selector.register(a, MessageQueueSelector.READABLE);
                CompletableFuture<Throwable> thrown = new CompletableFuture<>();
                long[] interruptedAt = new long[1];
                Thread thread = Thread.ofPlatform().name("mq-sel-wait").start(() -> {
                    try {
                        selector.select();
                        thrown.complete(null);
                    } catch (Throwable t) {
                        thrown.complete(t);
                    }
                });
                KernelWaits.awaitPolling(thread);
                interruptedAt[0] = System.nanoTime();
                thread.interrupt();
                assertInstanceOf(InterruptedException.class, thrown.get(20, TimeUnit.SECONDS));
                System.out.printf("blocked select ended %.1f us after interrupt%n",
                        (System.nanoTime() - interruptedAt[0]) / 1e3);
                thread.join(10_000);
            }
        });
    }

    /**
     * Closing the selector while another thread selects ends that select at once with
     * {@link IllegalStateException} naming the selector, as closing any object does. The close
     * used to wait for the monitor that the select holds: for a select without a timeout, forever.
     */
    @Test
    void shouldEndABlockedSelectWhenTheSelectorIsClosed() throws Exception {
        withThreeQueues("mq-sel-close", 4, (a, b, c) -> {
            MessageQueueSelector selector = MessageQueueSelector.open();
            selector.register(a, MessageQueueSelector.READABLE);
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().name("mq-sel-closed").start(() -> {
                try {
                    selector.select();
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            KernelWaits.awaitPolling(thread);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(selector::close);
            Throwable outcome = thrown.get(20, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, outcome, "the select's outcome: " + outcome);
            assertTrue(outcome.getMessage().contains("selector"), outcome.getMessage());
            closing.get(20, TimeUnit.SECONDS);
            thread.join(10_000);
            selector.close();
            selector.wakeup(); // after close: does nothing
            assertThrows(IllegalStateException.class, selector::selectNow);
            assertEquals(0, a.messageCount(), "the queues stay open");
        });
    }

    /**
     * Every call on a closed selector but close and wakeup throws IllegalStateException naming it
     * (docs/conventions.md), as a closed NIO selector's do; they used to answer from the emptied
     * state (false, 0, an empty list), as if the selector were open and idle.
     */
    @Test
    void shouldRefuseEveryCallAfterClose() throws Exception {
        withThreeQueues("mq-sel-after", 4, (a, b, c) -> {
            MessageQueueSelector selector = MessageQueueSelector.open();
            selector.register(a, MessageQueueSelector.READABLE);
            selector.close();
            List<org.junit.jupiter.api.function.Executable> calls = List.of(() -> selector.deregister(a), selector::registered,
                    () -> selector.readyOps(a), () -> selector.isReadable(a), () -> selector.isWritable(a),
                    () -> selector.forEachReady((q, ops) -> { }), selector::readyQueues, selector::selectNow,
                    () -> selector.register(b, MessageQueueSelector.READABLE));
            for (org.junit.jupiter.api.function.Executable call : calls) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call);
                assertTrue(e.getMessage().contains("selector"), e.getMessage());
            }
        });
    }

    /** A typed view of a closed queue is refused, as every other call on the queue is. */
    @Test
    void shouldRefuseATypedViewOfAClosedQueue() throws Exception {
        withThreeQueues("mq-typed-after", 4, (a, b, c) -> {
            a.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.typed(org.panamaipc.codec.Codec.bytes()));
            assertTrue(e.getMessage().contains(a.name()), e.getMessage());
        });
    }

    @Test
    void shouldReturnOnWakeupAndWhenARegisteredQueueCloses() throws Exception {
        withThreeQueues("mq-sel-wake", 4, (a, b, c) -> {
            try (MessageQueueSelector selector = MessageQueueSelector.open()) {
                selector.register(a, MessageQueueSelector.READABLE);
                selector.register(b, MessageQueueSelector.READABLE);
                CompletableFuture<Integer> result = new CompletableFuture<>();
                Thread thread = Thread.ofPlatform().name("mq-sel-wkup").start(() -> {
                    try {
                        result.complete(selector.select(Duration.ofSeconds(60)));
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                });
                KernelWaits.awaitPolling(thread);
                selector.wakeup();
                assertEquals(0, result.get(20, TimeUnit.SECONDS));
                thread.join(10_000);

                selector.wakeup(); // while no select runs: the next one returns at once
                assertEquals(0, selector.select(Duration.ofSeconds(60)));

                CompletableFuture<Integer> closed = new CompletableFuture<>();
                Thread waiter = Thread.ofPlatform().name("mq-sel-close").start(() -> {
                    try {
                        closed.complete(selector.select(Duration.ofSeconds(60)));
                    } catch (Throwable t) {
                        closed.completeExceptionally(t);
                    }
                });
                KernelWaits.awaitPolling(waiter);
                b.close();
                assertEquals(0, closed.get(20, TimeUnit.SECONDS));
                waiter.join(10_000);
                assertEquals(0, selector.selectNow());
                assertEquals(List.of(a), selector.registered(), "a closed queue is dropped");
            }
        });
    }
}
