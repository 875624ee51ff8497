package org.panamaipc.channel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.panamaipc.children.ChannelChild;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A blocked receiver that sleeps without a slice ({@link QuietSleep}, {@link PeerDeaths}): it goes
 * to sleep once while nothing happens, and still ends at once when its sender (another process)
 * dies, when a sender that attached while it slept dies, and when it is interrupted. Each test
 * that needs a wake-up makes the receiver's own slice ten minutes and waits without a timeout, so
 * that only a wake-up can end the sleep within the test's deadline of 30 s: a sleep that is not
 * woken fails, it is never merely late.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class ChannelQuietWaitTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final MessageHandler NOTHING = (header, buffer, offset, length) -> { };

    private long slice;

    @BeforeEach
    void lengthenTheSlice() {
        slice = ReceiverEndpoint.sleepSliceNanos;
    }

    @AfterEach
    void restoreTheSlice() {
        ReceiverEndpoint.sleepSliceNanos = slice;
    }

    private static int word(SharedMemory view, int bodyOffset) {
        return (int) ChannelMemory.INT.getVolatile(view.segment(), (long) SegmentHeaderDescriptor.HEADER_SIZE + bodyOffset);
    }

    private static void awaitSleeper(SharedMemory view) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (word(view, ChannelDescriptor.RECEIVERS_WAITING_OFFSET) != 1) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("the receiver did not go to sleep within " + DEADLINE);
            }
            Thread.sleep(1);
        }
    }

    private static <T> FutureTask<T> inThread(java.util.concurrent.Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = new Thread(future, "receiver");
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    /** Three seconds of nothing: one sleep (with the 250 ms slice of before, about twelve). */
    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldGoToSleepOnceWhileNothingHappens(ChannelType type) throws Exception {
        String name = TestNames.unique("quiet-idle-" + type);
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1 << 14));
             ChildProcess sender = ChildProcess.java(ChannelChild.class, "send-later", name, "60000", "1")) {
            sender.awaitOutput("ready", DEADLINE);
            try (Receiver receiver = channel.receiver(WaitStrategy.blocking(), true)) {
                assertEquals(Receiver.EMPTY, receiver.receive(NOTHING, 1, Duration.ofSeconds(3)));
                long sleeps = channel.stats().receiverSleeps();
                assertTrue(sleeps >= 1 && sleeps <= 2, "went to sleep " + sleeps + " times in 3 s of nothing");
            }
            sender.kill();
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldTellASleepingReceiverAtOnceThatItsSenderDied(ChannelType type) throws Exception {
        ReceiverEndpoint.sleepSliceNanos = TimeUnit.MINUTES.toNanos(10);
        String name = TestNames.unique("quiet-death-" + type);
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1 << 14));
             SharedMemory view = SharedMemory.open(name);
             ChildProcess sender = ChildProcess.java(ChannelChild.class, "send-later", name, "60000", "1")) {
            sender.awaitOutput("ready", DEADLINE);
            try (Receiver receiver = channel.receiver(WaitStrategy.blocking(), true)) {
                FutureTask<Integer> receiving = inThread(() -> receiver.receive(NOTHING, 1));
                awaitSleeper(view);
                sender.kill();
                assertEquals(Receiver.CLOSED, receiving.get(30, TimeUnit.SECONDS),
                        "the sender's death ended the sleep (a TimeoutException: nothing woke it)");
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /** A sender that attaches while the receiver sleeps wakes it, so that its death is watched too. */
    @Test
    void shouldWatchASenderThatAttachedWhileTheReceiverSlept() throws Exception {
        ReceiverEndpoint.sleepSliceNanos = TimeUnit.MINUTES.toNanos(10);
        String name = TestNames.unique("quiet-late");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(1 << 14));
             SharedMemory view = SharedMemory.open(name);
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), true)) {
            FutureTask<Integer> receiving = inThread(() -> receiver.receive(NOTHING, 1));
            awaitSleeper(view); // no sender yet: it waits for one
            try (ChildProcess sender = ChildProcess.java(ChannelChild.class, "send-later", name, "60000", "1")) {
                sender.awaitOutput("ready", DEADLINE);
                awaitSleeper(view); // woken by the attach, and asleep again, watching
                sender.kill();
                assertEquals(Receiver.CLOSED, receiving.get(30, TimeUnit.SECONDS),
                        "the late sender's death ended the sleep (a TimeoutException: nothing woke it)");
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldEndAQuietSleepOnInterrupt() throws Exception {
        ReceiverEndpoint.sleepSliceNanos = TimeUnit.MINUTES.toNanos(10);
        String name = TestNames.unique("quiet-interrupt");
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(1 << 14));
             SharedMemory view = SharedMemory.open(name);
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
            for (int trial = 0; trial < 20; trial++) {
                FutureTask<Integer> receiving = new FutureTask<>(() -> receiver.receive(NOTHING, 1));
                Thread thread = new Thread(receiving, "receiver " + trial);
                thread.setDaemon(true);
                thread.start();
                awaitSleeper(view);
                thread.interrupt();
                ExecutionException e = assertThrows(ExecutionException.class, () -> receiving.get(60, TimeUnit.SECONDS));
                assertInstanceOf(InterruptedException.class, e.getCause());
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }
}
