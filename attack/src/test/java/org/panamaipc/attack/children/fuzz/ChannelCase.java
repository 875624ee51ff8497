package org.panamaipc.attack.children.fuzz;

import org.panamaipc.channel.ChannelDescriptor;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelStats;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHandler;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RecordDescriptor;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A hostile-segment case on a ring channel: created with seeded options, a sender and receivers
 * attached, messages sent and some received, a claim perhaps left open; then attacked, and used
 * through the endpoints attached during the attack and through a fresh open and fresh endpoints.
 */
final class ChannelCase extends HostileCase {

    private static final Duration SHORT = Duration.ofMillis(10);
    private static final Duration GAP = Duration.ofMillis(60);

    private ChannelType type;
    private long capacity;
    private int slots;
    private long skipped;
    private final Arena arena = Arena.ofConfined();

    ChannelCase(long seed) {
        super(seed, "ring");
        random.nextInt(10); // the pick that chose this target
    }

    @Override
    String target() {
        return "channel " + type + " capacity " + capacity + " slots " + slots;
    }

    @Override
    long skipped() {
        return skipped;
    }

    @Override
    void attack() {
        type = ChannelType.values()[random.nextInt(3)];
        capacity = new long[] {1024, 4096, 65536}[random.nextInt(3)];
        int maxLength = (int) Math.min(capacity / 2 - RecordDescriptor.HEADER_LENGTH,
                new int[] {0, 16, 100, Integer.MAX_VALUE}[random.nextInt(4)]);
        slots = new int[] {2, 3, 16}[random.nextInt(3)];
        RingChannel channel = outcomes.call("create", () -> RingChannel.create(name,
                ChannelOptions.of(type).capacity(capacity).maxMessageLength(maxLength).endpointSlots(slots)));
        if (channel == null) {
            return;
        }
        Sender sender = random.nextInt(5) != 0 ? outcomes.call("attach sender", () -> channel.sender(strategy())) : null;
        Receiver receiver = random.nextInt(5) != 0 ? outcomes.call("attach receiver",
                () -> channel.receiver(strategy(), random.nextBoolean())) : null;
        List<Long> records = traffic(channel, sender, receiver, maxLength);
        boolean claimOpen = false;
        if (sender != null && random.nextInt(3) == 0) {
            Long index = outcomes.call("tryClaim (left open)", () -> sender.tryClaim(1, Math.min(8, maxLength)));
            claimOpen = index != null && index >= 0;
        }
        ChannelStats before = outcomes.call("stats", channel::stats);
        if (before == null) {
            return;
        }
        Sender s = sender;
        Receiver r = receiver;
        if (s != null && random.nextInt(5) == 0) {
            close("sender", s);
            s = null;
        }
        if (r != null && random.nextInt(5) == 0) {
            close("receiver", r);
            r = null;
        }
        SharedMemory raw = SharedMemory.open(name);
        long recordsAt = SegmentHeaderDescriptor.HEADER_SIZE + ChannelDescriptor.recordsOffset(slots);
        Mutator mutator = new Mutator(raw.segment(), random, new Mutator.Context(capacity, before.head(), before.tail(),
                recordsAt, (int) ProcessHandle.current().pid()));
        List<Mutator.Field> fields = new ArrayList<>(Mutator.segmentHeader());
        fields.addAll(Mutator.channel(slots, records.stream().map(p -> recordsAt + (p & (capacity - 1))).toList()));
        boolean truncated = false;
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count && !truncated; i++) {
            int kind = random.nextInt(100);
            if (kind < 70) {
                mutations.add(mutator.field(fields.get(random.nextInt(fields.size()))));
            } else if (kind < 82) {
                mutations.add(mutator.bytes());
            } else if (kind < 92) {
                long at = (random.nextBoolean() ? before.head() : before.tail()) + 8L * random.nextInt(0, 8);
                mutations.add(mutator.forgeRecord(at, capacity - 1));
            } else {
                // ftruncate: every mapping of this process goes first (a shrunk mapping faults)
                long size = raw.size();
                close("sender", s);
                close("receiver", r);
                close("channel", channel);
                close("raw", raw);
                s = null;
                r = null;
                truncate(size);
                truncated = true;
            }
        }
        if (!truncated) {
            if (claimOpen && s != null) {
                Sender open = s;
                outcomes.run("abort the open claim", open::close); // closing aborts it
                s = null;
            }
            if (r != null) {
                useReceiver("receiver", r, maxLength);
            }
            if (s != null) {
                useSender("sender", s, maxLength);
            }
            outcomes.run("stats after", channel::stats);
            close("sender", s);
            close("receiver", r);
            ChannelStats after = outcomes.call("stats at the end", channel::stats);
            if (after != null) {
                skipped = Math.max(0, after.skippedRecords() - before.skippedRecords());
            }
            close("raw", raw);
        }
        fresh(maxLength);
        if (!truncated) {
            close("channel", channel);
        }
        arena.close();
    }

    private WaitStrategy strategy() {
        return random.nextBoolean() ? WaitStrategy.busySpin() : WaitStrategy.blocking(Duration.ZERO);
    }

    /** Sends and receives a little; {@return the stream positions of the records written (one sender)} */
    private List<Long> traffic(RingChannel channel, Sender sender, Receiver receiver, int maxLength) {
        List<Long> positions = new ArrayList<>();
        if (sender == null) {
            return positions;
        }
        long position = 0;
        int messages = random.nextInt(0, 40);
        for (int i = 0; i < messages; i++) {
            int length = random.nextInt(0, maxLength + 1);
            Long sent = outcomes.call("setup send", () -> sender.trySend(7, new byte[length]));
            if (sent == null || sent < 0) {
                break;
            }
            long size = RecordDescriptor.recordLength(length);
            long index = position & (capacity - 1);
            if (index + size > capacity) {
                positions.add(position); // the padding's tag
                position += capacity - index;
            }
            positions.add(position);
            position += size;
            if (receiver != null && random.nextInt(3) == 0) {
                outcomes.run("setup receive", () -> receiver.poll((h, b, o, l) -> { }, 1 + random.nextInt(4)));
            }
        }
        List<Long> recent = new ArrayList<>();
        for (long p : positions) {
            if (p > position - capacity) {
                recent.add(p);
            }
        }
        return recent;
    }

    private void useReceiver(String who, Receiver r, int maxLength) {
        MemorySegment into = arena.allocate(Math.max(1, maxLength), 8);
        MessageHandler handler = (header, buffer, offset, length) -> {
            if (offset < 0 || length < 0 || length > maxLength || offset + length > buffer.byteSize()) {
                outcomes.wrong(who + " handler", "handed offset=" + offset + " length=" + length + " in a buffer of "
                        + buffer.byteSize() + " (max message length " + maxLength + ")");
            } else if (length > 0) {
                buffer.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + length - 1);
            }
        };
        outcomes.run(who + " poll", () -> r.poll(handler, 8));
        outcomes.run(who + " tryReceive", () -> {
            int n = r.tryReceive(into, 0);
            if (n > maxLength) {
                outcomes.wrong(who + " tryReceive", "returned " + n + " > max message length " + maxLength);
            }
        });
        outcomes.run(who + " receive(handler, 60ms)", () -> r.receive(handler, 4, GAP));
        outcomes.run(who + " receive(segment, 10ms)", () -> r.receive(into, 0, SHORT));
        outcomes.run(who + " receiveBytes(10ms)", () -> {
            byte[] b = r.receiveBytes(SHORT);
            if (b != null && b.length > maxLength) {
                outcomes.wrong(who + " receiveBytes", "returned " + b.length + " bytes > max message length " + maxLength);
            }
        });
    }

    private void useSender(String who, Sender s, int maxLength) {
        int length = random.nextInt(0, maxLength + 1);
        MemorySegment source = arena.allocate(Math.max(1, length), 8);
        outcomes.run(who + " trySend", () -> s.trySend(3, new byte[length]));
        outcomes.run(who + " tryClaim", () -> {
            long index = s.tryClaim(3, length);
            if (index >= 0) {
                if (index + length > s.buffer().byteSize()) {
                    outcomes.wrong(who + " tryClaim", "index " + index + " + length " + length + " is past the buffer");
                    s.abort(index);
                } else if (random.nextBoolean()) {
                    s.commit(index);
                } else {
                    s.abort(index);
                }
            }
        });
        outcomes.run(who + " send(10ms)", () -> s.send(3, source, 0, length, SHORT));
    }

    /** Opens the attacked channel afresh and attaches fresh endpoints. */
    private void fresh(int maxLength) {
        RingChannel fresh = outcomes.call("open", () -> RingChannel.open(name));
        if (fresh == null) {
            return;
        }
        int max = outcomes.call("maxMessageLength", fresh::maxMessageLength) instanceof Integer m ? m : maxLength;
        outcomes.run("stats (fresh)", fresh::stats);
        outcomes.run("toString (fresh)", fresh::toString);
        Receiver r = outcomes.call("attach receiver (fresh)", () -> fresh.receiver(strategy(), true));
        Sender s = outcomes.call("attach sender (fresh)", () -> fresh.sender(strategy()));
        if (r != null) {
            useReceiver("fresh receiver", r, max);
        }
        if (s != null) {
            useSender("fresh sender", s, max);
        }
        close("fresh sender", s);
        close("fresh receiver", r);
        close("fresh channel", fresh);
    }
}
