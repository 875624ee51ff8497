package org.panamaipc.attack;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.InvalidNameException;
import org.panamaipc.IpcException;
import org.panamaipc.LimitReachedException;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.Outcome;
import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.broadcast.Subscriber;
import org.panamaipc.pipe.NamedPipe;
import org.panamaipc.pipe.PipeReader;
import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousOptions;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.Received;
import org.panamaipc.sync.EventCounter;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedOptions;
import org.panamaipc.unbounded.UnboundedReceiver;
import org.panamaipc.unbounded.UnboundedSender;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.panamaipc.attack.Expect.call;
import static org.panamaipc.attack.Expect.thrown;
import static org.panamaipc.attack.Expect.value;

/**
 * Numbers, names, paths and buffers for the newer families, written out as {@link NumericCases}
 * does for the older ones: each row says what the Javadoc and docs/conventions.md promise.
 */
final class FamilyNumericCases {

    /** Entry points of the newer families whose numbers take any value (a message type). */
    static final Set<String> ANY_VALUE = Set.of("Publisher.trySend(int,byte[])", "Publisher.send(int,byte[])",
            "Publisher.send(int,byte[],Duration)", "Publisher.trySend(int,ByteBuffer)", "Publisher.send(int,ByteBuffer)",
            "Publisher.send(int,ByteBuffer,Duration)", "RendezvousSender.trySend(int,byte[])", "RendezvousSender.send(int,byte[])",
            "RendezvousSender.send(int,byte[],Duration)", "RendezvousSender.trySend(int,ByteBuffer)",
            "RendezvousSender.send(int,ByteBuffer)", "RendezvousSender.send(int,ByteBuffer,Duration)",
            "UnboundedSender.trySend(int,byte[])", "UnboundedSender.send(int,byte[])", "UnboundedSender.send(int,byte[],Duration)",
            "UnboundedSender.trySend(int,ByteBuffer)", "UnboundedSender.send(int,ByteBuffer)",
            "UnboundedSender.send(int,ByteBuffer,Duration)");

    private static List<MatrixCase> cases;

    private FamilyNumericCases() {
    }

    private static void row(String id, String signature, MatrixCase.Body body) {
        cases.add(new MatrixCase(id, signature, body));
    }

    static void addTo(List<MatrixCase> all) {
        cases = all;
        options();
        creates();
        senders();
        receivers();
        counters();
        sockets();
        paths();
        names();
    }

    private static void options() {
        String cap = "BroadcastOptions.capacity(long)";
        for (long c : new long[] {0, -1, 3, 1L << 31, Long.MIN_VALUE}) {
            row("capacity-" + c + ":" + cap, cap, f -> thrown(call(() -> BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(c)),
                    IllegalArgumentException.class, "capacity=" + c));
        }
        String bLen = "BroadcastOptions.maxMessageLength(int)";
        for (int n : new int[] {-1, (1 << 24) + 1, Integer.MAX_VALUE}) {
            row("length-" + n + ":" + bLen, bLen, f -> thrown(call(() -> BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).maxMessageLength(n)),
                    IllegalArgumentException.class, "maxMessageLength=" + n));
        }
        String bSlots = "BroadcastOptions.subscriberSlots(int)";
        for (int n : new int[] {0, -1, 1025}) {
            row("slots-" + n + ":" + bSlots, bSlots, f -> thrown(call(() -> BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).subscriberSlots(n)),
                    IllegalArgumentException.class, "subscriberSlots=" + n));
        }
        String bMode = "BroadcastOptions.mode(int)";
        for (int m : new int[] {-1, 0400, 04600}) {
            row("mode-" + Integer.toOctalString(m) + ":" + bMode, bMode, f -> thrown(call(() -> BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).mode(m)),
                    IllegalArgumentException.class, "mode="));
        }
        row("slots-zero:BroadcastOptions.new(SlowSubscriberPolicy,long,int,int,int)", "BroadcastOptions.new(SlowSubscriberPolicy,long,int,int,int)",
                f -> thrown(call(() -> new BroadcastOptions(SlowSubscriberPolicy.BLOCK, 16, 16, 0, 0600)), IllegalArgumentException.class, "subscriberSlots=0"));
        for (int n : new int[] {-1, (1 << 24) + 1}) {
            row("length-" + n + ":RendezvousOptions.of(int)", "RendezvousOptions.of(int)",
                    f -> thrown(call(() -> RendezvousOptions.of(n)), IllegalArgumentException.class, "maxMessageLength=" + n));
            row("length-" + n + ":RendezvousOptions.maxMessageLength(int)", "RendezvousOptions.maxMessageLength(int)",
                    f -> thrown(call(() -> RendezvousOptions.defaults().maxMessageLength(n)), IllegalArgumentException.class, "maxMessageLength=" + n));
        }
        for (int n : new int[] {0, -1, 1025}) {
            row("slots-" + n + ":RendezvousOptions.senderSlots(int)", "RendezvousOptions.senderSlots(int)",
                    f -> thrown(call(() -> RendezvousOptions.defaults().senderSlots(n)), IllegalArgumentException.class, "senderSlots=" + n));
            row("slots-" + n + ":RendezvousOptions.receiverSlots(int)", "RendezvousOptions.receiverSlots(int)",
                    f -> thrown(call(() -> RendezvousOptions.defaults().receiverSlots(n)), IllegalArgumentException.class, "receiverSlots=" + n));
        }
        for (int m : new int[] {-1, 0400}) {
            row("mode-" + Integer.toOctalString(m) + ":RendezvousOptions.mode(int)", "RendezvousOptions.mode(int)",
                    f -> thrown(call(() -> RendezvousOptions.defaults().mode(m)), IllegalArgumentException.class, "mode="));
            row("mode-" + Integer.toOctalString(m) + ":UnboundedOptions.mode(int)", "UnboundedOptions.mode(int)",
                    f -> thrown(call(() -> UnboundedOptions.defaults().mode(m)), IllegalArgumentException.class, "mode="));
        }
        row("slots-zero:RendezvousOptions.new(int,int,int,int)", "RendezvousOptions.new(int,int,int,int)",
                f -> thrown(call(() -> new RendezvousOptions(256, 0, 4, 0600)), IllegalArgumentException.class, "senderSlots=0"));
        for (int n : new int[] {-1, 32753, Integer.MAX_VALUE}) { // the default 64 KiB ring takes at most 32768 - 16
            row("length-" + n + ":UnboundedOptions.of(int)", "UnboundedOptions.of(int)",
                    f -> thrown(call(() -> UnboundedOptions.of(n)), IllegalArgumentException.class, "maxMessageLength=" + n));
            row("length-" + n + ":UnboundedOptions.maxMessageLength(int)", "UnboundedOptions.maxMessageLength(int)",
                    f -> thrown(call(() -> UnboundedOptions.defaults().maxMessageLength(n)), IllegalArgumentException.class, "maxMessageLength=" + n));
        }
        for (long c : new long[] {0, -1, 3000, 1L << 41, Long.MIN_VALUE}) {
            row("capacity-" + c + ":UnboundedOptions.ringCapacity(long)", "UnboundedOptions.ringCapacity(long)",
                    f -> thrown(call(() -> UnboundedOptions.defaults().ringCapacity(c)), IllegalArgumentException.class, "ringCapacity=" + c));
        }
        for (long s : new long[] {0, -1, 4095, (1L << 30) + 1}) {
            row("size-" + s + ":UnboundedOptions.spillSegmentSize(long)", "UnboundedOptions.spillSegmentSize(long)",
                    f -> thrown(call(() -> UnboundedOptions.defaults().spillSegmentSize(s)), IllegalArgumentException.class, "spillSegmentSize=" + s));
        }
        for (long c : new long[] {-1, 0, (1 << 20) - 1}) {
            row("cap-" + c + ":UnboundedOptions.memoryCap(long)", "UnboundedOptions.memoryCap(long)",
                    f -> thrown(call(() -> UnboundedOptions.defaults().memoryCap(c)), IllegalArgumentException.class, "memoryCap=" + c));
        }
        row("cap-small:UnboundedOptions.new(long,int,long,long,int)", "UnboundedOptions.new(long,int,long,long,int)",
                f -> thrown(call(() -> new UnboundedOptions(4096, 256, 65536, 1024, 0600)), IllegalArgumentException.class, "memoryCap=1024"));
    }

    /** Sizes the system cannot give: LimitReachedException at create, and no object left behind. */
    private static void creates() {
        String bc = "Broadcast.create(String,BroadcastOptions)";
        row("capacity-2^30:" + bc, bc, f -> {
            String name = f.fresh("b");
            thrown(call(() -> f.keep(Broadcast.create(name, BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(1L << 30)))),
                    LimitReachedException.class);
            Expect.that(!SharedMemory.exists(name), "a refused create must leave no object behind");
        });
        String uc = "UnboundedLink.create(String,UnboundedOptions)";
        row("capacity-2^40:" + uc, uc, f -> {
            String name = f.fresh("u");
            thrown(call(() -> f.keep(UnboundedLink.create(name, UnboundedOptions.defaults().ringCapacity(1L << 40)))),
                    LimitReachedException.class);
            Expect.that(!SharedMemory.exists(name), "a refused create must leave no object behind");
        });
    }

    @FunctionalInterface
    interface Send {
        Object send(int type, MemorySegment source, long offset, int length) throws Exception;
    }

    /** A sender of each pattern, with its checking receiver attached, and a receive that says what arrived. */
    record Link(Send send, java.util.concurrent.Callable<Object> received) {
    }

    private static Link link(Fixture f, String family) throws Exception {
        MemorySegment into = f.memory();
        switch (family) {
            case "Publisher" -> {
                Broadcast b = f.families.broadcast(SlowSubscriberPolicy.LOSSY);
                Subscriber s = f.families.subscriber(b);
                Publisher p = f.families.publisher(b);
                return new Link(p::trySend, () -> s.tryReceive(into, 0));
            }
            case "UnboundedSender" -> {
                UnboundedLink l = f.families.link();
                UnboundedReceiver r = f.families.receiver(l);
                UnboundedSender s = f.families.sender(l);
                return new Link(s::trySend, () -> r.tryReceive(into, 0));
            }
            default -> {
                Rendezvous r = f.families.rendezvous();
                RendezvousReceiver receiver = f.families.receiver(r);
                RendezvousSender s = f.families.sender(r);
                return new Link(s::trySend, () -> receiver.tryReceive(into, 0));
            }
        }
    }

    private static void senders() {
        for (String family : List.of("Publisher", "UnboundedSender", "RendezvousSender")) {
            String sig = family + ".trySend(int,MemorySegment,long,int)";
            row("length-negative:" + sig, sig, f -> refused(f, family, 0, -1, IllegalArgumentException.class, "length=-1"));
            row("length-over-max:" + sig, sig, f -> refused(f, family, 0, 257, MessageTooLongException.class, "257"));
            row("length-max:" + sig, sig, f -> refused(f, family, 0, Integer.MAX_VALUE, MessageTooLongException.class));
            row("offset-negative:" + sig, sig, f -> refused(f, family, -1, 8, IllegalArgumentException.class, "offset=-1"));
            row("offset-past-source:" + sig, sig, f -> refused(f, family, 4092, 8, IndexOutOfBoundsException.class));
            for (String other : List.of("send(int,MemorySegment,long,int)", "send(int,MemorySegment,long,int,Duration)")) {
                String s2 = family + "." + other;
                row("length-negative:" + s2, s2, f -> {
                    Object sender = f.instanceOf(Class.forName(packageOf(family) + "." + family));
                    thrown(call(() -> other.endsWith("Duration)")
                            ? sender.getClass().getMethod("send", int.class, MemorySegment.class, long.class, int.class, Duration.class)
                                    .invoke(sender, 1, f.memory(), 0L, -1, Duration.ofMillis(10))
                            : sender.getClass().getMethod("send", int.class, MemorySegment.class, long.class, int.class)
                                    .invoke(sender, 1, f.memory(), 0L, -1)), IllegalArgumentException.class, "length=-1");
                });
            }
        }
        for (String family : List.of("Publisher", "UnboundedSender")) {
            String sig = family + ".trySend(int,ByteBuffer)";
            row("bytebuffer-position:" + sig, sig, f -> {
                ByteBuffer b = ByteBuffer.allocate(16).position(4);
                Object sender = f.instanceOf(Class.forName(packageOf(family) + "." + family));
                value(call(() -> sender.getClass().getMethod("trySend", int.class, ByteBuffer.class).invoke(sender, 1, b)), "sent",
                        x -> x instanceof Long n && n >= 0);
                Expect.that(b.position() == 16, "the send consumes the remaining bytes: position " + b.position() + ", limit 16");
            });
        }
    }

    private static String packageOf(String family) {
        return family.startsWith("Publisher") || family.startsWith("Subscriber") ? "org.panamaipc.broadcast"
                : family.startsWith("Unbounded") ? "org.panamaipc.unbounded" : "org.panamaipc.rendezvous";
    }

    /** The send is refused as documented, and nothing was sent: the receiver finds nothing. */
    private static void refused(Fixture f, String family, long offset, int length, Class<? extends Throwable> type,
                                String... parts) throws Exception {
        Link l = link(f, family);
        MemorySegment source = f.memory().asSlice(0, 4096);
        thrown(call(() -> l.send().send(1, source, offset, length)), type, parts);
        value(call(l.received()), "nothing to have arrived (EMPTY)", Integer.valueOf(Outcome.EMPTY)::equals);
    }

    private static void receivers() {
        for (String family : List.of("Subscriber", "UnboundedReceiver", "RendezvousReceiver")) {
            String handler = switch (family) {
                case "Subscriber" -> "BroadcastHandler";
                case "RendezvousReceiver" -> "RendezvousHandler";
                default -> "LinkHandler";
            };
            for (String form : List.of("poll(" + handler + ",int)", "receive(" + handler + ",int)", "receive(" + handler + ",int,Duration)")) {
                String sig = family + "." + form;
                for (int limit : new int[] {0, -1}) {
                    row("limit-" + limit + ":" + sig, sig, f -> {
                        Object r = f.instanceOf(Class.forName(packageOf(family) + "." + family));
                        Class<?> h = Class.forName(packageOf(family) + "." + handler);
                        Object lambda = f.arg(r.getClass().getMethods()[0], h, "handler", r);
                        String name = form.substring(0, form.indexOf('('));
                        thrown(call(() -> form.endsWith("Duration)")
                                ? r.getClass().getMethod(name, h, int.class, Duration.class).invoke(r, lambda, limit, Duration.ofMillis(10))
                                : r.getClass().getMethod(name, h, int.class).invoke(r, lambda, limit)),
                                IllegalArgumentException.class, "limit=" + limit);
                    });
                }
            }
            String sig = family + ".tryReceive(MemorySegment,long)";
            row("offset-negative:" + sig, sig, f -> kept(f, family, (r, into) -> r.getClass()
                    .getMethod("tryReceive", MemorySegment.class, long.class).invoke(r, into, -1L), IllegalArgumentException.class, "offset=-1"));
            for (String other : List.of("receive(MemorySegment,long)", "receive(MemorySegment,long,Duration)")) {
                String s2 = family + "." + other;
                row("offset-negative:" + s2, s2, f -> kept(f, family, (r, into) -> other.endsWith("Duration)")
                        ? r.getClass().getMethod("receive", MemorySegment.class, long.class, Duration.class).invoke(r, into, -1L, Duration.ofMillis(10))
                        : r.getClass().getMethod("receive", MemorySegment.class, long.class).invoke(r, into, -1L),
                        IllegalArgumentException.class, "offset=-1"));
            }
            if (!family.equals("RendezvousReceiver")) { // a rendezvous message that does not fit goes back to its sender
                row("destination-too-small:" + sig, sig, f -> kept(f, family, (r, into) -> r.getClass()
                        .getMethod("tryReceive", MemorySegment.class, long.class).invoke(r, into.asSlice(0, 4), 0L), IllegalArgumentException.class));
                String bb = family + ".tryReceive(ByteBuffer)";
                row("bytebuffer-read-only:" + bb, bb, f -> kept(f, family, (r, into) -> r.getClass()
                        .getMethod("tryReceive", ByteBuffer.class).invoke(r, ByteBuffer.allocate(64).asReadOnlyBuffer()), IllegalArgumentException.class));
                row("bytebuffer-too-small:" + bb, bb, f -> kept(f, family, (r, into) -> r.getClass()
                        .getMethod("tryReceive", ByteBuffer.class).invoke(r, ByteBuffer.allocate(4)), IllegalArgumentException.class));
                row("bytebuffer-position:" + bb, bb, f -> {
                    Object r = f.instanceOf(Class.forName(packageOf(family) + "." + family));
                    ByteBuffer b = ByteBuffer.allocate(128).position(8);
                    value(call(() -> r.getClass().getMethod("tryReceive", ByteBuffer.class).invoke(r, b)), "8 bytes", Integer.valueOf(8)::equals);
                    Expect.that(b.position() == 16, "the receive moves the position past the message: " + b.position() + ", expected 16");
                    ByteBuffer empty = ByteBuffer.allocate(128).position(8);
                    value(call(() -> r.getClass().getMethod("tryReceive", ByteBuffer.class).invoke(r, empty)), "EMPTY",
                            Integer.valueOf(Outcome.EMPTY)::equals);
                    Expect.that(empty.position() == 8, "nothing happened, so the position stays: " + empty.position());
                });
            }
        }
    }

    @FunctionalInterface
    interface ReceiveCall {
        Object call(Object receiver, MemorySegment into) throws Exception;
    }

    /** The receive is refused as documented, and the message waiting (8 bytes) stays for the next one. */
    private static void kept(Fixture f, String family, ReceiveCall c, Class<? extends Throwable> type, String... parts) throws Exception {
        Object r = f.instanceOf(Class.forName(packageOf(family) + "." + family));
        MemorySegment into = f.memory().asSlice(0, 256);
        thrown(call(() -> c.call(r, into)), type, parts);
        if (!family.equals("RendezvousReceiver")) {
            value(call(() -> r.getClass().getMethod("tryReceive", MemorySegment.class, long.class).invoke(r, into, 0L)),
                    "the message to be still there (8 bytes)", Integer.valueOf(8)::equals);
        }
    }

    private static void counters() {
        String add = "EventCounter.add(long)";
        for (long n : new long[] {0, -1, Long.MIN_VALUE}) {
            row("count-" + n + ":" + add, add, f -> thrown(call(() -> { f.families.counter().add(n); return null; }),
                    IllegalArgumentException.class, "count=" + n));
        }
        row("count-overflow:" + add, add, f -> {
            EventCounter c = f.families.counter();
            c.add(Long.MAX_VALUE);
            c.add(Long.MAX_VALUE); // 2^64 - 2: the kernel's maximum
            thrown(call(() -> { c.add(1); return null; }), LimitReachedException.class);
            value(call(c::tryTake), "the count as it was, 2^64 - 2", Long.valueOf(0xffff_ffff_ffff_fffeL)::equals);
        });
        for (int i : new int[] {-1, 1}) {
            row("index-" + i + ":Received.describe(int)", "Received.describe(int)",
                    f -> thrown(call(() -> f.families.received().describe(i)), IndexOutOfBoundsException.class));
            row("index-" + i + ":Received.takeSharedMemory(int)", "Received.takeSharedMemory(int)",
                    f -> thrown(call(() -> f.keep(f.families.received().takeSharedMemory(i))), IndexOutOfBoundsException.class));
            row("index-" + i + ":Received.takeSharedMemory(int,Set)", "Received.takeSharedMemory(int,Set)",
                    f -> thrown(call(() -> f.keep(f.families.received().takeSharedMemory(i, Set.of()))), IndexOutOfBoundsException.class));
            row("index-" + i + ":Received.takeMessageQueue(int)", "Received.takeMessageQueue(int)",
                    f -> thrown(call(() -> f.keep(f.families.received().takeMessageQueue(i))), IndexOutOfBoundsException.class));
            row("index-" + i + ":Received.takeEventCounter(int)", "Received.takeEventCounter(int)",
                    f -> thrown(call(() -> f.keep(f.families.received().takeEventCounter(i))), IndexOutOfBoundsException.class));
        }
        row("taken-twice:Received.takeEventCounter(int)", "Received.takeEventCounter(int)", f -> {
            Received r = f.families.received();
            f.keep(r.takeEventCounter(0));
            thrown(call(() -> f.keep(r.takeEventCounter(0))), IllegalStateException.class, "taken");
        });
        row("wrong-kind:Received.takeSharedMemory(int)", "Received.takeSharedMemory(int)", f -> {
            Received r = f.families.received();
            thrown(call(() -> f.keep(r.takeSharedMemory(0))), InvalidSegmentException.class);
            value(call(() -> f.keep(r.takeEventCounter(0))), "the descriptor to stay, and be taken as what it is", x -> x instanceof EventCounter);
        });
        row("wrong-kind:Received.takeMessageQueue(int)", "Received.takeMessageQueue(int)", f -> {
            Received r = f.families.received();
            thrown(call(() -> f.keep(r.takeMessageQueue(0))), IllegalArgumentException.class);
            value(call(() -> f.keep(r.takeEventCounter(0))), "the descriptor to stay, and be taken as what it is", x -> x instanceof EventCounter);
        });
    }

    private static void sockets() {
        String trySend = "DescriptorSocket.trySend(ByteBuffer,Attachments)";
        row("payload-over-max:" + trySend, trySend, f -> {
            DescriptorSocket[] pair = f.families.connected();
            ByteBuffer b = ByteBuffer.allocate(DescriptorSocket.MAX_PAYLOAD + 1);
            thrown(call(() -> pair[0].trySend(b, Attachments.none())), MessageTooLongException.class);
            Expect.that(b.position() == 0, "nothing went, so the position stays: " + b.position());
            value(call(pair[1]::tryReceive), "nothing to have arrived", x -> x == null);
        });
        row("payload-empty:" + trySend, trySend, f -> {
            DescriptorSocket[] pair = f.families.connected();
            thrown(call(() -> pair[0].trySend(ByteBuffer.allocate(0), Attachments.none())), IllegalArgumentException.class);
        });
        row("attachments-over-max:" + trySend, trySend, f -> {
            DescriptorSocket[] pair = f.families.connected();
            EventCounter c = f.families.counter();
            Attachments a = Attachments.of(c);
            for (int i = 1; i <= DescriptorSocket.MAX_DESCRIPTORS; i++) {
                a = a.and(c);
            }
            Attachments many = a;
            thrown(call(() -> pair[0].trySend(ByteBuffer.allocate(8), many)), IllegalArgumentException.class, "attachments=254");
        });
        row("attachment-closed:" + trySend, trySend, f -> {
            DescriptorSocket[] pair = f.families.connected();
            EventCounter c = EventCounter.create();
            c.close();
            thrown(call(() -> pair[0].trySend(ByteBuffer.allocate(8), Attachments.of(c))), IllegalStateException.class, "event counter");
            value(call(pair[1]::tryReceive), "nothing to have arrived", x -> x == null);
        });
        row("bytebuffer-position:" + trySend, trySend, f -> {
            DescriptorSocket[] pair = f.families.connected();
            ByteBuffer b = ByteBuffer.allocate(16).position(4);
            value(call(() -> pair[0].trySend(b, Attachments.none())), "0: sent", Long.valueOf(0)::equals);
            Expect.that(b.position() == 16, "the send consumes the remaining bytes: position " + b.position());
            try (Received r = pair[1].receive(FamilyFixture.SETUP)) {
                Expect.that(r != null && r.payload().remaining() == 12, "the 12 remaining bytes to arrive: " + r);
            }
        });
        for (String sig : List.of("DescriptorServer.create(Path,int)", "NamedPipe.create(Path,int)", "NamedPipe.openOrCreate(Path,int)")) {
            for (int m : new int[] {-1, 01000, 04600}) {
                row("mode-" + Integer.toOctalString(m) + ":" + sig, sig, f -> {
                    Path p = f.families.freshPath("mode");
                    thrown(call(() -> f.keep(sig.startsWith("Descriptor") ? DescriptorServer.create(p, m)
                            : sig.contains("openOrCreate") ? NamedPipe.openOrCreate(p, m) : NamedPipe.create(p, m))),
                            IllegalArgumentException.class, "mode=");
                    Expect.that(!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS), "a refused create must leave nothing at " + p);
                });
            }
        }
        String read = "PipeReader.tryRead(ByteBuffer)";
        row("bytebuffer-read-only:" + read, read, f -> {
            PipeReader r = (PipeReader) f.instanceOf(PipeReader.class);
            thrown(call(() -> r.tryRead(ByteBuffer.allocate(64).asReadOnlyBuffer())), IllegalArgumentException.class);
            value(call(() -> r.tryRead(ByteBuffer.allocate(64))), "the 8 bytes to be still there", Integer.valueOf(8)::equals);
        });
        row("bytebuffer-position:" + read, read, f -> {
            PipeReader r = (PipeReader) f.instanceOf(PipeReader.class);
            ByteBuffer b = ByteBuffer.allocate(64).position(8);
            value(call(() -> r.tryRead(b)), "8 bytes", Integer.valueOf(8)::equals);
            Expect.that(b.position() == 16, "the read moves the position past the bytes: " + b.position());
        });
    }

    /** Paths of pipes and sockets: empty, too long, missing directories, what is not theirs, relative. */
    private static void paths() {
        Path empty = Path.of("");
        Path tooLong = Path.of("/tmp/" + "x".repeat(4096));
        Path longSocket = Path.of("/tmp/" + "s".repeat(104)); // 109 bytes: past sun_path's 107
        row("path-empty:NamedPipe.create(Path)", "NamedPipe.create(Path)", f -> thrown(call(() -> f.keep(NamedPipe.create(empty))), InvalidNameException.class));
        row("path-too-long:NamedPipe.create(Path)", "NamedPipe.create(Path)", f -> thrown(call(() -> f.keep(NamedPipe.create(tooLong))), InvalidNameException.class));
        row("path-too-long:NamedPipe.open(Path)", "NamedPipe.open(Path)", f -> thrown(call(() -> f.keep(NamedPipe.open(tooLong))), InvalidNameException.class));
        row("path-no-directory:NamedPipe.create(Path)", "NamedPipe.create(Path)",
                f -> thrown(call(() -> f.keep(NamedPipe.create(f.families.freshPath("none").resolve("pipe")))), NotFoundException.class));
        row("path-missing:NamedPipe.open(Path)", "NamedPipe.open(Path)",
                f -> thrown(call(() -> f.keep(NamedPipe.open(f.families.freshPath("none")))), NotFoundException.class));
        row("path-regular-file:NamedPipe.create(Path)", "NamedPipe.create(Path)", f -> {
            Path p = Files.writeString(f.families.freshPath("file"), "mine");
            thrown(call(() -> f.keep(NamedPipe.create(p))), AlreadyExistsException.class);
        });
        row("path-regular-file:NamedPipe.open(Path)", "NamedPipe.open(Path)", f -> {
            Path p = Files.writeString(f.families.freshPath("file"), "mine");
            thrown(call(() -> f.keep(NamedPipe.open(p))), IllegalArgumentException.class, "not a FIFO");
        });
        row("path-regular-file:NamedPipe.unlink(Path)", "NamedPipe.unlink(Path)", f -> {
            Path p = Files.writeString(f.families.freshPath("file"), "mine");
            thrown(call(() -> { NamedPipe.unlink(p); return null; }), IllegalArgumentException.class, "not a FIFO");
            Expect.that(Files.exists(p), "unlink must leave what is not a FIFO alone");
        });
        row("path-relative:NamedPipe.create(Path)", "NamedPipe.create(Path)", f -> {
            Path absolute = f.families.freshPath("relative");
            Path relative = Path.of("").toAbsolutePath().relativize(absolute);
            Expect.that(!relative.isAbsolute(), "a relative path: " + relative);
            value(call(() -> f.keep(NamedPipe.create(relative))), "a FIFO in the working directory's terms", x -> x instanceof NamedPipe);
            Expect.that(NamedPipe.exists(absolute), "the FIFO at " + absolute);
        });
        row("path-empty:DescriptorServer.create(Path)", "DescriptorServer.create(Path)", f -> thrown(call(() -> f.keep(DescriptorServer.create(empty))), InvalidNameException.class));
        row("path-too-long:DescriptorServer.create(Path)", "DescriptorServer.create(Path)", f -> thrown(call(() -> f.keep(DescriptorServer.create(longSocket))), InvalidNameException.class));
        row("path-too-long:DescriptorSocket.open(Path)", "DescriptorSocket.open(Path)", f -> thrown(call(() -> f.keep(DescriptorSocket.open(longSocket))), InvalidNameException.class));
        row("path-no-directory:DescriptorServer.create(Path)", "DescriptorServer.create(Path)",
                f -> thrown(call(() -> f.keep(DescriptorServer.create(f.families.freshPath("none").resolve("s")))), NotFoundException.class));
        row("path-regular-file:DescriptorServer.create(Path)", "DescriptorServer.create(Path)", f -> {
            Path p = Files.writeString(f.families.freshPath("file"), "mine");
            thrown(call(() -> f.keep(DescriptorServer.create(p))), AlreadyExistsException.class);
            Expect.that(Files.readString(p).equals("mine"), "a refused create must leave the file alone");
        });
        row("path-missing:DescriptorSocket.open(Path)", "DescriptorSocket.open(Path)",
                f -> thrown(call(() -> f.keep(DescriptorSocket.open(f.families.freshPath("none")))), NotFoundException.class));
        row("path-no-server:DescriptorSocket.open(Path)", "DescriptorSocket.open(Path)", f -> {
            DescriptorServer s = f.families.server();
            s.close(); // the socket file stays, nobody listens
            Expect.Outcome o = call(() -> f.keep(DescriptorSocket.open(s.path())));
            thrown(o, IpcException.class, "ECONNREFUSED");
        });
        row("path-regular-file:DescriptorServer.unlink(Path)", "DescriptorServer.unlink(Path)", f -> {
            Path p = Files.writeString(f.families.freshPath("file"), "mine");
            thrown(call(() -> { DescriptorServer.unlink(p); return null; }), IllegalArgumentException.class, "not a socket");
            Expect.that(Files.exists(p), "unlink must leave what is not a socket alone");
        });
        row("path-relative:DescriptorServer.create(Path)", "DescriptorServer.create(Path)", f -> {
            Path absolute = f.families.freshPath("relative");
            Path relative = Path.of("").toAbsolutePath().relativize(absolute);
            Expect.Outcome o = call(() -> f.keep(DescriptorServer.create(relative)));
            if (relative.toString().length() > 107) {
                thrown(o, InvalidNameException.class); // the working directory is deep: too long as written
                return;
            }
            value(o, "a server in the working directory's terms", x -> x instanceof DescriptorServer);
            value(call(() -> f.keep(DescriptorSocket.open(absolute))), "a connection by the absolute path", x -> x instanceof DescriptorSocket);
        });
    }

    /** Malformed POSIX names for the patterns: an InvalidNameException before any system call. */
    private static void names() {
        String longName = "/" + "x".repeat(256);
        for (String bad : List.of("", "/", "noslash", "/a/b", longName)) {
            String shown = bad.length() > 20 ? "/x*256" : bad.isEmpty() ? "empty" : bad;
            row("name-" + shown + ":Broadcast.create(String,BroadcastOptions)", "Broadcast.create(String,BroadcastOptions)",
                    f -> thrown(call(() -> f.keep(Broadcast.create(bad, FamilyFixture.broadcastOptions(SlowSubscriberPolicy.LOSSY)))), InvalidNameException.class));
            row("name-" + shown + ":Broadcast.open(String)", "Broadcast.open(String)", f -> thrown(call(() -> f.keep(Broadcast.open(bad))), InvalidNameException.class));
            row("name-" + shown + ":Rendezvous.create(String,RendezvousOptions)", "Rendezvous.create(String,RendezvousOptions)",
                    f -> thrown(call(() -> f.keep(Rendezvous.create(bad, FamilyFixture.rendezvousOptions()))), InvalidNameException.class));
            row("name-" + shown + ":Rendezvous.open(String)", "Rendezvous.open(String)", f -> thrown(call(() -> f.keep(Rendezvous.open(bad))), InvalidNameException.class));
            row("name-" + shown + ":UnboundedLink.create(String,UnboundedOptions)", "UnboundedLink.create(String,UnboundedOptions)",
                    f -> thrown(call(() -> f.keep(UnboundedLink.create(bad, FamilyFixture.unboundedOptions()))), InvalidNameException.class));
            row("name-" + shown + ":UnboundedLink.open(String)", "UnboundedLink.open(String)", f -> thrown(call(() -> f.keep(UnboundedLink.open(bad))), InvalidNameException.class));
        }
    }
}
