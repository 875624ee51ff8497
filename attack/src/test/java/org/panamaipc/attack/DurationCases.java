package org.panamaipc.attack;

import org.panamaipc.IpcTimeoutException;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.MessageQueueSelector;
import org.panamaipc.mq.TypedMessageQueue;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * The Duration rule of docs/conventions.md, for every call that takes a Duration: negative or
 * zero means "do not wait" (the call behaves as its try form: it returns its "nothing happened"
 * value at once); a duration too long to count in nanoseconds means "as long as it takes" (it
 * returns as soon as it can, or when a helper thread makes it possible 100 ms later), never an
 * ArithmeticException; {@code Duration.ofNanos(Long.MAX_VALUE)} likewise (a deadline computed as
 * now + timeout must not wrap into the past). Null is in the null matrix.
 */
final class DurationCases {

    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    /** A call that waits: how to make it, how to let it through, and its two kinds of result. */
    record Wait(Call call, Runnable makeReady, Predicate<Object> nothing, Predicate<Object> success, Runnable cleanup) {
    }

    @FunctionalInterface
    interface Call {
        Object call(Duration timeout) throws Exception;
    }

    @FunctionalInterface
    interface Setup {
        Wait setUp(Fixture f) throws Exception;
    }

    private DurationCases() {
    }

    static List<MatrixCase> all() {
        List<MatrixCase> cases = new ArrayList<>();
        add(cases, "Futex.wait(int,Duration)", f -> {
            Futex x = f.futex();
            return new Wait(d -> x.wait(0, d), () -> { x.setRelease(1); x.wakeAll(); },
                    r -> r == Futex.WaitResult.TIMED_OUT, r -> r != Futex.WaitResult.TIMED_OUT, () -> { });
        });
        add(cases, "IpcMutex.tryLock(Duration)", DurationCases::mutex);
        add(cases, "IpcSemaphore.tryAcquire(Duration)", f -> {
            IpcSemaphore s = f.semaphore(0);
            return new Wait(s::tryAcquire, s::release, Boolean.FALSE::equals, Boolean.TRUE::equals, () -> { });
        });
        add(cases, "IpcEvent.await(Duration)", f -> {
            IpcEvent e = f.event();
            return new Wait(e::await, e::set, Boolean.FALSE::equals, Boolean.TRUE::equals, () -> { });
        });
        add(cases, "IpcLatch.await(Duration)", f -> {
            IpcLatch l = f.latch(1);
            return new Wait(l::await, l::countDown, Boolean.FALSE::equals, Boolean.TRUE::equals, () -> { });
        });
        for (ChannelType type : List.of(ChannelType.SPSC, ChannelType.MPMC)) {
            String v = "[" + type + "]";
            add(cases, "Sender.send(int,MemorySegment,long,int,Duration)" + v, f -> fullRing(f, type, 0));
            add(cases, "Sender.send(int,byte[],Duration)" + v, f -> fullRing(f, type, 1));
            add(cases, "Sender.claim(int,int,Duration)" + v, f -> fullRing(f, type, 2));
            add(cases, "Receiver.receive(MessageHandler,int,Duration)" + v, f -> emptyRing(f, type, 0));
            add(cases, "Receiver.receive(MemorySegment,long,Duration)" + v, f -> emptyRing(f, type, 1));
            add(cases, "Receiver.receiveBytes(Duration)" + v, f -> emptyRing(f, type, 2));
        }
        add(cases, "MessageQueue.send(byte[],int,Duration)", f -> fullQueue(f, 0));
        add(cases, "MessageQueue.send(ByteBuffer,int,Duration)", f -> fullQueue(f, 1));
        add(cases, "MessageQueue.send(MemorySegment,int,Duration)", f -> fullQueue(f, 2));
        add(cases, "TypedMessageQueue.send(Object,int,Duration)", f -> fullQueue(f, 3));
        add(cases, "MessageQueue.receive(Duration)", f -> emptyQueue(f, 0));
        add(cases, "MessageQueue.receive(MemorySegment,Duration)", f -> emptyQueue(f, 1));
        add(cases, "MessageQueue.receive(ByteBuffer,Duration)", f -> emptyQueue(f, 2));
        add(cases, "TypedMessageQueue.receive(Duration)", f -> emptyQueue(f, 3));
        add(cases, "MessageQueueSelector.select(Duration)", f -> {
            MessageQueue q = f.queue(2, 64);
            MessageQueueSelector s = f.selector(q);
            return new Wait(s::select, () -> q.trySend(new byte[1], 0), r -> Integer.valueOf(0).equals(r),
                    r -> r instanceof Integer n && n >= 1, () -> { });
        });
        add(cases, "IpcSegment.open(String,SegmentKind,long,Duration)", DurationCases::notReadySegment);
        strategies(cases);
        FamilyDurationCases.addTo(cases);
        return cases;
    }

    static void add(List<MatrixCase> cases, String variant, Setup setup) {
        String signature = variant.replaceAll("\\[.*]$", "");
        cases.add(new MatrixCase("duration-negative:" + variant, signature, f -> nothing(setup.setUp(f), Duration.ofSeconds(-1))));
        cases.add(new MatrixCase("duration-zero:" + variant, signature, f -> nothing(setup.setUp(f), Duration.ZERO)));
        cases.add(new MatrixCase("duration-huge-ready:" + variant, signature, f -> {
            Wait w = setup.setUp(f);
            w.makeReady().run();
            success(w, HUGE);
        }));
        cases.add(new MatrixCase("duration-huge-wait:" + variant, signature, f -> waitThenSucceed(setup.setUp(f), HUGE)));
        cases.add(new MatrixCase("duration-max-nanos-wait:" + variant, signature, f -> waitThenSucceed(setup.setUp(f), MAX_NANOS)));
    }

    private static void nothing(Wait w, Duration timeout) {
        try {
            Expect.Outcome o = Expect.call(() -> w.call().call(timeout));
            if (w.nothing().test(o.thrown())) {
                return; // a lifecycle wait whose rule is an exception
            }
            Expect.value(o, "the \"nothing happened\" result at once", w.nothing());
        } finally {
            w.cleanup().run();
        }
    }

    private static void success(Wait w, Duration timeout) {
        try {
            Expect.value(Expect.call(() -> w.call().call(timeout)), "success", w.success());
        } finally {
            w.cleanup().run();
        }
    }

    private static void waitThenSucceed(Wait w, Duration timeout) throws InterruptedException {
        Thread helper = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(100);
                w.makeReady().run();
            } catch (InterruptedException ignored) {
                // the case is over
            }
        });
        success(w, timeout);
        helper.join(5_000);
    }

    private static Wait mutex(Fixture f) throws InterruptedException {
        IpcMutex m = f.mutex();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().daemon().start(() -> {
            try {
                m.lock();
                locked.countDown();
                release.await();
                m.unlock();
            } catch (InterruptedException ignored) {
                // the case is over
            }
        });
        locked.await();
        Runnable unlock = () -> {
            release.countDown();
            try {
                holder.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return new Wait(d -> {
            boolean got = m.tryLock(d);
            if (got) {
                m.unlock();
            }
            return got;
        }, unlock, Boolean.FALSE::equals, Boolean.TRUE::equals, unlock);
    }

    private static Wait fullRing(Fixture f, ChannelType type, int form) {
        RingChannel c = f.channel(type);
        Receiver r = f.receiver(c);
        Sender s = f.sender(c);
        MemorySegment source = f.memory();
        while (s.trySend(1, new byte[256]) >= 0) {
            // fill it
        }
        Runnable drain = () -> r.poll((h, b, o, l) -> { }, 1000);
        Call call = switch (form) {
            case 0 -> d -> s.send(1, source, 0, 256, d);
            case 1 -> d -> s.send(1, new byte[256], d);
            default -> d -> {
                long index = s.claim(1, 256, d);
                if (index >= 0) {
                    s.commit(index);
                }
                return index;
            };
        };
        return new Wait(call, drain, r0 -> Long.valueOf(Sender.FULL).equals(r0), r0 -> r0 instanceof Long n && n >= 0, () -> { });
    }

    private static Wait emptyRing(Fixture f, ChannelType type, int form) {
        RingChannel c = f.channel(type);
        Receiver r = f.receiver(c);
        Sender s = f.sender(c);
        MemorySegment into = f.memory();
        Runnable send = () -> s.trySend(1, new byte[16]);
        return switch (form) {
            case 0 -> new Wait(d -> r.receive((h, b, o, l) -> { }, 1, d), send,
                    x -> Integer.valueOf(Receiver.EMPTY).equals(x),
                    x -> Integer.valueOf(1).equals(x), () -> { });
            case 1 -> new Wait(d -> r.receive(into, 0, d), send, x -> Integer.valueOf(Receiver.EMPTY).equals(x),
                    x -> Integer.valueOf(16).equals(x), () -> { });
            default -> new Wait(r::receiveBytes, send, x -> x == null, x -> x instanceof byte[] b && b.length == 16, () -> { });
        };
    }

    private static Wait fullQueue(Fixture f, int form) {
        MessageQueue q = f.queue(2, 64);
        q.trySend(new byte[1], 0);
        q.trySend(new byte[1], 0);
        Runnable take = q::tryReceive;
        Call call = switch (form) {
            case 0 -> d -> q.send(new byte[8], 0, d);
            case 1 -> d -> q.send(ByteBuffer.allocate(8), 0, d);
            case 2 -> d -> q.send(f.memory().asSlice(0, 8), 0, d);
            default -> {
                TypedMessageQueue<byte[]> t = q.typed(Codec.bytes());
                yield d -> t.send(new byte[8], 0, d);
            }
        };
        // a queue's send says FULL when nothing happened and 0 when the message went (docs/conventions.md)
        return new Wait(call, take, Long.valueOf(org.panamaipc.Outcome.FULL)::equals, Long.valueOf(0)::equals, () -> { });
    }

    private static Wait emptyQueue(Fixture f, int form) {
        MessageQueue q = f.queue(2, 64);
        Runnable send = () -> q.trySend(new byte[8], 1);
        return switch (form) {
            case 0 -> new Wait(q::receive, send, x -> x == null, x -> x instanceof Message, () -> { });
            case 1 -> new Wait(d -> q.receive(f.memory(), d), send, x -> Long.valueOf(-1).equals(x) || Integer.valueOf(-1).equals(x),
                    x -> x instanceof Number n && n.longValue() >= 0, () -> { });
            case 2 -> new Wait(d -> q.receive(ByteBuffer.allocate(64), d), send,
                    x -> Long.valueOf(-1).equals(x) || Integer.valueOf(-1).equals(x), x -> x instanceof Number n && n.longValue() >= 0,
                    () -> { });
            default -> {
                TypedMessageQueue<byte[]> t = q.typed(Codec.bytes());
                yield new Wait(t::receive, send, x -> x == null, x -> x instanceof byte[], () -> { });
            }
        };
    }

    /** A segment whose creator (this process, alive) has not marked it ready; a lifecycle wait whose "nothing" is an exception. */
    private static Wait notReadySegment(Fixture f) {
        String name = f.fresh("not-ready");
        f.keep(IpcMutex.create(name));
        SharedMemory raw = f.keep(SharedMemory.open(name));
        Futex ready = Futex.of(raw.segment(), SegmentHeaderDescriptor.READY_OFFSET);
        ready.setRelease(0);
        return new Wait(d -> f.keep(IpcSegment.open(name, SegmentKind.MUTEX, 64, d)),
                () -> { ready.setRelease(SegmentHeaderDescriptor.READY); ready.wakeAll(); },
                x -> x instanceof IpcTimeoutException, x -> x instanceof IpcSegment, () -> { });
    }

    /** Strategies take a Duration too: a spin or park length, checked when made, usable whatever its size. */
    private static void strategies(List<MatrixCase> cases) {
        cases.add(new MatrixCase("duration-negative:WaitStrategy.blocking(Duration)", "WaitStrategy.blocking(Duration)",
                f -> Expect.thrown(Expect.call(() -> WaitStrategy.blocking(Duration.ofNanos(-1))), IllegalArgumentException.class, "spin=")));
        cases.add(new MatrixCase("duration-negative:WaitStrategy.Blocking.new(Duration)", "WaitStrategy.Blocking.new(Duration)",
                f -> Expect.thrown(Expect.call(() -> new WaitStrategy.Blocking(Duration.ofNanos(-1))), IllegalArgumentException.class, "spin=")));
        cases.add(new MatrixCase("duration-zero:WaitStrategy.Backoff.new(Duration)", "WaitStrategy.Backoff.new(Duration)",
                f -> Expect.thrown(Expect.call(() -> new WaitStrategy.Backoff(Duration.ZERO)), IllegalArgumentException.class, "maxPark=")));
        cases.add(new MatrixCase("duration-huge:WaitStrategy.blocking(Duration)", "WaitStrategy.blocking(Duration)",
                f -> useStrategy(f, WaitStrategy.blocking(HUGE))));
        cases.add(new MatrixCase("duration-huge:WaitStrategy.Backoff.new(Duration)", "WaitStrategy.Backoff.new(Duration)",
                f -> useStrategy(f, new WaitStrategy.Backoff(HUGE))));
    }

    /** A strategy of any valid size can be attached and waited with. */
    private static void useStrategy(Fixture f, WaitStrategy strategy) {
        RingChannel c = f.channel(ChannelType.SPSC);
        f.sender(c);
        Expect.Outcome attach = Expect.call(() -> f.keep(c.receiver(strategy, false)));
        Expect.value(attach, "a receiver attached with " + strategy, x -> x instanceof Receiver);
        Receiver r = (Receiver) attach.value();
        Expect.value(Expect.call(() -> r.receive(f.memory(), 0, Duration.ofMillis(20))), "EMPTY after 20 ms",
                x -> Integer.valueOf(Receiver.EMPTY).equals(x));
    }
}
