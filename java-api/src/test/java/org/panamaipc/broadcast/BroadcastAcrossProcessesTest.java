package org.panamaipc.broadcast;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.BroadcastChild;
import org.panamaipc.children.Payloads;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broadcast between real JVMs: this JVM publishes, child JVMs ({@link BroadcastChild}) subscribe,
 * check every message they get (its bytes, by checksum, and its sequence number against their
 * position and the losses reported) and report what they saw. Subscribers join while messages
 * flow, fall behind under either policy, and die by SIGKILL.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(240)
class BroadcastAcrossProcessesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern JOINED = Pattern.compile("JOINED at=(\\d+)");
    private static final Pattern RESULT = Pattern.compile("RESULT (.*)");

    /** Sends messages {@code from..to} as {@link BroadcastChild} expects them; BLOCK waits for room. */
    private static void publish(Publisher publisher, long from, long to, MemorySegment buffer, int max) throws Exception {
        CRC32C crc = new CRC32C();
        for (long s = from; s <= to; s++) {
            assertEquals(s, publisher.nextSequence());
            int length = Payloads.length(BroadcastChild.PRODUCER, s, max);
            Payloads.write(buffer, 0, length, BroadcastChild.PRODUCER, s, crc);
            assertEquals(s, publisher.send(3, buffer, 0, length, SEND_TIMEOUT), "message " + s);
        }
    }

    private static long joinedAt(ChildProcess child) {
        child.awaitOutput("JOINED", DEADLINE);
        Matcher m = JOINED.matcher(child.output());
        assertTrue(m.find(), child.output());
        return Long.parseLong(m.group(1));
    }

    private static Map<String, String> result(ChildProcess child) {
        child.assertSuccess(DEADLINE);
        Matcher m = RESULT.matcher(child.output());
        assertTrue(m.find(), child.output());
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : m.group(1).trim().split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }

    private static long value(Map<String, String> result, String key) {
        return Long.parseLong(result.get(key));
    }

    @Test
    void shouldDeliverToThreeSubscriberJvmsEveryMessageSentAfterTheyJoined() throws Exception {
        String name = TestNames.unique("bc-three");
        BroadcastOptions options = BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(64).maxMessageLength(300);
        try (Broadcast broadcast = Broadcast.create(name, options);
             Publisher publisher = broadcast.publisher();
             Arena arena = Arena.ofConfined();
             ChildProcess a = ChildProcess.java(BroadcastChild.class, "subscribe", name, "0", "0");
             ChildProcess b = ChildProcess.java(BroadcastChild.class, "subscribe", name, "0", "0");
             ChildProcess c = ChildProcess.java(BroadcastChild.class, "subscribe", name, "0", "0")) {
            MemorySegment buffer = arena.allocate(300);
            long total = 0;
            // each subscriber joins while messages flow, after some were sent already
            publish(publisher, 1, 200, buffer, 300);
            total = 200;
            long[] joined = new long[3];
            ChildProcess[] children = {a, b, c};
            for (int i = 0; i < 3; i++) {
                CompletableFuture<Void> flowing = sendInBackground(publisher, total + 1, total + 2000, arena);
                joined[i] = joinedAt(children[i]);
                flowing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                total += 2000;
                assertTrue(joined[i] > 1 && joined[i] <= total + 1, "joined at " + joined[i]);
            }
            publish(publisher, total + 1, total + 3000, buffer, 300);
            total += 3000;
            publisher.close(); // the subscribers drain, then see it gone
            for (int i = 0; i < 3; i++) {
                Map<String, String> r = result(children[i]);
                String what = "subscriber " + i + ": " + r;
                assertEquals(joined[i], value(r, "joined"), what);
                assertEquals(joined[i], value(r, "first"), what);
                assertEquals(total, value(r, "last"), what);
                assertEquals(total - joined[i] + 1, value(r, "received"), what);
                assertEquals(0, value(r, "lost"), what);
                assertEquals(0, value(r, "bad"), what);
            }
            assertEquals(total, broadcast.published());
            broadcast.unlink();
        } finally {
            Broadcast.unlinkIfExists(name);
        }
    }

    private static CompletableFuture<Void> sendInBackground(Publisher publisher, long from, long to, Arena shared) {
        MemorySegment buffer = Arena.ofAuto().allocate(300);
        return CompletableFuture.runAsync(() -> {
            try {
                publish(publisher, from, to, buffer, 300);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void shouldHoldThePublisherBackForASlowSubscriberUnderBlockAndLoseNothing() throws Exception {
        String name = TestNames.unique("bc-slow-block");
        BroadcastOptions options = BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(16).maxMessageLength(200);
        try (Broadcast broadcast = Broadcast.create(name, options);
             Publisher publisher = broadcast.publisher();
             Arena arena = Arena.ofConfined();
             ChildProcess slow = ChildProcess.java(BroadcastChild.class, "subscribe", name, "1000", "0");
             ChildProcess fast = ChildProcess.java(BroadcastChild.class, "subscribe", name, "0", "0")) {
            assertEquals(1, joinedAt(slow));
            assertEquals(1, joinedAt(fast));
            long count = 400;
            long start = System.nanoTime();
            publish(publisher, 1, count, arena.allocate(200), 200);
            long elapsed = System.nanoTime() - start;
            publisher.close();
            for (ChildProcess child : new ChildProcess[] {slow, fast}) {
                Map<String, String> r = result(child);
                assertEquals(count, value(r, "received"), r.toString());
                assertEquals(0, value(r, "lost"), r.toString());
                assertEquals(0, value(r, "reportedLost"), r.toString());
                assertEquals(0, value(r, "bad"), r.toString());
            }
            assertTrue(publisher.timesFull() > 0, "the publisher waited for the slow subscriber");
            // the slow one takes 1 ms a message: the publisher cannot have finished much before it
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(count - 16),
                    "published " + count + " in " + elapsed / 1_000_000 + " ms");
            System.out.printf("BLOCK: %d messages to a subscriber taking 1 ms each took the publisher %d ms;"
                    + " it found the ring full %d times%n", count, elapsed / 1_000_000, publisher.timesFull());
            broadcast.unlink();
        } finally {
            Broadcast.unlinkIfExists(name);
        }
    }

    @Test
    void shouldNeverHoldThePublisherUnderLossyAndCountExactlyWhatTheSlowLost() throws Exception {
        String name = TestNames.unique("bc-slow-lossy");
        BroadcastOptions options = BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(16).maxMessageLength(200);
        try (Broadcast broadcast = Broadcast.create(name, options);
             Publisher publisher = broadcast.publisher();
             Arena arena = Arena.ofConfined();
             ChildProcess slow = ChildProcess.java(BroadcastChild.class, "subscribe", name, "500", "0");
             ChildProcess fast = ChildProcess.java(BroadcastChild.class, "subscribe", name, "0", "0")) {
            assertEquals(1, joinedAt(slow));
            assertEquals(1, joinedAt(fast));
            MemorySegment buffer = arena.allocate(200);
            CRC32C crc = new CRC32C();
            long count = 200_000;
            for (long s = 1; s <= count; s++) {
                int length = Payloads.length(BroadcastChild.PRODUCER, s, 200);
                Payloads.write(buffer, 0, length, BroadcastChild.PRODUCER, s, crc);
                assertEquals(s, publisher.trySend(3, buffer, 0, length), "the try form never finds it full");
            }
            publisher.close();
            assertEquals(0, publisher.timesFull());
            for (ChildProcess child : new ChildProcess[] {slow, fast}) {
                Map<String, String> r = result(child);
                String what = r.toString();
                assertEquals(count, value(r, "received") + value(r, "lost"), "every message received or counted lost: " + what);
                assertEquals(value(r, "lost"), value(r, "reportedLost"), what);
                assertEquals(0, value(r, "bad"), "no torn or misnumbered message: " + what);
                assertEquals(count, value(r, "last"), what);
            }
            Map<String, String> slowResult = result(slow);
            assertTrue(value(slowResult, "lost") > 0, "the slow subscriber was lapped: " + slowResult);
            System.out.println("LOSSY: slow subscriber " + slowResult + ", fast " + result(fast));
            broadcast.unlink();
        } finally {
            Broadcast.unlinkIfExists(name);
        }
    }

    @Test
    void shouldNotLetASubscriberKilledWithSigkillHoldAnyoneBack() throws Exception {
        String name = TestNames.unique("bc-kill");
        BroadcastOptions options = BroadcastOptions.of(SlowSubscriberPolicy.BLOCK).capacity(16).maxMessageLength(200);
        try (Broadcast broadcast = Broadcast.create(name, options);
             Publisher publisher = broadcast.publisher();
             Arena arena = Arena.ofConfined();
             ChildProcess stalls = ChildProcess.java(BroadcastChild.class, "subscribe", name, "0", "100");
             ChildProcess lives = ChildProcess.java(BroadcastChild.class, "subscribe", name, "0", "0")) {
            assertEquals(1, joinedAt(stalls));
            assertEquals(1, joinedAt(lives));
            long count = 3000;
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    publish(publisher, 1, count, Arena.ofAuto().allocate(200), 200);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            stalls.awaitOutput("STALLED", DEADLINE);
            // held back: the stalled subscriber's next message is a whole ring behind the tail
            long held = awaitStill(broadcast, 100 + 16);
            stalls.kill();
            long killed = System.nanoTime();
            long resumed = awaitPast(broadcast, held);
            sending.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            publisher.close();
            Map<String, String> r = result(lives);
            assertEquals(count, value(r, "received"), r.toString());
            assertEquals(0, value(r, "lost"), r.toString());
            assertEquals(0, value(r, "bad"), r.toString());
            assertTrue(broadcast.retiredReceived() >= 100, "the dead one's slot was retired with its count");
            System.out.printf("a subscriber killed with SIGKILL held the publisher %.1f ms after the kill"
                    + " (liveness check every %d ms)%n", (resumed - killed) / 1e6, Publisher.LIVENESS_CHECK_INTERVAL.toMillis());
            broadcast.unlink();
        } finally {
            Broadcast.unlinkIfExists(name);
        }
    }

    /** Waits until the broadcast has published exactly {@code expected} messages and stays there; {@return it} */
    private static long awaitStill(Broadcast broadcast, long expected) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (broadcast.published() != expected) {
            assertTrue(System.nanoTime() < end, "published " + broadcast.published() + ", expected to stop at " + expected);
            Thread.sleep(1);
        }
        Thread.sleep(50);
        assertEquals(expected, broadcast.published(), "held back by the stalled subscriber");
        return expected;
    }

    /** Spins until the broadcast has published more than {@code held}; {@return when} */
    private static long awaitPast(Broadcast broadcast, long held) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (broadcast.published() <= held) {
            assertTrue(System.nanoTime() < end, "the publisher is still held back");
            Thread.onSpinWait();
        }
        return System.nanoTime();
    }

    @Test
    void shouldTakeASubscriberKilledAsleepOffTheWaitingCount() throws Exception {
        String name = TestNames.unique("bc-killed-asleep");
        try (Broadcast broadcast = Broadcast.create(name, BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(4));
             Publisher publisher = broadcast.publisher();
             ChildProcess sleeper = ChildProcess.java(BroadcastChild.class, "sleep-in-receive", name)) {
            joinedAt(sleeper);
            MemorySegment body = bodyOf(broadcast);
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (waiting(body) != 1) {
                assertTrue(System.nanoTime() < end, "the child never slept");
                Thread.sleep(1);
            }
            sleeper.kill();
            assertEquals(1, waiting(body), "killed asleep: its 1 stays until its slot is retired");
            try (Subscriber next = broadcast.subscribe()) { // joining retires the dead
                assertEquals(0, waiting(body));
                assertEquals(1, broadcast.subscribers());
                publisher.trySend(0, new byte[1]);
                assertEquals(1, next.tryReceiveBytes().length);
            }
            broadcast.unlink();
        } finally {
            Broadcast.unlinkIfExists(name);
        }
    }

    private static MemorySegment bodyOf(Broadcast broadcast) {
        return broadcast.memory().body;
    }

    private static int waiting(MemorySegment body) {
        return (int) BroadcastMemory.INT.getVolatile(body, (long) BroadcastDescriptor.SUBSCRIBERS_WAITING_OFFSET);
    }
}
