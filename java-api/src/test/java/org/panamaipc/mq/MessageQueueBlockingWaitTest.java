package org.panamaipc.mq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.MqSignalChild;
import org.panamaipc.internal.InterruptSignal;
import org.panamaipc.testkit.KernelWaits;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking forms wait in the queue's own {@code mq_timedreceive} / {@code mq_timedsend} on a
 * second, blocking descriptor when {@link InterruptSignal} is usable, and in {@code poll(2)}
 * otherwise; either way an interrupt or a close ends the wait, and timeouts hold.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class MessageQueueBlockingWaitTest {

    private static final Duration CHILD_EXIT = Duration.ofSeconds(60);

    @FunctionalInterface
    private interface Blocking {
        Object run() throws Exception;
    }

    /** Starts {@code blocking} on a thread named {@code threadName}; the future holds what it returned or threw. */
    private static Thread start(String threadName, Blocking blocking, CompletableFuture<Object> outcome) {
        return Thread.ofPlatform().name(threadName).start(() -> {
            try {
                outcome.complete(blocking.run());
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
    }

    @Test
    void shouldFindTheJdkSignalUsable() {
        assertTrue(InterruptSignal.usable(), InterruptSignal.describe());
    }

    @Test
    void shouldWaitInTheQueueAndEndWhenInterrupted() throws Exception {
        String name = TestNames.unique("mq-bw-int");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(1, 32))) {
            CompletableFuture<Object> received = new CompletableFuture<>();
            Thread receiver = start("mq-bw-recv", queue::receive, received);
            KernelWaits.awaitSleeping(receiver, KernelWaits.MQ_WAIT);
            long start = System.nanoTime();
            receiver.interrupt();
            assertInstanceOf(InterruptedException.class, received.get(20, TimeUnit.SECONDS));
            System.out.printf("receive blocked in the queue ended %.1f us after interrupt%n",
                    (System.nanoTime() - start) / 1e3);
            receiver.join(10_000);

            assertEquals(0, queue.trySend(new byte[] {1}, 0));
            CompletableFuture<Object> sent = new CompletableFuture<>();
            Thread sender = start("mq-bw-send", () -> {
                queue.send(new byte[] {2}, 0);
                return true;
            }, sent);
            KernelWaits.awaitSleeping(sender, KernelWaits.MQ_WAIT);
            sender.interrupt();
            assertInstanceOf(InterruptedException.class, sent.get(20, TimeUnit.SECONDS));
            sender.join(10_000);
            assertEquals(1, queue.messageCount(), "the interrupted send sent nothing");
            assertEquals(1, queue.tryReceive().payload()[0]);
            assertNull(queue.receive(Duration.ofMillis(20)), "no stale message, no stale wake-up");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeEveryThreadBlockedInTheQueueWhenClosed() throws Exception {
        String name = TestNames.unique("mq-bw-close");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(1, 32))) {
            MessageQueue receiving = MessageQueue.open(name);
            List<CompletableFuture<Object>> outcomes = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                CompletableFuture<Object> outcome = new CompletableFuture<>();
                threads.add(start("mq-bw-c" + i, receiving::receive, outcome));
                outcomes.add(outcome);
            }
            for (Thread thread : threads) {
                KernelWaits.awaitSleeping(thread, KernelWaits.MQ_WAIT);
            }
            receiving.close();
            for (CompletableFuture<Object> outcome : outcomes) {
                Throwable thrown = assertInstanceOf(IllegalStateException.class, outcome.get(20, TimeUnit.SECONDS));
                assertTrue(thrown.getMessage().contains("was closed while waiting"), thrown.getMessage());
            }
            for (Thread thread : threads) {
                thread.join(10_000);
            }

            assertEquals(0, queue.trySend(new byte[] {1}, 0));
            MessageQueue sending = MessageQueue.open(name);
            CompletableFuture<Object> sent = new CompletableFuture<>();
            Thread sender = start("mq-bw-cs", () -> {
                sending.send(new byte[] {2}, 0);
                return true;
            }, sent);
            KernelWaits.awaitSleeping(sender, KernelWaits.MQ_WAIT);
            sending.close();
            assertInstanceOf(IllegalStateException.class, sent.get(20, TimeUnit.SECONDS));
            sender.join(10_000);
            assertEquals(1, queue.messageCount(), "the woken send sent nothing");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    /**
     * A receive blocked in the queue with nothing arriving is never woken: it makes no system
     * call (with the 100 ms slices of before, a second held about ten context switches of the
     * thread, each a return from {@code mq_timedreceive} and a new call).
     */
    @Test
    void shouldNeverWakeWhileBlockedWithNothingArriving() throws Exception {
        String name = TestNames.unique("mq-bw-quiet");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(1, 32))) {
            CompletableFuture<Object> received = new CompletableFuture<>();
            Thread receiver = start("mq-bw-quiet", queue::receive, received);
            KernelWaits.awaitSleeping(receiver, KernelWaits.MQ_WAIT);
            long before = contextSwitches(receiver);
            Thread.sleep(1_000);
            long after = contextSwitches(receiver);
            assertEquals(before, after, "context switches of the blocked receiver in one second");
            assertEquals(0, queue.trySend("end".getBytes(StandardCharsets.UTF_8), 0));
            assertEquals("end", assertInstanceOf(Message.class, received.get(20, TimeUnit.SECONDS)).text());
            receiver.join(10_000);
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    /**
     * An interrupt whose signal lands after the thread looked at its interrupt status and before
     * the kernel's call began (a child JVM holds its receiver there, {@link QueueEntryRaceChild})
     * still ends the receive: the signal is sent again while the thread is in the call, which has
     * no timeout to end it otherwise.
     */
    @Test
    void shouldEndAReceiveInterruptedJustBeforeItEntersTheCall() throws Exception {
        String name = TestNames.unique("mq-bw-race");
        try (ChildProcess child = ChildProcess.java(QueueEntryRaceChild.class, name)) {
            child.assertSuccess(CHILD_EXIT);
            assertTrue(child.output().contains("receive ended with InterruptedException"), child.output());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    /** {@return the voluntary and involuntary context switches of {@code thread} so far} */
    private static long contextSwitches(Thread thread) throws java.io.IOException {
        String comm = thread.getName().length() > 15 ? thread.getName().substring(0, 15) : thread.getName();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                if (java.nio.file.Files.readString(task.resolve("comm")).trim().equals(comm)) {
                    long switches = 0;
                    for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    return switches;
                }
            }
        }
        throw new AssertionError("no thread named " + comm);
    }

    @Test
    void shouldEndATimedReceiveAfterItsTimeoutOnly() throws Exception {
        String name = TestNames.unique("mq-bw-time");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 32))) {
            // a timed wait polls with its deadline on the monotonic clock; longer than the 100 ms
            // slices the untimed forms once had, to show nothing of theirs leaks into it
            long timeout = TimeUnit.MILLISECONDS.toNanos(250);
            long start = System.nanoTime();
            assertNull(queue.receive(Duration.ofNanos(timeout)));
            long waited = System.nanoTime() - start;
            assertTrue(waited >= timeout, "returned after " + waited + " ns, before the timeout of " + timeout);
            queue.trySend("late".getBytes(StandardCharsets.UTF_8), 0);
            assertEquals("late", queue.receive(Duration.ofNanos(timeout)).text());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWaitInPollWhenTheNameNoLongerLeadsToTheQueue() throws Exception {
        String name = TestNames.unique("mq-bw-unl");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 32))) {
            queue.unlink(); // the blocking descriptor is opened by name: it cannot be, so receive polls
            CompletableFuture<Object> received = new CompletableFuture<>();
            Thread receiver = start("mq-bw-poll", () -> queue.receive(Duration.ofSeconds(30)), received);
            KernelWaits.awaitPolling(receiver);
            assertEquals(0, queue.trySend("via poll".getBytes(StandardCharsets.UTF_8), 0));
            assertEquals("via poll", assertInstanceOf(Message.class, received.get(20, TimeUnit.SECONDS)).text());
            receiver.join(10_000);
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldFallBackToPollWhenTheSignalWouldRestartTheCall() {
        assertFallsBack("restart");
    }

    @Test
    void shouldFallBackToPollWhenTheSignalIsIgnored() {
        assertFallsBack("ignore");
    }

    private static void assertFallsBack(String how) {
        String name = TestNames.unique("mq-bw-" + how);
        try (ChildProcess child = ChildProcess.java(MqSignalChild.class, how, name)) {
            child.assertSuccess(CHILD_EXIT);
            String output = child.output();
            System.out.print(output);
            assertTrue(output.contains("usable=false"), output);
            assertTrue(output.contains("wchan=") && !output.contains("wchan=\n") && output.contains("poll"), output);
            assertTrue(output.contains("interrupt: InterruptedException"), output);
            assertTrue(output.contains("close: IllegalStateException"), output);
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }
}
