package org.panamaipc.attack;

import org.panamaipc.InvalidNameException;
import org.panamaipc.LimitReachedException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MalformedMessageException;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.mq.MessageQueueSelector;
import org.panamaipc.mq.TypedMessageQueue;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.panamaipc.attack.Expect.call;
import static org.panamaipc.attack.Expect.thrown;
import static org.panamaipc.attack.Expect.value;

/**
 * Negative, zero, huge and empty arguments, written out: each row says what docs/conventions.md
 * and the Javadoc promise (an IllegalArgumentException naming the value for a caller's bug, a
 * LimitReachedException for a size the system cannot give, MessageTooLongException for an
 * oversize message, InvalidNameException for a bad name, a value where a value is documented),
 * and, where an exception must leave things as they were, that they were.
 */
final class NumericCases {

    private static final List<MatrixCase> CASES = new ArrayList<>();

    /**
     * Entry points with number parameters that take any value (a message type, a futex value, a
     * pid to ask about): no row needed.
     */
    static final Set<String> ANY_VALUE = Set.of("Futex.setRelease(int)", "Futex.compareAndSet(int,int)",
            "Futex.getAndSet(int)", "Futex.getAndAdd(int)", "Futex.wait(int,Duration)", "MessageQueue.lengthOf(long)",
            "MessageQueue.priorityOf(long)", "ProcessId.new(int,long)", "Sender.send(int,byte[])",
            "Sender.send(int,byte[],Duration)", "Sender.trySend(int,byte[])", "Sender.trySend(int,ByteBuffer)");

    private NumericCases() {
    }

    private static void row(String id, String signature, MatrixCase.Body body) {
        CASES.add(new MatrixCase(id, signature, body));
    }

    static List<MatrixCase> all() {
        if (CASES.isEmpty()) {
            sharedMemory();
            primitives();
            channels();
            queues();
            others();
            names();
            buffers();
            FamilyNumericCases.addTo(CASES);
            OlderNumericCases.addTo(CASES);
        }
        return CASES;
    }

    private static void sharedMemory() {
        for (String anonymous : List.of("SharedMemory.anonymous(long)", "SharedMemory.anonymous(long,Set)")) {
            boolean seals = anonymous.contains("Set");
            row("size-zero:" + anonymous, anonymous, f -> thrown(call(() -> f.keep(seals ? SharedMemory.anonymous(0, Set.of())
                    : SharedMemory.anonymous(0))), IllegalArgumentException.class, "size=0"));
            row("size-negative:" + anonymous, anonymous, f -> thrown(call(() -> f.keep(seals ? SharedMemory.anonymous(-1, Set.of())
                    : SharedMemory.anonymous(-1))), IllegalArgumentException.class, "size=-1"));
        }
        String create = "SharedMemory.create(String,long)";
        row("size-zero:" + create, create, f -> thrown(call(() -> f.keep(SharedMemory.create(f.fresh("s"), 0))), IllegalArgumentException.class, "size=0"));
        row("size-negative:" + create, create, f -> thrown(call(() -> f.keep(SharedMemory.create(f.fresh("s"), -1))), IllegalArgumentException.class, "size=-1"));
        row("size-min:" + create, create, f -> thrown(call(() -> f.keep(SharedMemory.create(f.fresh("s"), Long.MIN_VALUE))), IllegalArgumentException.class, "size="));
        row("size-max:" + create, create, f -> thrown(call(() -> f.keep(SharedMemory.create(f.fresh("s"), Long.MAX_VALUE))), LimitReachedException.class));
        row("size-64TiB:" + create, create, f -> {
            String name = f.fresh("s");
            thrown(call(() -> f.keep(SharedMemory.create(name, 1L << 46))), LimitReachedException.class);
            Expect.that(!SharedMemory.exists(name), "a refused create must leave no object behind");
        });
        String withMode = "SharedMemory.create(String,long,int)";
        row("mode-negative:" + withMode, withMode, f -> thrown(call(() -> f.keep(SharedMemory.create(f.fresh("s"), 64, -1))), IllegalArgumentException.class, "mode="));
        row("mode-setuid:" + withMode, withMode, f -> thrown(call(() -> f.keep(SharedMemory.create(f.fresh("s"), 64, 04600))), IllegalArgumentException.class, "mode="));
        String ooc = "SharedMemory.openOrCreate(String,long)";
        row("size-zero:" + ooc, ooc, f -> thrown(call(() -> f.keep(SharedMemory.openOrCreate(f.fresh("s"), 0))), IllegalArgumentException.class, "size=0"));
        row("size-64TiB:" + ooc, ooc, f -> thrown(call(() -> f.keep(SharedMemory.openOrCreate(f.fresh("s"), 1L << 46))), LimitReachedException.class));
        String oocMode = "SharedMemory.openOrCreate(String,long,int)";
        row("mode-negative:" + oocMode, oocMode, f -> thrown(call(() -> f.keep(SharedMemory.openOrCreate(f.fresh("s"), 64, -1))), IllegalArgumentException.class, "mode="));
        String grow = "SharedMemory.grow(long)";
        row("size-same:" + grow, grow, f -> thrown(call(() -> { f.shm().grow(4096); return null; }), IllegalArgumentException.class, "newSize=4096"));
        row("size-negative:" + grow, grow, f -> thrown(call(() -> { f.shm().grow(-1); return null; }), IllegalArgumentException.class, "newSize=-1"));
        row("size-max:" + grow, grow, f -> {
            SharedMemory shm = f.shm();
            thrown(call(() -> { shm.grow(Long.MAX_VALUE); return null; }), LimitReachedException.class);
            value(call(shm::size), "a refused grow to leave the mapping as it was (4096 bytes)", Long.valueOf(4096)::equals);
            value(call(() -> java.nio.file.Files.size(java.nio.file.Path.of("/dev/shm" + shm.name()))),
                    "a refused grow to leave the object's size as it was (4096 bytes)", Long.valueOf(4096)::equals);
        });
        row("size-64TiB:" + grow, grow, f -> thrown(call(() -> { f.shm().grow(1L << 46); return null; }), LimitReachedException.class));
        String segCreate = "IpcSegment.create(String,SegmentKind,long,int,Consumer)";
        row("size-zero:" + segCreate, segCreate, f -> thrown(call(() -> f.keep(IpcSegment.create(f.fresh("g"), SegmentKind.MUTEX, 0, 0600, b -> { }))), IllegalArgumentException.class, "bodySize=0"));
        row("size-negative:" + segCreate, segCreate, f -> thrown(call(() -> f.keep(IpcSegment.create(f.fresh("g"), SegmentKind.MUTEX, -1, 0600, b -> { }))), IllegalArgumentException.class, "bodySize=-1"));
        row("size-max:" + segCreate, segCreate, f -> thrown(call(() -> f.keep(IpcSegment.create(f.fresh("g"), SegmentKind.MUTEX, Long.MAX_VALUE, 0600, b -> { }))), LimitReachedException.class));
        row("mode-negative:" + segCreate, segCreate, f -> thrown(call(() -> f.keep(IpcSegment.create(f.fresh("g"), SegmentKind.MUTEX, 64, -1, b -> { }))), IllegalArgumentException.class, "mode="));
        String segOpen = "IpcSegment.open(String,SegmentKind,long)";
        row("size-negative:" + segOpen, segOpen, f -> {
            String name = f.segment().name();
            thrown(call(() -> f.keep(IpcSegment.open(name, SegmentKind.MUTEX, -1))), IllegalArgumentException.class, "minBodySize=-1");
        });
        String segOpenD = "IpcSegment.open(String,SegmentKind,long,Duration)";
        row("size-negative:" + segOpenD, segOpenD, f -> {
            String name = f.segment().name();
            thrown(call(() -> f.keep(IpcSegment.open(name, SegmentKind.MUTEX, -1, Duration.ofSeconds(1)))), IllegalArgumentException.class, "minBodySize=-1");
        });
    }

    private static void primitives() {
        String of = "Futex.of(MemorySegment,long)";
        row("offset-negative:" + of, of, f -> thrown(call(() -> Futex.of(f.shm().segment(), -1)), IllegalArgumentException.class, "offset=-1"));
        row("offset-unaligned:" + of, of, f -> thrown(call(() -> Futex.of(f.shm().segment(), 2)), IllegalArgumentException.class, "aligned"));
        row("offset-last-bytes:" + of, of, f -> thrown(call(() -> Futex.of(f.shm().segment(), 4094)), IllegalArgumentException.class, "offset=4094"));
        row("offset-max:" + of, of, f -> thrown(call(() -> Futex.of(f.shm().segment(), Long.MAX_VALUE)), IllegalArgumentException.class, "offset="));
        row("offset-min:" + of, of, f -> thrown(call(() -> Futex.of(f.shm().segment(), Long.MIN_VALUE)), IllegalArgumentException.class, "offset="));
        row("heap:" + of, of, f -> thrown(call(() -> Futex.of(MemorySegment.ofArray(new int[4]), 0)), IllegalArgumentException.class, "heap"));
        String waitNanos = "Futex.waitNanos(int,long)";
        row("timeout-negative:" + waitNanos, waitNanos, f -> value(call(() -> f.futex().waitNanos(0, -1)), "TIMED_OUT at once", Futex.WaitResult.TIMED_OUT::equals));
        row("timeout-min:" + waitNanos, waitNanos, f -> value(call(() -> f.futex().waitNanos(0, Long.MIN_VALUE)), "TIMED_OUT at once", Futex.WaitResult.TIMED_OUT::equals));
        row("timeout-max-ready:" + waitNanos, waitNanos, f -> value(call(() -> f.futex().waitNanos(1, Long.MAX_VALUE)), "VALUE_CHANGED at once", Futex.WaitResult.VALUE_CHANGED::equals));
        String wake = "Futex.wake(int)";
        row("count-zero:" + wake, wake, f -> thrown(call(() -> f.futex().wake(0)), IllegalArgumentException.class, "count=0"));
        row("count-negative:" + wake, wake, f -> thrown(call(() -> f.futex().wake(-1)), IllegalArgumentException.class, "count=-1"));
        row("count-max:" + wake, wake, f -> value(call(() -> f.futex().wake(Integer.MAX_VALUE)), "0 woken", Integer.valueOf(0)::equals));
        String semCreate = "IpcSemaphore.create(String,int)";
        row("permits-negative:" + semCreate, semCreate, f -> thrown(call(() -> f.keep(IpcSemaphore.create(f.fresh("p"), -1))), IllegalArgumentException.class, "permits=-1"));
        row("permits-zero:" + semCreate, semCreate, f -> value(call(() -> f.keep(IpcSemaphore.create(f.fresh("p"), 0)).tryAcquire()), "no permit", Boolean.FALSE::equals));
        row("permits-max:" + semCreate, semCreate, f -> value(call(() -> f.keep(IpcSemaphore.create(f.fresh("p"), Integer.MAX_VALUE)).availablePermits()), "Integer.MAX_VALUE permits", Integer.valueOf(Integer.MAX_VALUE)::equals));
        String semOoc = "IpcSemaphore.openOrCreate(String,int)";
        row("permits-negative:" + semOoc, semOoc, f -> thrown(call(() -> f.keep(IpcSemaphore.openOrCreate(f.fresh("p"), -1))), IllegalArgumentException.class, "permits=-1"));
        String semInit = "IpcSemaphore.initialize(MemorySegment,int)";
        row("permits-negative:" + semInit, semInit, f -> thrown(call(() -> IpcSemaphore.initialize(f.shm().segment(), -1)), IllegalArgumentException.class, "permits=-1"));
        String release = "IpcSemaphore.release(int)";
        row("count-zero:" + release, release, f -> thrown(call(() -> { f.semaphore(1).release(0); return null; }), IllegalArgumentException.class, "count=0"));
        row("count-negative:" + release, release, f -> thrown(call(() -> { f.semaphore(1).release(-1); return null; }), IllegalArgumentException.class, "count=-1"));
        row("count-overflow:" + release, release, f -> {
            IpcSemaphore s = f.semaphore(1);
            thrown(call(() -> { s.release(Integer.MAX_VALUE); return null; }), IllegalStateException.class, "overflows");
            Expect.that(s.availablePermits() == 1, "a refused release must leave the permits as they were: " + s.availablePermits());
        });
        String latchCreate = "IpcLatch.create(String,int)";
        row("count-negative:" + latchCreate, latchCreate, f -> thrown(call(() -> f.keep(IpcLatch.create(f.fresh("l"), -1))), IllegalArgumentException.class, "count=-1"));
        row("count-zero:" + latchCreate, latchCreate, f -> value(call(() -> f.keep(IpcLatch.create(f.fresh("l"), 0)).await(Duration.ZERO)), "open at once", Boolean.TRUE::equals));
        String latchInit = "IpcLatch.initialize(MemorySegment,int)";
        row("count-negative:" + latchInit, latchInit, f -> thrown(call(() -> IpcLatch.initialize(f.shm().segment(), -1)), IllegalArgumentException.class, "count=-1"));
        row("region-small:IpcMutex.wrap(MemorySegment)", "IpcMutex.wrap(MemorySegment)", f -> thrown(call(() -> IpcMutex.wrap(f.shm().segment().asSlice(0, 8))), IllegalArgumentException.class, "byteSize=8"));
        row("region-unaligned:IpcEvent.wrap(MemorySegment)", "IpcEvent.wrap(MemorySegment)", f -> thrown(call(() -> IpcEvent.wrap(f.shm().segment().asSlice(4, 128))), IllegalArgumentException.class, "aligned"));
        row("region-heap:IpcLatch.wrap(MemorySegment)", "IpcLatch.wrap(MemorySegment)", f -> thrown(call(() -> IpcLatch.wrap(MemorySegment.ofArray(new long[16]))), IllegalArgumentException.class, "heap"));
        row("region-read-only:IpcSemaphore.wrap(MemorySegment)", "IpcSemaphore.wrap(MemorySegment)", f -> thrown(call(() -> IpcSemaphore.wrap(f.shm().segment().asReadOnly())), IllegalArgumentException.class, "read-only"));
    }

    private static void channels() {
        String ctor = "ChannelOptions.new(ChannelType,long,int,int,int)";
        row("capacity-not-power-of-two:" + ctor, ctor, f -> thrown(call(() -> new ChannelOptions(ChannelType.SPSC, 3000, 16, 16, 0600)), IllegalArgumentException.class, "capacity=3000"));
        String capacity = "ChannelOptions.capacity(long)";
        for (long c : new long[] {0, -1, 512, 3000, Long.MIN_VALUE}) {
            row("capacity-" + c + ":" + capacity, capacity, f -> thrown(call(() -> ChannelOptions.of(ChannelType.MPSC).capacity(c)), IllegalArgumentException.class, "capacity=" + c));
        }
        String max = "ChannelOptions.maxMessageLength(int)";
        row("length-negative:" + max, max, f -> thrown(call(() -> ChannelOptions.of(ChannelType.MPSC).maxMessageLength(-1)), IllegalArgumentException.class, "maxMessageLength=-1"));
        row("length-max:" + max, max, f -> thrown(call(() -> ChannelOptions.of(ChannelType.MPSC).maxMessageLength(Integer.MAX_VALUE)), IllegalArgumentException.class, "maxMessageLength="));
        String slots = "ChannelOptions.endpointSlots(int)";
        for (int s : new int[] {-1, 0, 1, 1025}) {
            row("slots-" + s + ":" + slots, slots, f -> thrown(call(() -> ChannelOptions.of(ChannelType.MPSC).endpointSlots(s)), IllegalArgumentException.class, "endpointSlots=" + s));
        }
        String mode = "ChannelOptions.mode(int)";
        row("mode-negative:" + mode, mode, f -> thrown(call(() -> ChannelOptions.of(ChannelType.MPSC).mode(-1)), IllegalArgumentException.class, "mode="));
        String create = "RingChannel.create(String,ChannelOptions)";
        row("capacity-1TiB:" + create, create, f -> {
            String name = f.fresh("r");
            thrown(call(() -> f.keep(RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(1L << 40)))), LimitReachedException.class);
            Expect.that(!SharedMemory.exists(name), "a refused create must leave no object behind");
        });
        row("capacity-2^62:" + create, create, f -> thrown(call(() -> f.keep(RingChannel.create(f.fresh("r"), ChannelOptions.of(ChannelType.MPSC).capacity(1L << 62)))), LimitReachedException.class));
        String trySend = "Sender.trySend(int,MemorySegment,long,int)";
        row("length-negative:" + trySend, trySend, f -> untouched(f, (s, src) -> s.trySend(1, src, 0, -1), IllegalArgumentException.class, "length=-1"));
        row("length-over-max:" + trySend, trySend, f -> untouched(f, (s, src) -> s.trySend(1, src, 0, 257), MessageTooLongException.class, "257"));
        row("length-max:" + trySend, trySend, f -> untouched(f, (s, src) -> s.trySend(1, src, 0, Integer.MAX_VALUE), MessageTooLongException.class));
        row("offset-negative:" + trySend, trySend, f -> untouched(f, (s, src) -> s.trySend(1, src, -1, 8), IllegalArgumentException.class, "offset=-1"));
        row("offset-past-source:" + trySend, trySend, f -> untouched(f, (s, src) -> s.trySend(1, src, src.byteSize() - 4, 8), IndexOutOfBoundsException.class));
        String send = "Sender.send(int,MemorySegment,long,int)";
        row("length-negative:" + send, send, f -> untouched(f, (s, src) -> s.send(1, src, 0, -1), IllegalArgumentException.class, "length=-1"));
        String sendD = "Sender.send(int,MemorySegment,long,int,Duration)";
        row("length-over-max:" + sendD, sendD, f -> untouched(f, (s, src) -> s.send(1, src, 0, 257, Duration.ofMillis(10)), MessageTooLongException.class, "257"));
        String tryClaim = "Sender.tryClaim(int,int)";
        row("length-negative:" + tryClaim, tryClaim, f -> untouched(f, (s, src) -> s.tryClaim(1, -1), IllegalArgumentException.class, "length=-1"));
        row("length-over-max:" + tryClaim, tryClaim, f -> untouched(f, (s, src) -> s.tryClaim(1, 257), MessageTooLongException.class, "257"));
        String claim = "Sender.claim(int,int,Duration)";
        row("length-negative:" + claim, claim, f -> untouched(f, (s, src) -> s.claim(1, -1, Duration.ofMillis(10)), IllegalArgumentException.class, "length=-1"));
        String commit = "Sender.commit(long)";
        row("index-no-claim:" + commit, commit, f -> untouched(f, (s, src) -> s.commit(32), IllegalStateException.class, "index=32"));
        row("index-negative:" + commit, commit, f -> untouched(f, (s, src) -> {
            long index = s.tryClaim(1, 8);
            try {
                return s.commit(-1);
            } finally {
                s.abort(index);
            }
        }, IllegalStateException.class, "index=-1"));
        String abort = "Sender.abort(long)";
        row("index-no-claim:" + abort, abort, f -> untouched(f, (s, src) -> { s.abort(Long.MAX_VALUE); return null; }, IllegalStateException.class, "index="));
        receivers();
    }

    @FunctionalInterface
    interface SendCall {
        Object call(Sender sender, MemorySegment source) throws Exception;
    }

    /** The call fails as documented, and the channel is as it was: nothing sent, no claim left open. */
    private static void untouched(Fixture f, SendCall call, Class<? extends Throwable> type, String... parts) {
        RingChannel c = f.channel(ChannelType.MPSC);
        Receiver r = f.receiver(c);
        Sender s = f.sender(c);
        MemorySegment source = f.memory().asSlice(0, 4096);
        thrown(call(() -> call.call(s, source)), type, parts);
        Expect.that(r.tryReceive(f.memory(), 0) == Receiver.EMPTY, "a refused send must send nothing");
        value(call(() -> s.trySend(2, new byte[4])), "a send after the refused one to work", x -> x instanceof Long n && n >= 0);
        value(call(() -> r.tryReceive(f.memory(), 0)), "the next message to arrive, and only it", Integer.valueOf(4)::equals);
    }

    private static void receivers() {
        String poll = "Receiver.poll(MessageHandler,int)";
        row("limit-zero:" + poll, poll, f -> thrown(call(() -> f.instanceOf(Receiver.class) instanceof Receiver r ? r.poll((h, b, o, l) -> { }, 0) : null), IllegalArgumentException.class, "limit=0"));
        row("limit-negative:" + poll, poll, f -> thrown(call(() -> f.instanceOf(Receiver.class) instanceof Receiver r ? r.poll((h, b, o, l) -> { }, -1) : null), IllegalArgumentException.class, "limit=-1"));
        String receive = "Receiver.receive(MessageHandler,int)";
        row("limit-zero:" + receive, receive, f -> thrown(call(() -> f.instanceOf(Receiver.class) instanceof Receiver r ? r.receive((h, b, o, l) -> { }, 0) : null), IllegalArgumentException.class, "limit=0"));
        String receiveD = "Receiver.receive(MessageHandler,int,Duration)";
        row("limit-zero:" + receiveD, receiveD, f -> thrown(call(() -> f.instanceOf(Receiver.class) instanceof Receiver r ? r.receive((h, b, o, l) -> { }, 0, Duration.ofMillis(10)) : null), IllegalArgumentException.class, "limit=0"));
        String tryReceive = "Receiver.tryReceive(MemorySegment,long)";
        row("offset-negative:" + tryReceive, tryReceive, f -> kept(f, (r, into) -> r.tryReceive(into, -1), IllegalArgumentException.class, "offset=-1"));
        row("offset-past-destination:" + tryReceive, tryReceive, f -> kept(f, (r, into) -> r.tryReceive(into, into.byteSize() + 1), IllegalArgumentException.class));
        row("destination-too-small:" + tryReceive, tryReceive, f -> kept(f, (r, into) -> r.tryReceive(into.asSlice(0, 4), 0), IllegalArgumentException.class, "does not fit"));
        row("destination-empty:" + tryReceive, tryReceive, f -> kept(f, (r, into) -> r.tryReceive(MemorySegment.NULL, 0), IllegalArgumentException.class, "does not fit"));
        String receiveSeg = "Receiver.receive(MemorySegment,long)";
        row("offset-negative:" + receiveSeg, receiveSeg, f -> kept(f, (r, into) -> r.receive(into, -1), IllegalArgumentException.class, "offset=-1"));
        String receiveSegD = "Receiver.receive(MemorySegment,long,Duration)";
        row("offset-negative:" + receiveSegD, receiveSegD, f -> kept(f, (r, into) -> r.receive(into, -1, Duration.ofMillis(10)), IllegalArgumentException.class, "offset=-1"));
        row("empty-message:Sender.trySend(int,byte[])", "Sender.trySend(int,byte[])", f -> {
            RingChannel c = f.channel(ChannelType.SPSC);
            Receiver r = f.receiver(c);
            Sender s = f.sender(c);
            value(call(() -> s.trySend(5, new byte[0])), "an empty message is a message", x -> x instanceof Long n && n >= 0);
            value(call(() -> r.tryReceive(f.memory(), 0)), "length 0", Integer.valueOf(0)::equals);
            Expect.that(r.lastHeader().type() == 5, "its header: " + r.lastHeader());
        });
    }

    @FunctionalInterface
    interface ReceiveCall {
        Object call(Receiver receiver, MemorySegment into) throws Exception;
    }

    /** The call fails as documented, and the message waiting stays for the next receive. */
    private static void kept(Fixture f, ReceiveCall call, Class<? extends Throwable> type, String... parts) {
        RingChannel c = f.channel(ChannelType.SPSC);
        Receiver r = f.receiver(c);
        Sender s = f.sender(c);
        s.trySend(1, new byte[16]);
        MemorySegment into = f.memory().asSlice(0, 256);
        thrown(call(() -> call.call(r, into)), type, parts);
        value(call(() -> r.tryReceive(into, 0)), "the message to be still there", Integer.valueOf(16)::equals);
    }

    private static void queues() {
        String of = "QueueOptions.of(int,int)";
        row("messages-zero:" + of, of, f -> thrown(call(() -> QueueOptions.of(0, 8)), IllegalArgumentException.class, "maxMessages=0"));
        row("messages-negative:" + of, of, f -> thrown(call(() -> QueueOptions.of(-1, 8)), IllegalArgumentException.class, "maxMessages=-1"));
        row("length-zero:" + of, of, f -> thrown(call(() -> QueueOptions.of(4, 0)), IllegalArgumentException.class, "maxMessageLength=0"));
        String ctor = "QueueOptions.new(int,int,int)";
        row("mode-negative:" + ctor, ctor, f -> thrown(call(() -> new QueueOptions(4, 8, -1)), IllegalArgumentException.class, "mode="));
        row("messages-zero:QueueOptions.maxMessages(int)", "QueueOptions.maxMessages(int)", f -> thrown(call(() -> QueueOptions.of(4, 8).maxMessages(0)), IllegalArgumentException.class, "maxMessages=0"));
        row("length-negative:QueueOptions.maxMessageLength(int)", "QueueOptions.maxMessageLength(int)", f -> thrown(call(() -> QueueOptions.of(4, 8).maxMessageLength(-1)), IllegalArgumentException.class, "maxMessageLength=-1"));
        row("mode-negative:QueueOptions.mode(int)", "QueueOptions.mode(int)", f -> thrown(call(() -> QueueOptions.of(4, 8).mode(-1)), IllegalArgumentException.class, "mode="));
        row("mode-no-owner-rw:QueueOptions.mode(int)", "QueueOptions.mode(int)", f -> thrown(call(() -> QueueOptions.of(4, 8).mode(01000)), IllegalArgumentException.class, "mode="));
        String create = "MessageQueue.create(String,QueueOptions)";
        row("messages-max:" + create, create, f -> thrown(call(() -> f.keep(MessageQueue.create(f.fresh("q"), QueueOptions.of(Integer.MAX_VALUE, 8)))), LimitReachedException.class));
        row("length-max:" + create, create, f -> thrown(call(() -> f.keep(MessageQueue.create(f.fresh("q"), QueueOptions.of(4, Integer.MAX_VALUE)))), LimitReachedException.class));
        String ooc = "MessageQueue.openOrCreate(String,QueueOptions)";
        row("length-max:" + ooc, ooc, f -> thrown(call(() -> f.keep(MessageQueue.openOrCreate(f.fresh("q"), QueueOptions.of(4, Integer.MAX_VALUE)))), LimitReachedException.class));
        for (String form : List.of("byte[]", "ByteBuffer", "MemorySegment")) {
            for (String kind : List.of("send", "trySend", "sendTimed")) {
                String sig = "MessageQueue." + (kind.equals("sendTimed") ? "send" : kind) + "(" + form + ",int"
                        + (kind.equals("sendTimed") ? ",Duration" : "") + ")";
                row("priority-negative:" + sig, sig, f -> thrown(call(() -> queueSend(f.queue(4, 64), form, kind, 8, -1)), IllegalArgumentException.class, "priority=-1"));
                row("priority-over-max:" + sig, sig, f -> thrown(call(() -> queueSend(f.queue(4, 64), form, kind, 8, MessageQueue.MAX_PRIORITY + 1)), IllegalArgumentException.class, "priority=" + (MessageQueue.MAX_PRIORITY + 1)));
                row("length-over-max:" + sig, sig, f -> {
                    MessageQueue q = f.queue(4, 64);
                    Expect.Outcome o = call(() -> queueSend(q, form, kind, 65, 0));
                    thrown(o, MessageTooLongException.class);
                    Expect.that(((MessageTooLongException) o.thrown()).errnoName() != null
                            && ((MessageTooLongException) o.thrown()).errnoName().equals("EMSGSIZE"),
                            "MessageTooLongException.errno() must be EMSGSIZE whoever found it (docs/conventions.md): " + o);
                    Expect.that(q.messageCount() == 0, "nothing sent");
                });
            }
        }
        row("empty-message:MessageQueue.send(byte[],int)", "MessageQueue.send(byte[],int)", f -> {
            MessageQueue q = f.queue(4, 64);
            q.send(new byte[0], 0);
            value(call(() -> q.tryReceive()), "an empty message", x -> x instanceof Message m && m.length() == 0);
        });
        String typedCreate = "TypedMessageQueue.create(String,int,Codec)";
        row("messages-zero:" + typedCreate, typedCreate, f -> thrown(call(() -> f.keep(TypedMessageQueue.create(f.fresh("t"), 0, Codec.ofRecord(Fixture.Tick.class)))), IllegalArgumentException.class, "maxMessages=0"));
        row("codec-not-fixed:" + typedCreate, typedCreate, f -> thrown(call(() -> f.keep(TypedMessageQueue.create(f.fresh("t"), 4, Codec.utf8()))), IllegalArgumentException.class, "fixed size"));
        for (String sig : List.of("TypedMessageQueue.send(Object,int)", "TypedMessageQueue.trySend(Object,int)", "TypedMessageQueue.send(Object,int,Duration)")) {
            row("priority-negative:" + sig, sig, f -> {
                TypedMessageQueue<byte[]> t = f.keep(f.queue(4, 64).typed(Codec.bytes()));
                thrown(call(() -> sig.endsWith("Duration)") ? t.send(new byte[1], -1, Duration.ofMillis(10))
                        : sig.contains("trySend") ? t.trySend(new byte[1], -1) : sendVoid(t)), IllegalArgumentException.class, "priority=-1");
            });
        }
        row("length-over-max:TypedMessageQueue.trySend(Object,int)", "TypedMessageQueue.trySend(Object,int)", f -> {
            TypedMessageQueue<byte[]> t = f.keep(f.queue(4, 64).typed(Codec.bytes()));
            thrown(call(() -> t.trySend(new byte[65], 0)), MessageTooLongException.class);
        });
        String register = "MessageQueueSelector.register(MessageQueue,int)";
        for (int interest : new int[] {0, -1, 4}) {
            row("interest-" + interest + ":" + register, register, f -> {
                MessageQueue q = f.queue(4, 64);
                MessageQueueSelector s = f.keep(MessageQueueSelector.open());
                thrown(call(() -> { s.register(q, interest); return null; }), IllegalArgumentException.class, "interest=" + interest);
            });
        }
        String message = "Message.new(byte[],int)";
        row("priority-negative:" + message, message, f -> thrown(call(() -> new Message(new byte[1], -1)), IllegalArgumentException.class, "priority=-1"));
        row("priority-over-max:" + message, message, f -> thrown(call(() -> new Message(new byte[1], MessageQueue.MAX_PRIORITY + 1)), IllegalArgumentException.class, "priority="));
    }

    private static Object sendVoid(TypedMessageQueue<byte[]> t) throws InterruptedException {
        t.send(new byte[1], -1);
        return null;
    }

    private static Object queueSend(MessageQueue q, String form, String kind, int length, int priority) throws InterruptedException {
        Object message = switch (form) {
            case "byte[]" -> new byte[length];
            case "ByteBuffer" -> java.nio.ByteBuffer.allocate(length);
            default -> MemorySegment.ofArray(new byte[length]);
        };
        return switch (kind + ":" + form) {
            case "send:byte[]" -> { q.send((byte[]) message, priority); yield null; }
            case "send:ByteBuffer" -> { q.send((java.nio.ByteBuffer) message, priority); yield null; }
            case "send:MemorySegment" -> { q.send((MemorySegment) message, priority); yield null; }
            case "trySend:byte[]" -> q.trySend((byte[]) message, priority);
            case "trySend:ByteBuffer" -> q.trySend((java.nio.ByteBuffer) message, priority);
            case "trySend:MemorySegment" -> q.trySend((MemorySegment) message, priority);
            case "sendTimed:byte[]" -> q.send((byte[]) message, priority, Duration.ofMillis(10));
            case "sendTimed:ByteBuffer" -> q.send((java.nio.ByteBuffer) message, priority, Duration.ofMillis(10));
            default -> q.send((MemorySegment) message, priority, Duration.ofMillis(10));
        };
    }

    private static void others() {
        row("offset-negative:Codec.encode(Object,MemorySegment,long)", "Codec.encode(Object,MemorySegment,long)",
                f -> Expect.thrownAnyOf(call(() -> Codec.bytes().encode(new byte[4], f.memory(), -1)), IllegalArgumentException.class, IndexOutOfBoundsException.class));
        row("offset-past-target:Codec.encode(Object,MemorySegment,long)", "Codec.encode(Object,MemorySegment,long)",
                f -> value(call(() -> Codec.bytes().encode(new byte[4], MemorySegment.ofArray(new byte[8]), 9)), "a negative value: it does not fit",
                        x -> x instanceof Long n && n < 0));
        row("offset-negative:RecordCodec.decode(MemorySegment,long)", "RecordCodec.decode(MemorySegment,long)",
                f -> Expect.thrownAnyOf(call(() -> Codec.ofRecord(Fixture.Tick.class).decode(f.memory(), -1)), IllegalArgumentException.class, IndexOutOfBoundsException.class));
        row("length-wrong:RecordCodec.decode(MemorySegment)", "RecordCodec.decode(MemorySegment)",
                f -> thrown(call(() -> Codec.ofRecord(Fixture.Tick.class).decode(MemorySegment.ofArray(new byte[3]))), MalformedMessageException.class));
        row("offset-negative:RecordCodec.encode(Record,MemorySegment,long)", "RecordCodec.encode(Record,MemorySegment,long)",
                f -> Expect.thrownAnyOf(call(() -> Codec.ofRecord(Fixture.Tick.class).encode(new Fixture.Tick(1, 2), f.memory(), -1)), IllegalArgumentException.class, IndexOutOfBoundsException.class));
        row("not-primitive:Codec.ofRecord(Class)", "Codec.ofRecord(Class)",
                f -> thrown(call(() -> Codec.ofRecord(Fixture.NotPrimitive.class)), IllegalArgumentException.class));
        row("unknown-name:RecordCodec.offsetOf(String)", "RecordCodec.offsetOf(String)",
                f -> thrown(call(() -> Codec.ofRecord(Fixture.Tick.class).offsetOf("nope")), IllegalArgumentException.class, "nope"));
        row("pid-negative:ProcessId.of(int)", "ProcessId.of(int)", f -> value(call(() -> ProcessId.of(-1)), "null: no such process", x -> x == null));
        row("pid-zero:ProcessId.of(int)", "ProcessId.of(int)", f -> value(call(() -> ProcessId.of(0)), "null: no such process", x -> x == null));
        row("pid-negative:ProcessId.isAlive(int,long)", "ProcessId.isAlive(int,long)", f -> value(call(() -> ProcessId.isAlive(-1, 0)), "false", Boolean.FALSE::equals));
        row("start-wrong:ProcessId.isAlive(int,long)", "ProcessId.isAlive(int,long)", f -> value(call(() -> ProcessId.isAlive(ProcessId.current().pid(), Long.MIN_VALUE)), "false", Boolean.FALSE::equals));
        row("pid-negative:ProcessId.startTime(int)", "ProcessId.startTime(int)", f -> value(call(() -> ProcessId.startTime(Integer.MIN_VALUE)), "-1", Long.valueOf(-1)::equals));
    }

    /** Empty and malformed names, for every kind of named object: an InvalidNameException, before any system call. */
    private static void names() {
        String longName = "/" + "x".repeat(256);
        for (String bad : List.of("", "/", "noslash", "/a/b", "/..", longName)) {
            String shown = bad.length() > 20 ? "/x*256" : bad.isEmpty() ? "empty" : bad;
            row("name-" + shown + ":SharedMemory.create(String,long)", "SharedMemory.create(String,long)", f -> thrown(call(() -> f.keep(SharedMemory.create(bad, 64))), InvalidNameException.class));
            row("name-" + shown + ":SharedMemory.open(String)", "SharedMemory.open(String)", f -> thrown(call(() -> f.keep(SharedMemory.open(bad))), InvalidNameException.class));
            row("name-" + shown + ":MessageQueue.create(String,QueueOptions)", "MessageQueue.create(String,QueueOptions)", f -> thrown(call(() -> f.keep(MessageQueue.create(bad, QueueOptions.of(4, 8)))), InvalidNameException.class));
            row("name-" + shown + ":MessageQueue.open(String)", "MessageQueue.open(String)", f -> thrown(call(() -> f.keep(MessageQueue.open(bad))), InvalidNameException.class));
            row("name-" + shown + ":RingChannel.create(String,ChannelOptions)", "RingChannel.create(String,ChannelOptions)", f -> thrown(call(() -> f.keep(RingChannel.create(bad, ChannelOptions.of(ChannelType.SPSC)))), InvalidNameException.class));
            row("name-" + shown + ":RingChannel.open(String)", "RingChannel.open(String)", f -> thrown(call(() -> f.keep(RingChannel.open(bad))), InvalidNameException.class));
            row("name-" + shown + ":IpcMutex.create(String)", "IpcMutex.create(String)", f -> thrown(call(() -> f.keep(IpcMutex.create(bad))), InvalidNameException.class));
            row("name-" + shown + ":IpcEvent.open(String)", "IpcEvent.open(String)", f -> thrown(call(() -> f.keep(IpcEvent.open(bad))), InvalidNameException.class));
        }
    }

    /**
     * The ByteBuffer rule: a send consumes the remaining bytes (position moves to the limit), a
     * receive writes at the position and moves it past the message; when nothing happened the
     * position stays.
     */
    private static void buffers() {
        row("bytebuffer-position:Sender.trySend(int,ByteBuffer)", "Sender.trySend(int,ByteBuffer)", f -> {
            RingChannel c = f.channel(ChannelType.SPSC);
            f.receiver(c);
            Sender s = f.sender(c);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).position(4);
            value(call(() -> s.trySend(1, b)), "sent", x -> x instanceof Long n && n >= 0);
            Expect.that(b.position() == 16, "the send consumes the remaining bytes: position " + b.position() + ", limit 16");
        });
        row("bytebuffer-position:MessageQueue.send(ByteBuffer,int)", "MessageQueue.send(ByteBuffer,int)", f -> {
            MessageQueue q = f.queue(4, 64);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).position(4);
            q.send(b, 0);
            Expect.that(b.position() == 16, "the send consumes the remaining bytes: position " + b.position() + ", limit 16");
        });
        row("bytebuffer-position-full:MessageQueue.trySend(ByteBuffer,int)", "MessageQueue.trySend(ByteBuffer,int)", f -> {
            MessageQueue q = f.queue(1, 64);
            q.trySend(new byte[1], 0);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).position(4);
            value(call(() -> q.trySend(b, 0)), "FULL", Long.valueOf(org.panamaipc.Outcome.FULL)::equals);
            Expect.that(b.position() == 4, "nothing happened, so the position stays: " + b.position());
        });
        row("bytebuffer-position:MessageQueue.tryReceive(ByteBuffer)", "MessageQueue.tryReceive(ByteBuffer)", f -> {
            MessageQueue q = f.queue(4, 64);
            q.send(new byte[10], 0);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128).position(8);
            call(() -> q.tryReceive(b));
            Expect.that(b.position() == 18, "the receive moves the position past the message: " + b.position() + ", expected 18");
        });
        row("bytebuffer-position-empty:MessageQueue.tryReceive(ByteBuffer)", "MessageQueue.tryReceive(ByteBuffer)", f -> {
            MessageQueue q = f.queue(4, 64);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128).position(8);
            call(() -> q.tryReceive(b));
            Expect.that(b.position() == 8, "nothing happened, so the position stays: " + b.position());
        });
    }
}
