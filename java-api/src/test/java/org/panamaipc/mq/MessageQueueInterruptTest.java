package org.panamaipc.mq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.codec.Codec;
import org.panamaipc.testkit.KernelWaits;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread blocked in a send or receive ends with {@link InterruptedException} when interrupted,
 * and with {@link IllegalStateException} when another thread closes the queue; how long that
 * takes is printed (a figure for the notes, never asserted).
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class MessageQueueInterruptTest {

    /** What a blocked thread ran into, and how long after the interrupt (or close) it did. */
    private record Outcome(Throwable thrown, long nanosAfter) {
    }

    @FunctionalInterface
    private interface Blocking {
        void run() throws Exception;
    }

    /**
     * Runs {@code blocking} on a new thread named {@code threadName}, waits until the thread sleeps
     * in the kernel, then runs {@code trigger}; {@return what the thread threw and when}
     */
    private static Outcome blockThen(String threadName, Blocking blocking, Runnable trigger) throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        long[] triggeredAt = new long[1];
        Thread thread = Thread.ofPlatform().name(threadName).start(() -> {
            try {
                blocking.run();
                outcome.completeExceptionally(new AssertionError("returned instead of throwing"));
            } catch (Throwable t) {
                outcome.complete(new Outcome(t, System.nanoTime() - triggeredAt[0]));
            }
        });
        KernelWaits.awaitBlocked(thread);
        triggeredAt[0] = System.nanoTime();
        trigger.run();
        Outcome result = outcome.get(20, TimeUnit.SECONDS);
        thread.join(10_000);
        return result;
    }

    private static Outcome interruptWhileBlocked(String threadName, Blocking blocking) throws Exception {
        Thread[] self = new Thread[1];
        return blockThen(threadName, () -> {
            self[0] = Thread.currentThread();
            blocking.run();
        }, () -> self[0].interrupt());
    }

    @Test
    void shouldEndABlockedReceivePromptlyWhenInterrupted() throws Exception {
        String name = TestNames.unique("mq-int-recv");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 32))) {
            long[] samples = new long[15];
            for (int i = 0; i < samples.length; i++) {
                Outcome outcome = interruptWhileBlocked("mq-recv-int", queue::receive);
                assertInstanceOf(InterruptedException.class, outcome.thrown());
                samples[i] = outcome.nanosAfter();
            }
            Arrays.sort(samples);
            System.out.printf("blocked receive ended %.1f us after interrupt (median of %d; min %.1f us, max %.1f us)%n",
                    samples[samples.length / 2] / 1e3, samples.length, samples[0] / 1e3,
                    samples[samples.length - 1] / 1e3);
            // the queue is still fine, and the thread's interrupt eventfd was reset
            assertEquals(0, queue.trySend("after".getBytes(StandardCharsets.UTF_8), 0));
            assertEquals("after", queue.receive(Duration.ofSeconds(5)).text());
            assertEquals(null, queue.receive(Duration.ofMillis(50)), "no stale wake-up");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldEndABlockedSendPromptlyWhenInterrupted() throws Exception {
        String name = TestNames.unique("mq-int-send");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(1, 32))) {
            assertEquals(0, queue.trySend(new byte[] {1}, 0));
            Outcome outcome = interruptWhileBlocked("mq-send-int", () -> queue.send(new byte[] {2}, 0));
            assertInstanceOf(InterruptedException.class, outcome.thrown());
            System.out.printf("blocked send ended %.1f us after interrupt%n", outcome.nanosAfter() / 1e3);
            assertEquals(1, queue.messageCount(), "the interrupted send sent nothing");
            Outcome timed = interruptWhileBlocked("mq-tsend-int",
                    () -> queue.send(new byte[] {3}, 0, Duration.ofSeconds(30)));
            assertInstanceOf(InterruptedException.class, timed.thrown());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldEndATypedReceivePromptlyWhenInterrupted() throws Exception {
        String name = TestNames.unique("mq-int-typed");
        try (TypedMessageQueue<String> queue = MessageQueue.create(name, QueueOptions.of(2, 64)).typed(Codec.utf8())) {
            Outcome outcome = interruptWhileBlocked("mq-typed-int", () -> queue.receive(Duration.ofSeconds(30)));
            assertInstanceOf(InterruptedException.class, outcome.thrown());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldThrowAtOnceIfAlreadyInterrupted() throws Exception {
        String name = TestNames.unique("mq-preint");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 32))) {
            queue.send(new byte[] {1}, 0);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, queue::receive);
            assertFalse(Thread.currentThread().isInterrupted(), "the exception consumes the interrupt");
            assertEquals(1, queue.messageCount(), "no message was taken");
            Thread.currentThread().interrupt();
            assertEquals(1, queue.tryReceive().length(), "a try does not look at the interrupt status");
            assertTrue(Thread.interrupted());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    /**
     * {@code close()} has one meaning in every family: the blocked threads wake (with
     * {@link IllegalStateException} naming the object) and the descriptors are released before
     * it returns. The queue's close used to return at once and leave the descriptors to the last
     * blocked thread to leave.
     */
    @Test
    void shouldReleaseTheDescriptorsBeforeCloseReturns() throws Exception {
        String name = TestNames.unique("mq-close-fds");
        try {
            MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 32));
            long[] open = new long[2];
            Outcome outcome = blockThen("mq-close-fds", queue::receive, () -> {
                open[0] = descriptors(name);
                queue.close();
                open[1] = descriptors(name);
            });
            assertEquals(2, open[0], "the queue's descriptor and the blocking one, before the close");
            assertEquals(0, open[1], "released when close() returned");
            assertInstanceOf(IllegalStateException.class, outcome.thrown());
            assertTrue(outcome.thrown().getMessage().contains(name), outcome.thrown().getMessage());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    /** {@return how many descriptors of this process lead to the queue {@code name}} */
    private static long descriptors(String name) {
        try (java.util.stream.Stream<java.nio.file.Path> fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().endsWith(name);
                } catch (java.io.IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldWakeBlockedThreadsWhenTheQueueIsClosed() throws Exception {
        String name = TestNames.unique("mq-close-wake");
        try {
            MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 32));
            Outcome outcome = blockThen("mq-close-wait", queue::receive, queue::close);
            assertInstanceOf(IllegalStateException.class, outcome.thrown());
            assertTrue(outcome.thrown().getMessage().contains("was closed while waiting"), outcome.thrown().getMessage());
            System.out.printf("blocked receive ended %.1f us after close%n", outcome.nanosAfter() / 1e3);
            assertTrue(queue.isClosed());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }
}
