package org.panamaipc.attack.children;

import org.panamaipc.channel.MessageHeader;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RecordDescriptor;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32C;

/**
 * A ring-channel peer of the fault-injection and soak attacks; the first argument picks the role.
 * <ul>
 * <li>{@code send NAME DIR PRODUCER SEED COUNT STRATEGY [CLAIM_AT PATTERN]}: sends messages 1 to
 *     COUNT of {@link Frames} as producer PRODUCER (also the message type), logging each
 *     acknowledged one (the send or commit returned a sequence number) to {@code DIR/ack-PRODUCER}.
 *     With CLAIM_AT it stops at that message: claims it with {@code tryClaim}, writes part of it
 *     (PATTERN says what), prints {@code claimed} and waits to be killed.</li>
 * <li>{@code receive NAME DIR ID SEED FORM STRATEGY}: receives until the channel says CLOSED after
 *     the parent has created {@code DIR/senders-done}, checking and logging every message to
 *     {@code DIR/recv-ID}. FORM is {@code copy} (one message per call, into this process's memory)
 *     or {@code handler} (in place, in batches).</li>
 * </ul>
 */
public final class RingPeer {

    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final Duration STEP = Duration.ofMillis(100);

    private RingPeer() {
    }

    public static void main(String[] args) {
        Watchdog.start("ring " + args[0], DEADLINE);
        try {
            switch (args[0]) {
                case "send" -> send(args);
                case "receive" -> receive(args);
                default -> throw new IllegalArgumentException("unknown role " + args[0]);
            }
        } catch (Throwable t) {
            Peers.fail(t);
        }
        System.exit(0);
    }

    private static void send(String[] args) throws InterruptedException {
        String name = args[1];
        Path dir = Path.of(args[2]);
        int producer = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        long count = Long.parseLong(args[5]);
        WaitStrategy strategy = Peers.strategy(args[6]);
        long claimAt = args.length > 7 ? Long.parseLong(args[7]) : -1;
        String pattern = args.length > 8 ? args[8] : "part";
        CRC32C crc = new CRC32C();
        long deadline = System.nanoTime() + DEADLINE.toNanos() - Duration.ofSeconds(30).toNanos();
        try (RingChannel channel = RingChannel.open(name);
             Sender sender = channel.sender(strategy);
             Log acks = new Log(dir.resolve("ack-" + producer));
             Arena arena = Arena.ofConfined()) {
            int max = channel.maxMessageLength();
            long capacity = channel.capacity();
            MemorySegment local = arena.allocate(max, 8);
            Peers.say("ready endpoint " + sender.endpointId());
            for (long seq = 1; seq <= count; seq++) {
                int length = Frames.length(seed, producer, seq, max);
                if (seq == claimAt) {
                    claimAndHang(channel, sender, seed, producer, seq, length, pattern, capacity);
                }
                long form = Frames.mix(seed ^ producer * 31L ^ seq) & 3;
                while (true) {
                    long result;
                    if (form == 2 || form == 3) {
                        long index = form == 2 ? sender.claim(producer, length, STEP) : sender.tryClaim(producer, length);
                        if (index >= 0) {
                            Frames.write(sender.buffer(), index, length, seed, producer, seq, crc);
                            result = sender.commit(index);
                        } else {
                            result = index;
                        }
                    } else {
                        Frames.write(local, 0, length, seed, producer, seq, crc);
                        result = form == 0
                                ? sender.send(producer, local.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), STEP)
                                : sender.send(producer, local, 0, length, STEP);
                    }
                    if (result >= 0) {
                        acks.write(producer, seq, 0);
                        break;
                    }
                    // FULL: no room yet; CLOSED: no receiver now (the parent may be starting a new one)
                    if (System.nanoTime() - deadline >= 0) {
                        Peers.hang("sender " + producer + " could not send message " + seq + " (last result "
                                + result + "): " + channel.stats());
                    }
                    if (result == Sender.CLOSED) {
                        Peers.pause(5);
                    }
                }
            }
            Peers.say("sent " + count);
        }
    }

    /**
     * Claims message {@code seq} with {@code tryClaim}, writes part of it, says so with its stream
     * position, and waits to be killed. PATTERN: {@code part} (the message's first bytes),
     * {@code zeros}, {@code ones}, {@code selfpos} (every payload word holds its own stream position
     * plus 1 to 7: it looks like a record tag to a scan), {@code lenpos} (a length chosen so that the
     * record's length and type word reads as its position plus 9 to 15, when that length is allowed).
     */
    private static void claimAndHang(RingChannel channel, Sender sender, long seed, int producer, long seq, int length,
                                     String pattern, long capacity) {
        // with one sender the published tail is where its next record starts, unless the claim
        // must first pad the rest of the lap: then the record starts elsewhere ("padded")
        long expected = channel.stats().tail();
        int type = producer;
        int claimLength = length;
        int step = (int) Math.floorMod(Frames.mix(seed ^ seq), 7L) + 1;
        if (pattern.equals("lenpos")) {
            long word = expected + RecordDescriptor.LENGTH_OFFSET + step;
            if ((int) word >= 0 && (int) word <= channel.maxMessageLength()) {
                type = (int) (word >>> 32);
                claimLength = (int) word;
            } else {
                pattern = "selfpos";
            }
        }
        long index;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((index = sender.tryClaim(type, claimLength)) < 0) {
            if (System.nanoTime() - deadline >= 0) {
                Peers.hang("could not claim message " + seq + " to hang in: " + channel.stats());
            }
            Thread.onSpinWait();
        }
        MemorySegment ring = sender.buffer();
        long record = index - RecordDescriptor.HEADER_LENGTH;
        // the claim starts at or after the tail read before it, less than a lap later
        long position = expected + Math.floorMod(record - expected, capacity);
        switch (pattern) {
            case "zeros" -> ring.asSlice(index, claimLength / 2).fill((byte) 0);
            case "ones" -> ring.asSlice(index, claimLength / 2).fill((byte) -1);
            case "selfpos", "lenpos" -> {
                for (long off = 0; off + 8 <= claimLength; off += 8) {
                    ring.set(ValueLayout.JAVA_LONG_UNALIGNED, index + off, position + RecordDescriptor.HEADER_LENGTH + off + step);
                }
            }
            default -> Frames.writePart(ring, index, claimLength, seed, producer, seq, claimLength / 2);
        }
        boolean padded = position != expected;
        Peers.say("claimed " + seq + " position " + position + " length " + claimLength + " type " + type
                + " pattern " + pattern + " padded " + padded);
        Peers.pause(DEADLINE.toMillis()); // until killed
    }

    private static void receive(String[] args) throws InterruptedException {
        String name = args[1];
        Path dir = Path.of(args[2]);
        int id = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        boolean copy = args[5].equals("copy");
        WaitStrategy strategy = Peers.strategy(args[6]);
        CRC32C crc = new CRC32C();
        try (RingChannel channel = RingChannel.open(name);
             Receiver receiver = channel.receiver(strategy, true);
             Log log = new Log(dir.resolve("recv-" + id));
             Arena arena = Arena.ofConfined()) {
            int max = channel.maxMessageLength();
            MemorySegment into = arena.allocate(Math.max(1, max), 8);
            long[] received = {0};
            long doneSeen = 0;
            // CLOSED comes only to a receiver that had a sender (alive when it attached, or attached
            // since); one that attaches after the last sender left waits for the next, as documented.
            // A live sender seen after attaching settles it; none seen leaves the question open.
            boolean hadSender = channel.stats().liveSenders() > 0;
            int emptyAfterDone = 0;
            long lastSample = System.nanoTime();
            Peers.say("ready endpoint " + receiver.endpointId());
            while (true) {
                int result;
                if (copy) {
                    result = receiver.receive(into, 0, STEP);
                    if (result >= 0) {
                        record(log, receiver.lastHeader(), into, 0, result, seed, max, crc);
                        received[0]++;
                    }
                } else {
                    result = receiver.receive((header, buffer, offset, length) -> {
                        record(log, header, buffer, offset, length, seed, max, crc);
                        received[0]++;
                    }, 16, STEP);
                }
                if (result == Receiver.CLOSED && Peers.sendersDone(dir)) {
                    break;
                }
                if (!hadSender && System.nanoTime() - lastSample > 20_000_000L) {
                    lastSample = System.nanoTime();
                    hadSender = channel.stats().liveSenders() > 0;
                    if (hadSender) {
                        Peers.say("saw a live sender");
                    }
                }
                if (!hadSender && result != Receiver.CLOSED && result < 1 && Peers.sendersDone(dir) && ++emptyAfterDone >= 3) {
                    Peers.say("no CLOSED expected: no live sender was seen after attaching, and nothing is left");
                    break;
                }
                if (Peers.sendersDone(dir)) {
                    long now = System.nanoTime();
                    if (doneSeen == 0) {
                        doneSeen = now;
                    } else if (now - doneSeen > Peers.CLOSE_DEADLINE.toNanos()) {
                        Peers.hang("receiver " + id + ": the senders are done, and " + Peers.CLOSE_DEADLINE
                                + " later no CLOSED (received " + received[0] + "): " + channel.stats());
                    }
                }
                if (result == Receiver.CLOSED) {
                    Peers.pause(5); // every sender gone for now: the parent may start another
                }
            }
            Peers.say("received " + received[0]);
        }
    }

    private static void record(Log log, MessageHeader header, MemorySegment buffer, long offset, int length,
                               long seed, int max, CRC32C crc) {
        Frames.Frame frame = Frames.check(buffer, offset, length, seed, max, crc);
        int status = !frame.intact() ? 1 : header.type() != frame.producer() || header.sequence() != frame.seq() ? 2 : 0;
        log.write(frame.producer(), frame.seq(), status);
    }
}
