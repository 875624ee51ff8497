package org.panamaipc.attack;

import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.mq.MessageQueueSelector;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * close() while another thread is blocked in the object (docs/conventions.md: the blocked thread
 * wakes at once with IllegalStateException; the mapping or descriptor is released; a second
 * close() does nothing), for every kind that can block.
 */
final class CloseCases {

    private static final java.util.concurrent.atomic.AtomicInteger BLOCKED = new java.util.concurrent.atomic.AtomicInteger();

    private CloseCases() {
    }

    @FunctionalInterface
    interface Blocked {
        void block() throws Exception;
    }

    /**
     * What a case blocks in, what it closes, the name whose mappings must drop (or null), and what
     * the blocked thread must get: IllegalStateException, or what the type's Javadoc says instead
     * (a channel's AsynchronousCloseException).
     */
    record Setup(Blocked blocked, AutoCloseable closed, String name, Class<? extends Throwable> expected) {
        Setup(Blocked blocked, AutoCloseable closed, String name) {
            this(blocked, closed, name, IllegalStateException.class);
        }
    }

    @FunctionalInterface
    interface Make {
        Setup make(Fixture f) throws Exception;
    }

    static List<MatrixCase> all() {
        List<MatrixCase> cases = new ArrayList<>();
        add(cases, "IpcMutex.lock()", f -> {
            String name = f.fresh("close-mutex");
            IpcMutex held = f.keep(IpcMutex.create(name));
            CountDownLatch locked = new CountDownLatch(1);
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    held.lock();
                    locked.countDown();
                } catch (InterruptedException ignored) {
                    // over
                }
            });
            locked.await();
            IpcMutex waiter = IpcMutex.open(name);
            return new Setup(waiter::lock, waiter, name);
        });
        add(cases, "IpcSemaphore.acquire()", f -> {
            String name = f.fresh("close-sem");
            f.keep(IpcSemaphore.create(name, 0));
            IpcSemaphore s = IpcSemaphore.open(name);
            return new Setup(s::acquire, s, name);
        });
        add(cases, "IpcEvent.await()", f -> {
            String name = f.fresh("close-event");
            f.keep(IpcEvent.create(name, IpcEvent.Type.MANUAL_RESET));
            IpcEvent e = IpcEvent.open(name);
            return new Setup(e::await, e, name);
        });
        add(cases, "IpcLatch.await()", f -> {
            String name = f.fresh("close-latch");
            f.keep(IpcLatch.create(name, 1));
            IpcLatch l = IpcLatch.open(name);
            return new Setup(l::await, l, name);
        });
        add(cases, "Receiver.receive(MemorySegment,long)", f -> {
            RingChannel c = f.channel(ChannelType.SPSC);
            f.sender(c);
            Receiver r = c.receiver();
            return new Setup(() -> r.receive(f.memory(), 0), r, null); // the channel stays mapped
        });
        add(cases, "Sender.send(int,byte[])", f -> {
            RingChannel c = f.channel(ChannelType.SPSC);
            f.receiver(c);
            Sender s = c.sender();
            while (s.trySend(1, new byte[256]) >= 0) {
                // fill it
            }
            return new Setup(() -> s.send(1, new byte[256]), s, null);
        });
        add(cases, "MessageQueue.receive()", f -> {
            MessageQueue q = MessageQueue.create(f.fresh("close-mq"), QueueOptions.of(4, 64));
            return new Setup(q::receive, q, q.name());
        });
        add(cases, "MessageQueueSelector.select()", f -> {
            MessageQueueSelector s = MessageQueueSelector.open();
            s.register(f.queue(4, 64), MessageQueueSelector.READABLE);
            return new Setup(s::select, s, null);
        });
        FamilyCloseCases.addTo(cases);
        return cases;
    }

    static void add(List<MatrixCase> cases, String signature, Make make) {
        cases.add(new MatrixCase("close-while-blocked:" + signature, signature, f -> closeWhileBlocked(f, make.make(f))));
    }

    private static void closeWhileBlocked(Fixture f, Setup setup) throws Exception {
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread blocked = Thread.ofPlatform().name("blocked-" + BLOCKED.incrementAndGet()).daemon().start(() -> {
            try {
                setup.blocked().block();
            } catch (Throwable t) {
                ended.set(t);
            } finally {
                done.countDown();
            }
        });
        awaitBlocked(blocked);
        // the fixture keeps another handle (the creator's) mapped: count, rather than look for, the mappings
        int mappedBefore = setup.name() != null ? mappings(setup.name()) : 0;
        AtomicReference<Expect.Outcome> closing = new AtomicReference<>();
        Thread closer = Thread.ofPlatform().daemon().start(() -> closing.set(Expect.call(() -> {
            setup.closed().close();
            return null;
        })));
        closer.join(1_000);
        boolean closeReturned = !closer.isAlive();
        boolean woke = done.await(1, TimeUnit.SECONDS);
        if (!woke || !closeReturned) {
            blocked.interrupt(); // every wait honours it: the case can end
            done.await(2, TimeUnit.SECONDS);
            closer.join(2_000);
        }
        Expect.that(closeReturned, "close() must return while another thread is blocked in the object; it was still "
                + "running 1 s later (it returned only after the blocked thread was interrupted: "
                + !closer.isAlive() + ")");
        Expect.Outcome close = closing.get();
        Expect.that(close.thrown() == null, "close() while a thread is blocked must work, but it " + close);
        Expect.that(woke, "the blocked thread must wake at once when the object is closed; it was still blocked 1 s later");
        Expect.that(setup.expected().isInstance(ended.get()),
                "the blocked thread must get " + setup.expected().getSimpleName() + ", but it got " + ended.get());
        Expect.Outcome again = Expect.call(() -> {
            setup.closed().close();
            return null;
        });
        Expect.that(again.thrown() == null, "a second close() must do nothing, but it " + again);
        if (mappedBefore > 0) { // a message queue is not mapped
            int mappedAfter = mappings(setup.name());
            Expect.that(mappedAfter < mappedBefore, "close() must unmap the closed handle's mapping of " + setup.name()
                    + " (/proc/self/maps shows " + mappedBefore + " mapping(s) before and " + mappedAfter
                    + " after: the mapping leaked)");
        }
    }

    /**
     * Waits until the thread sleeps in the kernel: its task (found by its name, which the kernel
     * keeps as the task's comm) is in state S. A thread in a native wait looks RUNNABLE to Java.
     */
    private static void awaitBlocked(Thread t) throws InterruptedException, IOException {
        long end = System.nanoTime() + 5_000_000_000L;
        String comm = t.getName().length() > 15 ? t.getName().substring(0, 15) : t.getName();
        while (System.nanoTime() < end) {
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        if (Files.readString(task.resolve("comm")).strip().equals(comm)) {
                            String stat = Files.readString(task.resolve("stat"));
                            if (stat.charAt(stat.lastIndexOf(')') + 2) == 'S') {
                                Thread.sleep(50);
                                return;
                            }
                        }
                    } catch (IOException taskEnded) {
                        // another thread ended meanwhile
                    }
                }
            }
            Thread.sleep(5);
        }
    }

    /** {@return how many mappings of {@code name} in /dev/shm /proc/self/maps shows} */
    static int mappings(String name) throws IOException {
        String path = "/dev/shm" + name;
        int n = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.endsWith(path) || line.endsWith(path + " (deleted)")) {
                n++;
            }
        }
        return n;
    }
}
