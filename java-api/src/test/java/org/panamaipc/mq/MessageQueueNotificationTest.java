package org.panamaipc.mq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.IpcException;
import org.panamaipc.children.MqChild;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mq_notify} delivered to a Java callback: it fires on a send from another process, on a
 * thread the C library starts; it is one-shot; and it fires only when an empty queue gets a message.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(90)
class MessageQueueNotificationTest {

    /** How long a test waits to be sure a notification does not come. Not a bound on anything. */
    private static final long QUIET_MILLIS = 300;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldNotifyOnArrivalFromAnotherProcess() throws Exception {
        String name = TestNames.unique("mq-notify");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64))) {
            CompletableFuture<Thread> notified = new CompletableFuture<>();
            CompletableFuture<MessageQueue> argument = new CompletableFuture<>();
            queue.notifyOnArrival(q -> {
                argument.complete(q);
                notified.complete(Thread.currentThread());
            });
            try (ChildProcess child = ChildProcess.java(MqChild.class, "send", name, "4:ping")) {
                Thread thread = notified.get(60, TimeUnit.SECONDS);
                child.assertSuccess(Duration.ofSeconds(60));
                assertSame(queue, argument.get());
                assertNotSame(Thread.currentThread(), thread);
                System.out.println("notification ran on thread \"" + thread.getName() + "\" daemon="
                        + thread.isDaemon() + " virtual=" + thread.isVirtual());
            }
            assertFalse(queue.cancelNotification(), "one-shot: nothing is pending after it fired");
            assertEquals(new Message(bytes("ping"), 4), queue.tryReceive(), "the message is still there");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldNotifyOnlyWhenAnEmptyQueueGetsAMessage() throws Exception {
        String name = TestNames.unique("mq-notify-empty");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64))) {
            queue.send(bytes("already there"), 0);
            AtomicInteger calls = new AtomicInteger();
            CompletableFuture<Void> fired = new CompletableFuture<>();
            queue.notifyOnArrival(q -> {
                calls.incrementAndGet();
                fired.complete(null);
            });
            queue.send(bytes("non-empty to non-empty"), 0);
            assertThrows(TimeoutException.class, () -> fired.get(QUIET_MILLIS, TimeUnit.MILLISECONDS));
            while (queue.tryReceive() != null) {
                // empty it
            }
            queue.send(bytes("empty to non-empty"), 0);
            fired.get(30, TimeUnit.SECONDS);
            queue.send(bytes("after it fired"), 0);
            queue.tryReceive();
            queue.tryReceive();
            queue.send(bytes("again empty to non-empty"), 0);
            Thread.sleep(QUIET_MILLIS);
            assertEquals(1, calls.get(), "one-shot: a second arrival without registering again is not reported");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRegisterAgainFromTheCallback() throws Exception {
        String name = TestNames.unique("mq-notify-again");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64))) {
            AtomicInteger drained = new AtomicInteger();
            AtomicInteger finishedCalls = new AtomicInteger();
            CompletableFuture<Void> twice = new CompletableFuture<>();
            queue.notifyOnArrival(new java.util.function.Consumer<MessageQueue>() {
                @Override
                public void accept(MessageQueue q) {
                    q.notifyOnArrival(this); // first register again, then drain: no arrival is missed
                    while (q.tryReceive() != null) {
                        drained.incrementAndGet();
                    }
                    if (finishedCalls.incrementAndGet() == 2) {
                        twice.complete(null);
                    }
                }
            });
            queue.send(bytes("one"), 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (drained.get() < 1 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            queue.send(bytes("two"), 0); // arrives in an empty queue: the second call
            twice.get(30, TimeUnit.SECONDS);
            assertEquals(2, drained.get());
            assertTrue(queue.cancelNotification(), "the callback registered again");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseASecondRegistrationAndCancelOnClose() throws Exception {
        String name = TestNames.unique("mq-notify-busy");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64)); MessageQueue other = MessageQueue.open(name)) {
            AtomicInteger calls = new AtomicInteger();
            queue.notifyOnArrival(q -> calls.incrementAndGet());
            assertThrows(IllegalStateException.class, () -> queue.notifyOnArrival(q -> { }));
            IpcException busy = assertThrows(IpcException.class, () -> other.notifyOnArrival(q -> { }));
            assertEquals("EBUSY", busy.errnoName());
            assertTrue(queue.cancelNotification());
            assertFalse(queue.cancelNotification());
            other.notifyOnArrival(q -> calls.incrementAndGet());
            other.close(); // withdraws its registration
            queue.send(bytes("nobody listens"), 0);
            Thread.sleep(QUIET_MILLIS);
            assertEquals(0, calls.get());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldHandAnExceptionOfTheCallbackToTheUncaughtExceptionHandler() throws Exception {
        String name = TestNames.unique("mq-notify-throw");
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        CompletableFuture<Throwable> caught = new CompletableFuture<>();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> caught.complete(e));
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64))) {
            queue.notifyOnArrival(q -> {
                throw new IllegalStateException("thrown by the callback");
            });
            queue.send(bytes("x"), 0);
            assertEquals("thrown by the callback", caught.get(30, TimeUnit.SECONDS).getMessage());
            // the JVM is fine, and so is the queue
            assertEquals(1, queue.messageCount());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            MessageQueue.unlinkIfExists(name);
        }
    }
}
