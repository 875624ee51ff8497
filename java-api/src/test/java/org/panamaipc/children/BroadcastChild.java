package org.panamaipc.children;

import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastHeader;
import org.panamaipc.broadcast.Subscriber;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

/**
 * Child JVM for the broadcast tests; the first argument picks the role. Every role has a deadline.
 * The publisher (in the test's JVM) sends {@link Payloads} of producer {@link #PRODUCER}, message
 * {@code s} being the message of sequence number {@code s}, so a subscriber checks each message
 * against its header: its bytes (a torn copy fails the checksum), its sequence number, and that
 * the sequence numbers run on from the one it joined at, with exactly the reported losses between.
 */
public final class BroadcastChild {

    /** The producer number of every message. */
    public static final int PRODUCER = 1;

    private static final Duration DEADLINE = Duration.ofSeconds(150);

    private BroadcastChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start(args[0], DEADLINE);
        switch (args[0]) {
            case "subscribe" -> subscribe(args[1], Long.parseLong(args[2]), Long.parseLong(args[3]));
            case "sleep-in-receive" -> sleepInReceive(args[1]);
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.exit(0);
    }

    /**
     * Receives until the publisher has gone, taking {@code delayMicros} per message; with
     * {@code stallAfter} > 0, stops receiving after that many messages (holding the publisher back
     * under BLOCK) and waits to be killed. Prints a {@code RESULT} line.
     */
    private static void subscribe(String name, long delayMicros, long stallAfter) throws InterruptedException {
        CRC32C crc = new CRC32C();
        try (Broadcast broadcast = Broadcast.open(name);
             Subscriber subscriber = broadcast.subscribe();
             Arena arena = Arena.ofConfined()) {
            int max = broadcast.maxMessageLength();
            MemorySegment buffer = arena.allocate(Math.max(1, max));
            long joined = subscriber.joinedAt();
            System.out.println("JOINED at=" + joined + " slot=" + subscriber.slotId());
            System.out.flush();
            long first = -1;
            long last = joined - 1;
            long received = 0;
            long lost = 0;
            long bad = 0;
            String firstProblem = null;
            while (true) {
                int length = subscriber.receive(buffer, 0, Duration.ofSeconds(60));
                if (length == Subscriber.CLOSED) {
                    break;
                }
                if (length == Subscriber.EMPTY) {
                    System.out.println("FAILED: nothing for 60 s after " + last);
                    System.exit(3);
                }
                BroadcastHeader header = subscriber.lastHeader();
                long sequence = header.sequence();
                String problem = null;
                if (sequence != last + 1 + header.lost()) {
                    problem = "message " + sequence + " after " + last + " with " + header.lost() + " lost between";
                } else {
                    problem = Payloads.check(buffer, 0, length, PRODUCER, sequence, max, crc);
                }
                if (problem != null) {
                    bad++;
                    if (firstProblem == null) {
                        firstProblem = problem;
                    }
                }
                if (first < 0) {
                    first = sequence;
                }
                last = sequence;
                received++;
                lost += header.lost();
                if (delayMicros > 0) {
                    LockSupport.parkNanos(delayMicros * 1000);
                }
                if (received == stallAfter) {
                    System.out.println("STALLED position=" + subscriber.position());
                    System.out.flush();
                    Thread.sleep(DEADLINE.toMillis());
                }
            }
            System.out.println("RESULT joined=" + joined + " first=" + first + " last=" + last + " received=" + received
                    + " lost=" + lost + " reportedLost=" + subscriber.lost() + " bad=" + bad
                    + (firstProblem != null ? " problem=" + firstProblem.replace(' ', '_') : ""));
        }
    }

    /** Joins, then sleeps in a receive until killed. */
    private static void sleepInReceive(String name) throws InterruptedException {
        try (Broadcast broadcast = Broadcast.open(name); Subscriber subscriber = broadcast.subscribe()) {
            System.out.println("JOINED at=" + subscriber.joinedAt() + " slot=" + subscriber.slotId());
            System.out.flush();
            subscriber.receiveBytes(Duration.ofSeconds(140));
        }
    }
}
