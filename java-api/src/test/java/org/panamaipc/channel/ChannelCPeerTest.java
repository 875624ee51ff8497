package org.panamaipc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds the C peer ({@code native/src/ring_peer.c}, over {@code native/include/pipc_ring_ops.h})
 * and the Java endpoints to one protocol: C sends into and receives from channels Java created,
 * Java does the same on channels C created, C and Java senders share one channel, and each side
 * wakes the other's sleepers through the futex words. Messages follow {@link PeerPattern}, which
 * both sides check byte for byte.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class ChannelCPeerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final long SEED = 4242;
    private static final int MAX_LENGTH = 1000;
    private static final Pattern ATTACHED = Pattern.compile("attached (?:sender|receiver) endpoint (\\d+)");
    private static final Pattern RECEIVED = Pattern.compile("received (\\d+) messages, sequence sum (\\d+)");

    private interface Body {
        void run(String name) throws Exception;
    }

    /** Runs {@code body} with a fresh channel name, unlinking whatever has that name afterwards. */
    private static void withName(String label, Body body) throws Exception {
        String name = TestNames.unique(label);
        try {
            body.run(name);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static ChildProcess ringPeer(String... args) {
        List<String> command = new ArrayList<>(List.of("-t", "75"));
        command.addAll(List.of(args));
        return ChildProcess.nativePeer("ring_peer", command.toArray(String[]::new));
    }

    private static ChannelOptions options(ChannelType type, long capacity) {
        return ChannelOptions.of(type).capacity(capacity).maxMessageLength(MAX_LENGTH);
    }

    private static <T> Future<T> inThread(String name, Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = new Thread(future, name);
        thread.setDaemon(true); // a stuck one must not keep the test JVM alive
        thread.start();
        return future;
    }

    private static int endpointOf(ChildProcess peer) {
        Matcher m = ATTACHED.matcher(peer.output());
        assertTrue(m.find(), "no endpoint in: " + peer.output());
        return Integer.parseInt(m.group(1));
    }

    private static long sumTo(long n) {
        return n * (n + 1) / 2;
    }

    // the channel's shared words, read through a second mapping as a third process would

    private static int word(SharedMemory view, int bodyOffset) {
        return (int) ChannelMemory.INT.getVolatile(view.segment(), (long) SegmentHeaderDescriptor.HEADER_SIZE + bodyOffset);
    }

    /** Waits until {@code what} sleeps on the channel's futex: its waiter count is 1. */
    private static void awaitSleeper(SharedMemory view, int waitersOffset, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (word(view, waitersOffset) != 1) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(what + " did not go to sleep within 20 s");
            }
            Thread.sleep(1);
        }
    }

    // a C single sender replacing a dead Java one

    /**
     * The Java single sender of an SPSC ring dies inside an 800-byte claim whose payload holds
     * words equal to committed tags of their own positions; the C peer attaches as the new sender
     * and sends one shorter message, whose record ends inside the dead claim. The Java receiver
     * must get that message and then nothing: before the C sender zeroed the dead claim at attach
     * (pipc_sender_clear_dead_claim), the receiver read a forged record after it.
     */
    @Test
    void shouldNotExposeADeadJavaSendersClaimWhenTheCPeerTakesOver() throws Exception {
        withName("cpeer-spsc-dead-claim", name -> {
            long seed = 0;
            while (PeerPattern.length(1, seed, PeerPattern.limit(MAX_LENGTH)) > 600) {
                seed++;
            }
            int length = PeerPattern.length(1, seed, PeerPattern.limit(MAX_LENGTH));
            try (RingChannel channel = RingChannel.create(name, options(ChannelType.SPSC, 1 << 16));
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
                try (ChildProcess dead = ChildProcess.java(org.panamaipc.children.ChannelChild.class,
                        "claim-forged-then-hang", name, "3", "800")) {
                    dead.awaitOutput("with forged tags", DEADLINE);
                    dead.kill();
                }
                try (ChildProcess peer = ringPeer("send", name, "1", Long.toString(seed))) {
                    peer.assertSuccess(DEADLINE);
                }
                List<String> seen = new ArrayList<>();
                MessageHandler record = (h, b, o, l) -> seen.add(h.type() + ":" + l);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (seen.size() < 4 && System.nanoTime() - end < 0) {
                    receiver.receive(record, 16, Duration.ofMillis(200));
                }
                receiver.receive(record, 16, Duration.ofMillis(100));
                assertEquals(List.of("9:16", "9:16", "9:16", PeerPattern.type(1, seed) + ":" + length), seen,
                        "the dead sender's claimed bytes are not a message: " + channel.stats());
            }
        });
    }

    // C sends, Java receives

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldReceiveWhatTheCPeerSendsAndBeWokenByIt(ChannelType type) throws Exception {
        withName("cpeer-c2j-" + type, name -> {
            int count = 100_000;
            try (RingChannel channel = RingChannel.create(name, options(type, 1 << 16));
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), true);
                 SharedMemory view = SharedMemory.open(name)) {
                PeerPattern.Checker checker = new PeerPattern.Checker(SEED, channel);
                Future<Integer> receiving = inThread("receiver", () -> {
                    checker.receive(receiver, count);
                    return receiver.receive((h, b, o, l) -> { }, 1, Duration.ofSeconds(30));
                });
                awaitSleeper(view, ChannelDescriptor.RECEIVERS_WAITING_OFFSET, "the Java receiver");
                try (ChildProcess peer = ringPeer("send", name, Integer.toString(count), Long.toString(SEED),
                        "--abort-every", "97")) {
                    peer.assertSuccess(DEADLINE);
                    assertEquals(Receiver.CLOSED, receiving.get(60, TimeUnit.SECONDS),
                            "the C sender detached when it exited");
                    assertEquals(count, checker.received());
                    assertEquals(Set.of(endpointOf(peer)), checker.sources());
                    assertTrue(peer.output().contains("sent 100000 messages (1030 aborted claims"), peer.output());
                }
                assertTrue(word(view, ChannelDescriptor.DATA_SIGNAL_OFFSET) > 0, "the C sender signalled data");
                ChannelStats stats = channel.stats();
                assertEquals(count, stats.messagesSent());
                assertEquals(count, stats.messagesReceived());
                assertEquals(stats.bytesSent(), stats.bytesReceived());
                assertEquals(stats.tail(), stats.head());
                assertEquals(0, stats.liveSenders());
            }
        });
    }

    // Java sends, C receives

    static Stream<Arguments> typesAndCWaits() {
        return Stream.of(ChannelType.values()).flatMap(t -> Stream.of(Arguments.of(t, false), Arguments.of(t, true)));
    }

    @ParameterizedTest
    @MethodSource("typesAndCWaits")
    void shouldSendWhatTheCPeerReceivesAndBeWokenByIt(ChannelType type, boolean cBlocks) throws Exception {
        withName("cpeer-j2c-" + type, name -> {
            int count = 100_000;
            try (RingChannel channel = RingChannel.create(name, options(type, 1 << 14));
                 Sender sender = channel.sender(WaitStrategy.blocking());
                 SharedMemory view = SharedMemory.open(name)) {
                Future<Void> sending = inThread("sender", () -> {
                    PeerPattern.send(sender, count, SEED, 101);
                    return null;
                });
                // no receiver yet: the ring fills and the Java sender sleeps until C makes room
                awaitSleeper(view, ChannelDescriptor.SENDERS_WAITING_OFFSET, "the Java sender");
                List<String> args = new ArrayList<>(List.of("recv", name, Integer.toString(count), Long.toString(SEED)));
                if (cBlocks) {
                    args.add("--blocking");
                }
                try (ChildProcess peer = ringPeer(args.toArray(String[]::new))) {
                    peer.assertSuccess(DEADLINE);
                    sending.get(60, TimeUnit.SECONDS);
                    assertTrue(peer.output().contains("received 100000 messages, sequence sum " + sumTo(count)),
                            peer.output());
                }
                assertTrue(word(view, ChannelDescriptor.SPACE_SIGNAL_OFFSET) > 0, "the C receiver signalled space");
                ChannelStats stats = channel.stats();
                assertEquals(count, stats.messagesReceived(), "the C receiver's counters, retired");
                assertEquals(stats.bytesSent(), stats.bytesReceived());
                assertEquals(stats.tail(), stats.head());
                assertEquals(0, stats.liveReceivers());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldWakeASleepingCReceiver(ChannelType type) throws Exception {
        withName("cpeer-wake-" + type, name -> {
            try (RingChannel channel = RingChannel.create(name, options(type, 1 << 14));
                 SharedMemory view = SharedMemory.open(name);
                 ChildProcess peer = ringPeer("recv", name, "1000", Long.toString(SEED), "--blocking")) {
                awaitSleeper(view, ChannelDescriptor.RECEIVERS_WAITING_OFFSET, "the C receiver");
                try (Sender sender = channel.sender(WaitStrategy.blocking())) {
                    PeerPattern.send(sender, 1000, SEED, 0);
                }
                peer.assertSuccess(DEADLINE);
                assertTrue(peer.output().contains("received 1000 messages"), peer.output());
                assertTrue(word(view, ChannelDescriptor.DATA_SIGNAL_OFFSET) > 0, "the Java sender signalled data");
                assertTrue(channel.stats().receiverSleeps() > 0, "the C receiver counted its sleeps");
            }
        });
    }

    // C creates, Java opens

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldUseAChannelTheCPeerCreatedBothWays(ChannelType type) throws Exception {
        withName("cpeer-ccreate-" + type, name -> {
            long before = System.currentTimeMillis();
            long creatorPid;
            try (ChildProcess creator = ringPeer("create", name, type.name().toLowerCase(), "16384", "1000", "4")) {
                creator.assertSuccess(DEADLINE);
                creatorPid = creator.pid();
                assertTrue(creator.output().contains("created " + type + " channel " + name), creator.output());
            }
            try (IpcSegment segment = IpcSegment.open(name, SegmentKind.CHANNEL, ChannelDescriptor.ENDPOINTS_OFFSET)) {
                assertEquals(creatorPid, segment.creator().pid());
                assertTrue(segment.creator().startTime() > 0, "the C creator wrote its start time");
                long created = segment.creationTimeMillis();
                assertTrue(created >= before - 1000 && created <= System.currentTimeMillis() + 1000,
                        "creation time " + created);
            }
            try (RingChannel channel = RingChannel.open(name)) {
                assertEquals(type, channel.type());
                assertEquals(16384, channel.capacity());
                assertEquals(1000, channel.maxMessageLength());
                int count = 20_000;
                try (Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
                     ChildProcess peer = ringPeer("send", name, Integer.toString(count), "7")) {
                    PeerPattern.Checker checker = new PeerPattern.Checker(7, 1000, 4, false);
                    checker.receive(receiver, count);
                    peer.assertSuccess(DEADLINE);
                }
                try (ChildProcess peer = ringPeer("recv", name, Integer.toString(count), "8")) {
                    // first the receiver: a sender on a full channel whose receivers have all gone
                    // (the Java one above) is told so, not kept waiting
                    peer.awaitOutput("attached receiver endpoint", DEADLINE);
                    try (Sender sender = channel.sender(WaitStrategy.blocking())) {
                        PeerPattern.send(sender, count, 8, 13);
                    }
                    peer.assertSuccess(DEADLINE);
                    assertTrue(peer.output().contains("received 20000 messages"), peer.output());
                }
                ChannelStats stats = channel.stats();
                assertEquals(2L * count, stats.messagesSent());
                assertEquals(2L * count, stats.messagesReceived());
                assertEquals(0, stats.liveSenders() + stats.liveReceivers(), "every slot of 4 was freed");
            }
        });
    }

    @Test
    void shouldServeJavaSendersFromTheProcessThatCreatedTheChannel() throws Exception {
        withName("cpeer-serve", name -> {
            int perSender = 15_000;
            try (ChildProcess peer = ringPeer("create", name, "mpsc", "8192", "1000",
                    "+", "recv", name, Integer.toString(2 * perSender), Long.toString(SEED))) {
                peer.awaitOutput("attached receiver endpoint", DEADLINE);
                try (RingChannel channel = RingChannel.open(name);
                     Sender first = channel.sender(WaitStrategy.yielding());
                     Sender second = channel.sender(WaitStrategy.blocking())) {
                    Future<Void> other = inThread("second sender", () -> {
                        PeerPattern.send(second, perSender, SEED, 0);
                        return null;
                    });
                    PeerPattern.send(first, perSender, SEED, 7);
                    other.get(60, TimeUnit.SECONDS);
                    peer.assertSuccess(DEADLINE);
                }
                assertTrue(peer.output().contains("received 30000 messages, sequence sum " + 2 * sumTo(perSender)),
                        peer.output());
            }
        });
    }

    // C and Java endpoints on one channel at once

    @ParameterizedTest
    @EnumSource(value = ChannelType.class, names = {"MPSC", "MPMC"})
    void shouldMergeCAndJavaSendersForOneJavaReceiver(ChannelType type) throws Exception {
        withName("cpeer-merge-" + type, name -> {
            int perSender = 30_000;
            try (RingChannel channel = RingChannel.create(name, options(type, 1 << 13));
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
                 Sender sender = channel.sender(WaitStrategy.backoff());
                 ChildProcess c1 = ringPeer("send", name, Integer.toString(perSender), Long.toString(SEED));
                 ChildProcess c2 = ringPeer("send", name, Integer.toString(perSender), Long.toString(SEED),
                         "--blocking", "--abort-every", "11")) {
                Future<Void> sending = inThread("sender", () -> {
                    PeerPattern.send(sender, perSender, SEED, 5);
                    return null;
                });
                PeerPattern.Checker checker = new PeerPattern.Checker(SEED, channel);
                checker.receive(receiver, 3L * perSender);
                sending.get(60, TimeUnit.SECONDS);
                c1.assertSuccess(DEADLINE);
                c2.assertSuccess(DEADLINE);
                assertEquals(Set.of(sender.endpointId(), endpointOf(c1), endpointOf(c2)), checker.sources());
                assertEquals(3 * sumTo(perSender), checker.sequenceSum());
            }
        });
    }

    @Test
    void shouldShareMessagesBetweenACAndAJavaReceiver() throws Exception {
        withName("cpeer-share", name -> {
            int count = 60_000;
            try (RingChannel channel = RingChannel.create(name, options(ChannelType.MPMC, 1 << 14));
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), true);
                 ChildProcess peer = ringPeer("recv", name, "0", Long.toString(SEED), "--gaps", "--blocking")) {
                peer.awaitOutput("attached receiver endpoint", DEADLINE);
                PeerPattern.Checker checker = new PeerPattern.Checker(SEED, MAX_LENGTH,
                        ChannelOptions.DEFAULT_ENDPOINT_SLOTS, true);
                Future<Void> receiving = inThread("receiver", () -> {
                    checker.receiveUntilClosed(receiver);
                    return null;
                });
                try (Sender sender = channel.sender(WaitStrategy.blocking())) {
                    PeerPattern.send(sender, count, SEED, 0);
                }
                receiving.get(60, TimeUnit.SECONDS);
                peer.assertSuccess(DEADLINE);
                Matcher m = RECEIVED.matcher(peer.output());
                assertTrue(m.find(), peer.output());
                long cReceived = Long.parseLong(m.group(1));
                long cSum = Long.parseLong(m.group(2));
                assertEquals(count, cReceived + checker.received(), "every message taken once: C " + cReceived
                        + ", Java " + checker.received());
                assertEquals(sumTo(count), cSum + checker.sequenceSum(), "no message taken twice");
            }
        });
    }

    @Test
    void shouldAdmitOneSenderToSpscWhicheverLanguageCameFirst() throws Exception {
        withName("cpeer-spsc-one", name -> {
            try (RingChannel channel = RingChannel.create(name, options(ChannelType.SPSC, 1 << 12))) {
                try (Sender sender = channel.sender(WaitStrategy.blocking());
                     ChildProcess peer = ringPeer("send", name, "1")) {
                    assertEquals(4, peer.waitFor(DEADLINE), peer.output());
                    assertTrue(peer.output().contains("channel is SPSC and already has a sender: endpoint "
                            + sender.endpointId()), peer.output());
                }
                // C attaches and fills the ring; no receiver, so it waits for room until killed
                try (ChildProcess peer = ringPeer("send", name, "1000000", Long.toString(SEED))) {
                    peer.awaitOutput("attached sender endpoint", DEADLINE);
                    IllegalStateException refused = assertThrows(IllegalStateException.class, channel::sender);
                    assertTrue(refused.getMessage().contains("already has a sender"), refused.getMessage());
                    awaitFull(channel);
                    peer.kill();
                }
                // the killed sender's slot is taken over; its committed messages are all there
                try (Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
                     Sender sender = channel.sender(WaitStrategy.blocking())) {
                    long committed = channel.stats().messagesSent();
                    assertTrue(committed > 0);
                    PeerPattern.Checker checker = new PeerPattern.Checker(SEED, channel);
                    checker.receive(receiver, committed);
                    assertEquals(sumTo(committed), checker.sequenceSum());
                    assertEquals(1, sender.send(1, new byte[] {9}, Duration.ofSeconds(10)));
                    assertEquals(1, receiver.receiveBytes(Duration.ofSeconds(10)).length);
                }
            }
        });
    }

    private static void awaitFull(RingChannel channel) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (channel.stats().timesFull() == 0) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("the C sender did not fill the ring within 20 s: " + channel.stats());
            }
            Thread.sleep(1);
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldPassOverWhatACSenderThatDiedMidWriteHadClaimed(ChannelType type) throws Exception {
        withName("cpeer-dead-" + type, name -> {
            int count = 1000;
            try (RingChannel channel = RingChannel.create(name, options(type, 1 << 16));
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
                PeerPattern.Checker checker = new PeerPattern.Checker(SEED, channel);
                try (ChildProcess peer = ringPeer("send", name, Integer.toString(count), Long.toString(SEED),
                        "--abandon")) {
                    checker.receive(receiver, count);
                    peer.assertSuccess(DEADLINE);
                    assertTrue(peer.output().contains("abandoned a claim"), peer.output());
                }
                try (Sender sender = channel.sender(WaitStrategy.blocking())) {
                    PeerPattern.send(sender, 10, SEED, 0);
                }
                checker.receive(receiver, count + 10); // past the half-written record, never delivered
                assertEquals(sumTo(count) + sumTo(10), checker.sequenceSum());
                assertEquals(type == ChannelType.SPSC ? 0 : 1, channel.stats().skippedRecords(),
                        "SPSC: the next sender starts at the last published tail; else the gap is passed over");
            }
        });
    }

    /**
     * A C sender registers after a C sender died with a claim open: its registration retires dead
     * slots, and must keep that one (the only record of what the dead sender claimed) for the
     * Java receiver to pass over; erased, the gap could not be sized.
     */
    @ParameterizedTest
    @EnumSource(value = ChannelType.class, names = {"MPSC", "MPMC"})
    void shouldKeepADeadSendersClaimWhenACSenderRegistersAfterIt(ChannelType type) throws Exception {
        withName("cpeer-keep-" + type, name -> {
            int count = 1000;
            try (RingChannel channel = RingChannel.create(name, options(type, 1 << 16));
                 Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
                PeerPattern.Checker checker = new PeerPattern.Checker(SEED, channel);
                try (ChildProcess dead = ringPeer("send", name, Integer.toString(count), Long.toString(SEED), "--abandon")) {
                    checker.receive(receiver, count);
                    dead.assertSuccess(DEADLINE);
                }
                try (ChildProcess next = ringPeer("send", name, "10", Long.toString(SEED))) {
                    next.assertSuccess(DEADLINE);
                }
                checker.receive(receiver, count + 10);
                assertEquals(sumTo(count) + sumTo(10), checker.sequenceSum());
                assertEquals(1, channel.stats().skippedRecords());
                assertEquals(channel.stats().tail(), channel.stats().head());
            }
        });
    }

    // refusals

    private interface Corruption {
        void apply(MemorySegment all);
    }

    static Stream<Arguments> corruptChannels() {
        return Stream.of(
                Arguments.of("the layout version before this one", "WRONG_VERSION", (Corruption) all ->
                        all.set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.LAYOUT_VERSION_OFFSET,
                                SegmentKind.CHANNEL.layoutVersion() - 1)),
                Arguments.of("head not a position", "its head 370 is not a position", (Corruption) all ->
                        all.set(ValueLayout.JAVA_LONG, SegmentHeaderDescriptor.HEADER_SIZE + ChannelDescriptor.HEAD_OFFSET, 370)),
                Arguments.of("tail a lap and more past the head", "are more than the capacity 4096 apart", (Corruption) all ->
                        all.set(ValueLayout.JAVA_LONG, SegmentHeaderDescriptor.HEADER_SIZE + ChannelDescriptor.TAIL_OFFSET, 8192)),
                Arguments.of("capacity not a power of two", "its capacity 3000 is not a power of two", (Corruption) all ->
                        all.set(ValueLayout.JAVA_LONG, SegmentHeaderDescriptor.HEADER_SIZE + ChannelDescriptor.CAPACITY_OFFSET, 3000)),
                Arguments.of("channel type 9", "its channel type is 9", (Corruption) all ->
                        all.set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.HEADER_SIZE + ChannelDescriptor.CHANNEL_TYPE_OFFSET, 9)),
                Arguments.of("unknown flag", "flags 0x4 hold bits", (Corruption) all ->
                        all.set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.FLAGS_OFFSET, 4)),
                Arguments.of("body size", "its body size field is", (Corruption) all ->
                        all.set(ValueLayout.JAVA_LONG, SegmentHeaderDescriptor.BODY_SIZE_OFFSET, 64)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptChannels")
    void shouldRefuseACorruptChannelAsJavaDoes(String what, String expected, Corruption corruption) throws Exception {
        withName("cpeer-corrupt", name -> {
            RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(4096)).close();
            try (SharedMemory raw = SharedMemory.open(name)) {
                corruption.apply(raw.segment());
                assertThrows(InvalidSegmentException.class, () -> RingChannel.open(name), "Java refuses it too");
                for (String command : List.of("send", "recv")) {
                    try (ChildProcess peer = ringPeer(command, name, "1")) {
                        assertEquals(3, peer.waitFor(DEADLINE), peer.output());
                        assertTrue(peer.output().contains(expected), peer.output());
                    }
                }
                assertEquals(0, word(raw, ChannelDescriptor.SENDERS_EVER_OFFSET), "nothing was attached");
                assertEquals(0, word(raw, ChannelDescriptor.RECEIVERS_EVER_OFFSET), "nothing was attached");
            }
        });
    }

    @Test
    void shouldRefuseSegmentsThatAreNotChannels() throws Exception {
        withName("cpeer-mutex", name -> {
            try (IpcMutex ignored = IpcMutex.create(name);
                 ChildProcess peer = ringPeer("send", name, "1")) {
                assertEquals(3, peer.waitFor(DEADLINE), peer.output());
                assertTrue(peer.output().contains("it holds kind 1, expected kind 5 (WRONG_KIND)"), peer.output());
            }
        });
        withName("cpeer-garbage", name -> {
            try (SharedMemory garbage = SharedMemory.create(name, 4096)) {
                garbage.segment().fill((byte) 0x5A);
                garbage.segment().set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.READY_OFFSET, SegmentHeaderDescriptor.READY);
                try (ChildProcess peer = ringPeer("recv", name, "1")) {
                    assertEquals(3, peer.waitFor(DEADLINE), peer.output());
                    assertTrue(peer.output().contains("its magic is 0x5a5a5a5a5a5a5a5a"), peer.output());
                    assertTrue(peer.output().contains("(BAD_MAGIC)"), peer.output());
                }
                garbage.segment().fill((byte) 0x5A);
                try (ChildProcess peer = ringPeer("check", name)) {
                    assertEquals(3, peer.waitFor(DEADLINE), peer.output());
                    assertTrue(peer.output().contains("its ready word holds 0x5a5a5a5a"), peer.output());
                }
            }
        });
        withName("cpeer-empty", name -> {
            try (SharedMemory ignored = SharedMemory.create(name, 64);
                 ChildProcess peer = ringPeer("check", name)) {
                assertEquals(3, peer.waitFor(DEADLINE), peer.output());
                assertTrue(peer.output().contains("smaller than the 128-byte header (TRUNCATED)"), peer.output());
            }
        });
        withName("cpeer-missing", name -> {
            try (ChildProcess peer = ringPeer("send", name, "1")) {
                assertEquals(2, peer.waitFor(DEADLINE), peer.output());
                assertTrue(peer.output().contains("(ENOENT)"), peer.output());
            }
        });
    }

    @Test
    void shouldRefuseABadCommandLine() {
        try (ChildProcess peer = ringPeer("send", "/x", "many")) {
            assertEquals(1, peer.waitFor(DEADLINE), peer.output());
            assertTrue(peer.output().contains("COUNT=many must be a number"), peer.output());
            assertTrue(peer.output().contains("usage: ring_peer"), peer.output());
        }
        try (ChildProcess peer = ringPeer("create", "/x", "spsc", "1000", "10")) {
            assertEquals(1, peer.waitFor(DEADLINE), peer.output());
            assertTrue(peer.output().contains("capacity=1000 must be a power of two"), peer.output());
        }
    }
}
