package org.panamaipc.attack.children;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.mq.MessageQueueSelector;
import org.panamaipc.mq.TypedMessageQueue;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.testkit.TestNames;
import org.panamaipc.testkit.Watchdog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The leak check of one kind of object, in a JVM of its own (so that nothing of other tests
 * comes and goes meanwhile): {@code LeakChild KIND CYCLES} runs a warm-up, counts this JVM's
 * descriptors and mappings, runs CYCLES open/use/close cycles, counts again, and prints
 * {@code result FDS_BEFORE FDS_AFTER MAPS_BEFORE MAPS_AFTER ALL_FDS_BEFORE ALL_FDS_AFTER
 * ALL_MAPS_BEFORE ALL_MAPS_AFTER SECONDS}.
 */
public final class LeakChild {

    private static final int WARM_UP = 200;

    /** The kinds, by name. */
    public static final List<String> KINDS = List.of("SharedMemory open/close", "SharedMemory create/close/unlink",
            "IpcSegment open/close", "IpcMutex open/lock/close", "IpcSemaphore open/acquire/close", "IpcEvent open/set/close",
            "IpcLatch open/close", "RingChannel open/attach/send/receive/close", "MessageQueue open/send/receive/close",
            "MessageQueue create/close/unlink", "TypedMessageQueue open/send/receive/close",
            "MessageQueueSelector open/register/select/close");

    /** One cycle of a kind: open, use, close. */
    @FunctionalInterface
    interface Cycle {
        void run(int i) throws Exception;
    }

    /** A kind: the cycle, and what to remove at the end. */
    record Kind(String name, Cycle cycle, AutoCloseable cleanup) {
    }

    private LeakChild() {
    }

    public static void main(String[] args) {
        Watchdog.start("leak " + args[0], Duration.ofMinutes(20));
        try {
            Kind kind = kind(args[0]);
            int cycles = Integer.parseInt(args[1]);
            try {
                for (int i = 0; i < WARM_UP; i++) {
                    kind.cycle().run(i);
                }
                System.gc();
                long fds = descriptors();
                long maps = mappings();
                long allFds = allDescriptors();
                long allMaps = allMappings();
                long started = System.nanoTime();
                for (int i = 0; i < cycles; i++) {
                    kind.cycle().run(WARM_UP + i);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.gc();
                Peers.say("result " + fds + " " + descriptors() + " " + maps + " " + mappings() + " " + allFds + " "
                        + allDescriptors() + " " + allMaps + " " + allMappings() + " " + seconds);
            } finally {
                kind.cleanup().close();
            }
        } catch (Throwable t) {
            Peers.fail(t);
        }
        System.exit(0);
    }

    static Kind kind(String name) {
        String object = TestNames.unique("atk-leak");
        List<String> names = new ArrayList<>();
        AutoCloseable unlinkAll = () -> {
            SharedMemory.unlinkIfExists(object);
            MessageQueue.unlinkIfExists(object);
            for (String n : names) {
                SharedMemory.unlinkIfExists(n);
                MessageQueue.unlinkIfExists(n);
            }
        };
        return switch (name) {
            case "SharedMemory open/close" -> {
                SharedMemory.create(object, 4096).close();
                yield new Kind(name, i -> {
                    try (SharedMemory s = SharedMemory.open(object)) {
                        s.segment().set(ValueLayout.JAVA_INT, 0, i);
                    }
                }, unlinkAll);
            }
            case "SharedMemory create/close/unlink" -> new Kind(name, i -> {
                String n = object + "-" + i;
                try (SharedMemory s = SharedMemory.create(n, 4096)) {
                    s.unlink();
                }
            }, unlinkAll);
            case "IpcSegment open/close" -> {
                IpcSegment.create(object, SegmentKind.LATCH, 64, SharedMemory.DEFAULT_MODE, b -> { }).close();
                yield new Kind(name, i -> IpcSegment.open(object, SegmentKind.LATCH, 64).close(), unlinkAll);
            }
            case "IpcMutex open/lock/close" -> {
                IpcMutex.create(object).close();
                yield new Kind(name, i -> {
                    try (IpcMutex m = IpcMutex.open(object)) {
                        if (m.tryLock()) {
                            m.unlock();
                        }
                    }
                }, unlinkAll);
            }
            case "IpcSemaphore open/acquire/close" -> {
                IpcSemaphore.create(object, 1).close();
                yield new Kind(name, i -> {
                    try (IpcSemaphore s = IpcSemaphore.open(object)) {
                        if (s.tryAcquire(Duration.ofMillis(1))) {
                            s.release();
                        }
                    }
                }, unlinkAll);
            }
            case "IpcEvent open/set/close" -> {
                IpcEvent.create(object, IpcEvent.Type.AUTO_RESET).close();
                yield new Kind(name, i -> {
                    try (IpcEvent e = IpcEvent.open(object)) {
                        e.set();
                        e.await(Duration.ofMillis(1));
                    }
                }, unlinkAll);
            }
            case "IpcLatch open/close" -> {
                IpcLatch.create(object, 1).close();
                yield new Kind(name, i -> {
                    try (IpcLatch l = IpcLatch.open(object)) {
                        l.count();
                    }
                }, unlinkAll);
            }
            case "RingChannel open/attach/send/receive/close" -> {
                RingChannel.create(object, ChannelOptions.of(ChannelType.MPMC).capacity(4096).maxMessageLength(64)).close();
                MemorySegment into = Arena.ofAuto().allocate(64);
                yield new Kind(name, i -> {
                    try (RingChannel c = RingChannel.open(object);
                         Receiver r = c.receiver(WaitStrategy.blocking(), true);
                         Sender s = c.sender(WaitStrategy.backoff())) {
                        s.trySend(1, new byte[16]);
                        r.receive(into, 0, Duration.ofMillis(10));
                    }
                }, unlinkAll);
            }
            case "MessageQueue open/send/receive/close" -> {
                MessageQueue.create(object, QueueOptions.of(4, 64)).close();
                yield new Kind(name, i -> {
                    try (MessageQueue q = MessageQueue.open(object)) {
                        q.trySend(new byte[8], 1);
                        q.receive(Duration.ofMillis(10)); // a timed wait: the descriptors of the waiting forms too
                    }
                }, unlinkAll);
            }
            case "MessageQueue create/close/unlink" -> new Kind(name, i -> {
                try (MessageQueue q = MessageQueue.create(object + "-" + i, QueueOptions.of(2, 16))) {
                    q.unlink();
                }
            }, unlinkAll);
            case "TypedMessageQueue open/send/receive/close" -> {
                MessageQueue.create(object, QueueOptions.of(4, 64)).close();
                yield new Kind(name, i -> {
                    try (TypedMessageQueue<String> q = MessageQueue.open(object).typed(Codec.utf8())) {
                        q.trySend("leak " + i, 0);
                        q.tryReceive();
                    }
                }, unlinkAll);
            }
            case "MessageQueueSelector open/register/select/close" -> {
                MessageQueue queue = MessageQueue.create(object, QueueOptions.of(4, 64));
                yield new Kind(name, i -> {
                    try (MessageQueueSelector s = MessageQueueSelector.open()) {
                        s.register(queue, MessageQueueSelector.READABLE | MessageQueueSelector.WRITABLE);
                        s.select(Duration.ofMillis(1));
                    }
                }, () -> {
                    queue.close();
                    unlinkAll.close();
                });
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * {@return the descriptors of the kinds panama-ipc opens: shared memory, message queues (their
     * link reads as the queue's name), eventfds} Other descriptors of this JVM (pipes of child
     * processes that earlier tests started, jars) come and go on their own.
     */
    static long descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(LeakChild::target).filter(t -> t.startsWith("/dev/shm/") || t.startsWith("/" + TestNames.TEST_PREFIX)
                    || t.equals("anon_inode:[eventfd]")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long allDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
            return "";
        }
    }

    /** {@return the mappings of panama-ipc objects (test names) in this process} */
    static long mappings() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.contains("/dev/shm/" + TestNames.TEST_PREFIX)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long allMappings() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
