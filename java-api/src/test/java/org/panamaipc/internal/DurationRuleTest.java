package org.panamaipc.internal;

import org.panamaipc.Outcome;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamaipc.codec.Codec;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.mq.MessageQueueSelector;
import org.panamaipc.mq.TypedMessageQueue;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.sync.MutexDescriptor;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Duration} rule of docs/conventions.md at every waiting entry point of the shared
 * memory, primitive and message-queue families: {@code null} is a {@link NullPointerException}
 * naming the parameter; zero or negative means "do not wait" (the try form); a duration too long to
 * count in nanoseconds means "as long as it takes", never an {@link ArithmeticException}.
 * Regression cases for issue 10, defect 6.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class DurationRuleTest {

    /** How "wait forever" is commonly written; {@code toNanos()} overflows on it. */
    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
    private static final Duration NEGATIVE = Duration.ofNanos(-1);
    /** Runs each task on a new thread, so no task waits for a pool thread another one holds. */
    private static final java.util.concurrent.Executor OWN_THREAD = task -> Thread.ofPlatform().daemon().start(task);

    /** One waiting call on an object that cannot go on yet, and what lets it go on. */
    interface Scenario extends AutoCloseable {
        /** Makes the call; {@return whether what it waits for happened} */
        boolean call(Duration timeout) throws Exception;

        /** Lets the call go on; returns once it can. */
        void makeAvailable() throws Exception;

        @Override
        void close() throws Exception;
    }

    interface Factory {
        Scenario create(String name) throws Exception;
    }

    record EntryPoint(String name, String parameter, Factory factory) {
        EntryPoint(String name, Factory factory) {
            this(name, "timeout", factory);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<EntryPoint> entryPoints() {
        return Stream.of(
                new EntryPoint("IpcMutex.tryLock", MutexScenario::new),
                new EntryPoint("IpcSemaphore.tryAcquire", SemaphoreScenario::new),
                new EntryPoint("IpcLatch.await", LatchScenario::new),
                new EntryPoint("IpcEvent.await", EventScenario::new),
                new EntryPoint("Futex.wait", FutexScenario::new),
                new EntryPoint("IpcSegment.open", "readyTimeout", OpenScenario::new),
                new EntryPoint("MessageQueue.receive(Duration)", name -> new ReceiveScenario(name,
                        (queue, timeout) -> queue.receive(timeout) != null)),
                new EntryPoint("MessageQueue.receive(MemorySegment, Duration)", name -> new ReceiveScenario(name,
                        (queue, timeout) -> queue.receive(Arena.ofAuto().allocate(64), timeout) != Outcome.EMPTY)),
                new EntryPoint("MessageQueue.receive(ByteBuffer, Duration)", name -> new ReceiveScenario(name,
                        (queue, timeout) -> queue.receive(ByteBuffer.allocate(64), timeout) != Outcome.EMPTY)),
                new EntryPoint("MessageQueue.send(byte[], int, Duration)", name -> new SendScenario(name,
                        (queue, timeout) -> queue.send(new byte[] {1}, 0, timeout) == 0)),
                new EntryPoint("MessageQueue.send(ByteBuffer, int, Duration)", name -> new SendScenario(name,
                        (queue, timeout) -> queue.send(ByteBuffer.wrap(new byte[] {1}), 0, timeout) == 0)),
                new EntryPoint("MessageQueue.send(MemorySegment, int, Duration)", name -> new SendScenario(name,
                        (queue, timeout) -> queue.send(MemorySegment.ofArray(new byte[] {1}), 0, timeout) == 0)),
                new EntryPoint("TypedMessageQueue.receive(Duration)", TypedReceiveScenario::new),
                new EntryPoint("TypedMessageQueue.send(T, int, Duration)", TypedSendScenario::new),
                new EntryPoint("MessageQueueSelector.select(Duration)", SelectScenario::new));
    }

    static Stream<Arguments> everyEntryPoint() {
        return entryPoints().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEntryPoint")
    void shouldWaitAsLongAsItTakesForAHugeDuration(EntryPoint entry) throws Exception {
        String name = TestNames.unique("duration");
        try (Scenario scenario = entry.factory().create(name)) {
            AtomicBoolean madeAvailable = new AtomicBoolean();
            // a thread of its own: the common pool has one thread on 2 CPUs, which a scenario may hold
            CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(200);
                    madeAvailable.set(true);
                    scenario.makeAvailable();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, OWN_THREAD);
            // nothing is available until the other thread says so: a call that did not wait
            // (a huge Duration taken as zero) returns false at once; one that waited returns true
            // after the other thread went on (an order, not a time: the machine may be loaded)
            assertTrue(scenario.call(HUGE), entry + " with " + HUGE + " returns once it can go on");
            assertTrue(madeAvailable.get(), "it waited for the other thread rather than returning at once");
            later.get(30, TimeUnit.SECONDS);
        } finally {
            cleanUp(name);
        }
        String available = TestNames.unique("duration");
        try (Scenario scenario = entry.factory().create(available)) {
            scenario.makeAvailable();
            assertTrue(scenario.call(HUGE), entry + " with " + HUGE + " when it can go on at once");
        } finally {
            cleanUp(available);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEntryPoint")
    void shouldNotWaitForZero(EntryPoint entry) throws Exception {
        assertBehavesAsTry(entry, Duration.ZERO);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEntryPoint")
    void shouldNotWaitForANegativeDuration(EntryPoint entry) throws Exception {
        assertBehavesAsTry(entry, NEGATIVE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEntryPoint")
    void shouldThrowNullPointerExceptionNamingTheTimeout(EntryPoint entry) throws Exception {
        String name = TestNames.unique("duration");
        try (Scenario scenario = entry.factory().create(name)) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> scenario.call(null));
            assertEquals(entry.parameter(), e.getMessage(), entry + " names its parameter");
        } finally {
            cleanUp(name);
        }
    }

    private static void assertBehavesAsTry(EntryPoint entry, Duration timeout) throws Exception {
        String name = TestNames.unique("duration");
        try (Scenario scenario = entry.factory().create(name)) {
            assertFalse(scenario.call(timeout), entry + " with " + timeout + " does not wait");
            scenario.makeAvailable();
            assertTrue(scenario.call(timeout), entry + " with " + timeout + " when it can go on at once");
        } finally {
            cleanUp(name);
        }
    }

    private static void cleanUp(String name) {
        SharedMemory.unlinkIfExists(name);
        MessageQueue.unlinkIfExists(name);
    }

    // ---- the scenarios ----

    /** A mutex held by another thread until made available. */
    static final class MutexScenario implements Scenario {
        private final IpcMutex mutex;
        private final CountDownLatch release = new CountDownLatch(1);
        private final Thread holder;
        private boolean heldByMe;

        MutexScenario(String name) throws InterruptedException {
            mutex = IpcMutex.create(name);
            CountDownLatch locked = new CountDownLatch(1);
            holder = new Thread(() -> {
                try {
                    mutex.lock();
                    locked.countDown();
                    release.await();
                    mutex.unlock();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            holder.start();
            assertTrue(locked.await(10, TimeUnit.SECONDS));
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            boolean locked = mutex.tryLock(timeout);
            if (locked) {
                mutex.unlock();
            }
            return locked;
        }

        @Override
        public void makeAvailable() throws InterruptedException {
            release.countDown();
            holder.join(10_000);
        }

        @Override
        public void close() throws InterruptedException {
            makeAvailable();
            mutex.close();
        }
    }

    static final class SemaphoreScenario implements Scenario {
        private final IpcSemaphore semaphore;

        SemaphoreScenario(String name) {
            semaphore = IpcSemaphore.create(name, 0);
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            boolean acquired = semaphore.tryAcquire(timeout);
            if (acquired) {
                semaphore.release();
            }
            return acquired;
        }

        @Override
        public void makeAvailable() {
            semaphore.release();
        }

        @Override
        public void close() {
            semaphore.close();
        }
    }

    static final class LatchScenario implements Scenario {
        private final IpcLatch latch;

        LatchScenario(String name) {
            latch = IpcLatch.create(name, 1);
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            return latch.await(timeout);
        }

        @Override
        public void makeAvailable() {
            latch.countDown();
        }

        @Override
        public void close() {
            latch.close();
        }
    }

    static final class EventScenario implements Scenario {
        private final IpcEvent event;

        EventScenario(String name) {
            event = IpcEvent.create(name, IpcEvent.Type.MANUAL_RESET);
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            return event.await(timeout);
        }

        @Override
        public void makeAvailable() {
            event.set();
        }

        @Override
        public void close() {
            event.close();
        }
    }

    /** A futex word that holds what the waiter expects until made available. */
    static final class FutexScenario implements Scenario {
        private final SharedMemory memory;
        private final Futex futex;

        FutexScenario(String name) {
            memory = SharedMemory.create(name, 4096);
            futex = Futex.of(memory.segment(), 64);
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            return futex.wait(0, timeout) != Futex.WaitResult.TIMED_OUT;
        }

        @Override
        public void makeAvailable() {
            futex.setRelease(1);
            futex.wakeAll();
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    /** A segment whose creator is still initialising it until made available. */
    static final class OpenScenario implements Scenario {
        private final String name;
        private final CountDownLatch release = new CountDownLatch(1);
        private final CompletableFuture<IpcSegment> creator;

        OpenScenario(String name) throws Exception {
            this.name = name;
            CountDownLatch initialising = new CountDownLatch(1);
            creator = CompletableFuture.supplyAsync(() -> IpcSegment.create(name, SegmentKind.MUTEX,
                    MutexDescriptor.SIZE, SharedMemory.DEFAULT_MODE, body -> {
                        initialising.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }), OWN_THREAD);
            assertTrue(initialising.await(10, TimeUnit.SECONDS));
        }

        @Override
        public boolean call(Duration timeout) {
            try (IpcSegment opened = IpcSegment.open(name, SegmentKind.MUTEX, MutexDescriptor.SIZE, timeout)) {
                return opened.kind() == SegmentKind.MUTEX;
            } catch (org.panamaipc.IpcTimeoutException e) {
                return false; // the creator, alive, did not mark it ready in time
            }
        }

        @Override
        public void makeAvailable() throws Exception {
            release.countDown();
            creator.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            makeAvailable();
            creator.get().close();
        }
    }

    interface QueueCall {
        boolean call(MessageQueue queue, Duration timeout) throws Exception;
    }

    /** An empty queue until made available. */
    static final class ReceiveScenario implements Scenario {
        private final MessageQueue queue;
        private final QueueCall receive;

        ReceiveScenario(String name, QueueCall receive) {
            this.queue = MessageQueue.create(name, QueueOptions.of(1, 64));
            this.receive = receive;
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            boolean received = receive.call(queue, timeout);
            if (received) {
                makeAvailable();
            }
            return received;
        }

        @Override
        public void makeAvailable() {
            assertEquals(0, queue.trySend(new byte[] {7}, 0));
        }

        @Override
        public void close() {
            queue.close();
        }
    }

    /** A full queue until made available. */
    static final class SendScenario implements Scenario {
        private final MessageQueue queue;
        private final QueueCall send;

        SendScenario(String name, QueueCall send) {
            this.queue = MessageQueue.create(name, QueueOptions.of(1, 64));
            this.send = send;
            assertEquals(0, queue.trySend(new byte[] {7}, 0));
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            boolean sent = send.call(queue, timeout);
            if (sent) {
                makeAvailable();
            }
            return sent;
        }

        @Override
        public void makeAvailable() {
            assertTrue(queue.tryReceive() != null);
        }

        @Override
        public void close() {
            queue.close();
        }
    }

    static final class TypedReceiveScenario implements Scenario {
        private final TypedMessageQueue<String> queue;

        TypedReceiveScenario(String name) {
            queue = MessageQueue.create(name, QueueOptions.of(1, 64)).typed(Codec.utf8());
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            String received = queue.receive(timeout);
            if (received != null) {
                makeAvailable();
            }
            return received != null;
        }

        @Override
        public void makeAvailable() {
            assertEquals(0, queue.trySend("x", 0));
        }

        @Override
        public void close() {
            queue.close();
        }
    }

    static final class TypedSendScenario implements Scenario {
        private final TypedMessageQueue<String> queue;

        TypedSendScenario(String name) {
            queue = MessageQueue.create(name, QueueOptions.of(1, 64)).typed(Codec.utf8());
            assertEquals(0, queue.trySend("x", 0));
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            boolean sent = queue.send("y", 0, timeout) == 0;
            if (sent) {
                makeAvailable();
            }
            return sent;
        }

        @Override
        public void makeAvailable() {
            assertTrue(queue.tryReceive() != null);
        }

        @Override
        public void close() {
            queue.close();
        }
    }

    static final class SelectScenario implements Scenario {
        private final MessageQueue queue;
        private final MessageQueueSelector selector;
        private final List<AutoCloseable> closeables = new ArrayList<>();

        SelectScenario(String name) {
            queue = MessageQueue.create(name, QueueOptions.of(1, 64));
            closeables.add(queue);
            selector = MessageQueueSelector.open();
            closeables.add(selector);
            selector.register(queue, MessageQueueSelector.READABLE);
        }

        @Override
        public boolean call(Duration timeout) throws Exception {
            return selector.select(timeout) > 0;
        }

        @Override
        public void makeAvailable() {
            assertEquals(0, queue.trySend(new byte[] {7}, 0));
        }

        @Override
        public void close() throws Exception {
            for (AutoCloseable c : closeables.reversed()) {
                c.close();
            }
        }
    }
}
