package org.panamaipc;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.codec.Codec;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.mq.TypedMessageQueue;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle of docs/conventions.md, the same for every named object: {@code create} (fails if
 * the name exists), {@code open} (fails if it does not), {@code openOrCreate} (race-free, exactly
 * one caller creates), static {@code unlink}, {@code unlinkIfExists}, {@code exists}, the instance
 * {@code unlink()} and {@code created()}, a mode applied exactly, and a {@code close()} that may be
 * repeated and never removes the name. {@link ConventionTest} checks that the methods exist; this
 * checks what they do. A new family is one more row in {@link #families()}.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class LifecycleTest {

    private static final Path DEV_SHM = Path.of("/dev/shm");
    private static final Path DEV_MQUEUE = Path.of("/dev/mqueue");
    private static final ChannelOptions RING = ChannelOptions.of(ChannelType.MPMC).capacity(1024);

    /** What the test needs of a family: its calls, with what the family needs besides the name filled in. */
    record Family(String label, Path directory,
                  BiFunction<String, Integer, AutoCloseable> create,
                  Function<String, AutoCloseable> open,
                  BiFunction<String, Integer, AutoCloseable> openOrCreate,
                  Function<String, Boolean> exists,
                  java.util.function.Consumer<String> unlink,
                  Function<String, Boolean> unlinkIfExists) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Family> families() {
        return Stream.of(
                new Family("SharedMemory", DEV_SHM, (n, m) -> SharedMemory.create(n, 4096, m), SharedMemory::open,
                        (n, m) -> SharedMemory.openOrCreate(n, 4096, m), SharedMemory::exists, SharedMemory::unlink,
                        SharedMemory::unlinkIfExists),
                new Family("IpcSegment", DEV_SHM, (n, m) -> IpcSegment.create(n, SegmentKind.LATCH, 64, m, body -> { }),
                        n -> IpcSegment.open(n, SegmentKind.LATCH, 64),
                        (n, m) -> IpcSegment.openOrCreate(n, SegmentKind.LATCH, 64, m, body -> { }, 64),
                        IpcSegment::exists, IpcSegment::unlink, IpcSegment::unlinkIfExists),
                new Family("IpcMutex", DEV_SHM, IpcMutex::create, IpcMutex::open, IpcMutex::openOrCreate,
                        IpcMutex::exists, IpcMutex::unlink, IpcMutex::unlinkIfExists),
                new Family("IpcSemaphore", DEV_SHM, (n, m) -> IpcSemaphore.create(n, 1, m), IpcSemaphore::open,
                        (n, m) -> IpcSemaphore.openOrCreate(n, 1, m), IpcSemaphore::exists, IpcSemaphore::unlink,
                        IpcSemaphore::unlinkIfExists),
                new Family("IpcEvent", DEV_SHM, (n, m) -> IpcEvent.create(n, IpcEvent.Type.MANUAL_RESET, m),
                        IpcEvent::open, (n, m) -> IpcEvent.openOrCreate(n, IpcEvent.Type.MANUAL_RESET, m),
                        IpcEvent::exists, IpcEvent::unlink, IpcEvent::unlinkIfExists),
                new Family("IpcLatch", DEV_SHM, (n, m) -> IpcLatch.create(n, 1, m), IpcLatch::open,
                        (n, m) -> IpcLatch.openOrCreate(n, 1, m), IpcLatch::exists, IpcLatch::unlink,
                        IpcLatch::unlinkIfExists),
                new Family("MessageQueue", DEV_MQUEUE, (n, m) -> MessageQueue.create(n, QueueOptions.of(2, 16).mode(m)),
                        MessageQueue::open, (n, m) -> MessageQueue.openOrCreate(n, QueueOptions.of(2, 16).mode(m)),
                        MessageQueue::exists, MessageQueue::unlink, MessageQueue::unlinkIfExists),
                new Family("TypedMessageQueue", DEV_MQUEUE,
                        (n, m) -> TypedMessageQueue.create(n, QueueOptions.of(2, 16).mode(m), Codec.utf8()),
                        n -> TypedMessageQueue.open(n, Codec.utf8()),
                        (n, m) -> TypedMessageQueue.openOrCreate(n, QueueOptions.of(2, 16).mode(m), Codec.utf8()),
                        TypedMessageQueue::exists, TypedMessageQueue::unlink, TypedMessageQueue::unlinkIfExists),
                new Family("RingChannel", DEV_SHM, (n, m) -> RingChannel.create(n, RING.mode(m)), RingChannel::open,
                        (n, m) -> RingChannel.openOrCreate(n, RING.mode(m)), RingChannel::exists, RingChannel::unlink,
                        RingChannel::unlinkIfExists));
    }

    @ParameterizedTest
    @MethodSource("families")
    void shouldCreateOpenAndRemoveByName(Family family) throws Exception {
        String name = TestNames.unique("life-" + family.label());
        try {
            assertFalse(family.exists().apply(name));
            assertThrows(NotFoundException.class, () -> family.open().apply(name));
            try (AutoCloseable created = family.create().apply(name, 0600)) {
                assertTrue(created(created), "create created it");
                assertTrue(family.exists().apply(name));
                AlreadyExistsException e = assertThrows(AlreadyExistsException.class,
                        () -> family.create().apply(name, 0600));
                assertEquals("EEXIST", e.errnoName());
                try (AutoCloseable opened = family.open().apply(name)) {
                    assertFalse(created(opened), "open did not create it");
                    unlink(opened);
                    assertFalse(family.exists().apply(name), "the instance unlink() removed the name");
                    assertThrows(NotFoundException.class, () -> unlink(opened));
                }
            }
            assertThrows(NotFoundException.class, () -> family.unlink().accept(name));
            assertFalse(family.unlinkIfExists().apply(name));
            family.create().apply(name, 0600).close();
            assertTrue(family.unlinkIfExists().apply(name));
            assertFalse(family.exists().apply(name));
        } finally {
            family.unlinkIfExists().apply(name);
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void shouldApplyTheModeExactlyAndDefaultTo0600(Family family) throws Exception {
        String name = TestNames.unique("life-mode-" + family.label());
        try {
            // 0660 would become 0640 under the usual umask 022 if the mode were only passed to the open call
            try (AutoCloseable created = family.openOrCreate().apply(name, 0660)) {
                assertEquals("rw-rw----", permissions(family, name));
            }
            family.unlink().accept(name);
            try (AutoCloseable created = family.create().apply(name, 0600)) {
                assertEquals("rw-------", permissions(family, name));
            }
            assertThrows(IllegalArgumentException.class, () -> family.create().apply(name + "x", 01777));
            assertFalse(family.exists().apply(name + "x"), "refused before any system call");
        } finally {
            family.unlinkIfExists().apply(name);
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void shouldCloseTwiceQuietlyAndNeverRemoveTheName(Family family) throws Exception {
        String name = TestNames.unique("life-close-" + family.label());
        try {
            AutoCloseable created = family.create().apply(name, 0600);
            created.close();
            created.close();
            assertTrue(family.exists().apply(name), "closing never unlinks");
        } finally {
            family.unlinkIfExists().apply(name);
        }
    }

    /**
     * Threads race to {@code openOrCreate} one fresh name, again and again: every call succeeds
     * and exactly one says it created the object. A loser of the race meets the object between its
     * creator's create and initialisation (an empty object, a segment not yet ready) and must wait
     * for it rather than fail.
     */
    @ParameterizedTest
    @MethodSource("families")
    void shouldOpenOrCreateRaceFreeWithExactlyOneCreator(Family family) throws Exception {
        int threads = 4;
        int rounds = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> problems = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                String name = TestNames.unique("life-race-" + family.label());
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<AutoCloseable>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return family.openOrCreate().apply(name, 0600);
                    }));
                }
                int creators = 0;
                try {
                    for (Future<AutoCloseable> result : results) {
                        try (AutoCloseable object = result.get(30, TimeUnit.SECONDS)) {
                            creators += created(object) ? 1 : 0;
                        } catch (java.util.concurrent.ExecutionException e) {
                            problems.add("round " + round + ": " + e.getCause());
                        }
                    }
                } finally {
                    family.unlinkIfExists().apply(name);
                }
                if (creators != 1 && problems.isEmpty()) {
                    problems.add("round " + round + ": " + creators + " callers say they created it");
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), problems);
    }

    private static String permissions(Family family, String name) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(family.directory().resolve(name.substring(1))));
    }

    private static boolean created(Object object) throws Exception {
        return (boolean) object.getClass().getMethod("created").invoke(object);
    }

    private static void unlink(Object object) throws Exception {
        try {
            object.getClass().getMethod("unlink").invoke(object);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
