package org.panamaipc.attack.children;

import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32C;

/**
 * A message-queue peer of the fault-injection and soak attacks; the first argument picks the role.
 * <ul>
 * <li>{@code send NAME DIR PRODUCER SEED COUNT}: sends messages 1 to COUNT of {@link Frames}, each
 *     with a priority from 0 to 7, logging each one the queue took to {@code DIR/ack-PRODUCER}.</li>
 * <li>{@code receive NAME DIR ID SEED}: receives, checking and logging each message to
 *     {@code DIR/recv-ID}, until the parent has created {@code DIR/senders-done} and the queue is
 *     empty.</li>
 * </ul>
 */
public final class MqPeer {

    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final Duration STEP = Duration.ofMillis(100);

    private MqPeer() {
    }

    public static void main(String[] args) {
        Watchdog.start("mq " + args[0], DEADLINE);
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

    /** {@return the priority of message {@code seq} of {@code producer}} */
    public static int priority(long seed, int producer, long seq) {
        return (int) (Frames.mix(seed * 7 + producer * 131L + seq) & 7);
    }

    private static void send(String[] args) throws InterruptedException {
        String name = args[1];
        Path dir = Path.of(args[2]);
        int producer = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        long count = Long.parseLong(args[5]);
        CRC32C crc = new CRC32C();
        long deadline = System.nanoTime() + DEADLINE.toNanos() - Duration.ofSeconds(30).toNanos();
        try (MessageQueue queue = MessageQueue.open(name);
             Log acks = new Log(dir.resolve("ack-" + producer));
             Arena arena = Arena.ofConfined()) {
            int max = queue.maxMessageLength();
            MemorySegment local = arena.allocate(max, 8);
            Peers.say("ready");
            for (long seq = 1; seq <= count; seq++) {
                int length = Frames.length(seed, producer, seq, max);
                int priority = priority(seed, producer, seq);
                Frames.write(local, 0, length, seed, producer, seq, crc);
                long form = Frames.mix(seed ^ producer * 31L ^ seq) & 3;
                while (true) {
                    long sent = switch ((int) form) {
                        case 0 -> queue.send(local.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), priority, STEP);
                        case 1 -> queue.send(local.asSlice(0, length), priority, STEP);
                        case 2 -> queue.send(local.asSlice(0, length).asByteBuffer(), priority, STEP);
                        default -> queue.trySend(local.asSlice(0, length), priority);
                    };
                    if (sent >= 0) {
                        acks.write(producer, seq, 0);
                        break;
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        Peers.hang("sender " + producer + " could not send message " + seq);
                    }
                }
            }
            Peers.say("sent " + count);
        }
    }

    private static void receive(String[] args) throws InterruptedException {
        String name = args[1];
        Path dir = Path.of(args[2]);
        int id = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        CRC32C crc = new CRC32C();
        try (MessageQueue queue = MessageQueue.open(name);
             Log log = new Log(dir.resolve("recv-" + id))) {
            int max = queue.maxMessageLength();
            long received = 0;
            long doneSeen = 0;
            Peers.say("ready");
            while (true) {
                Message message = (received & 1) == 0 ? queue.receive(STEP) : queue.tryReceive();
                if (message != null) {
                    byte[] payload = message.payload();
                    Frames.Frame frame = Frames.check(MemorySegment.ofArray(payload), 0, payload.length, seed, max, crc);
                    int status = !frame.intact() ? 1
                            : message.priority() != priority(seed, frame.producer(), frame.seq()) ? 2 : 0;
                    log.write(frame.producer(), frame.seq(), status);
                    received++;
                    continue;
                }
                if (Peers.sendersDone(dir)) {
                    // every sender had finished or died before the marker: once empty, it stays empty
                    if (doneSeen == 0) {
                        doneSeen = System.nanoTime();
                    } else if (System.nanoTime() - doneSeen > 2 * STEP.toNanos()) {
                        break;
                    }
                }
            }
            Peers.say("received " + received);
        }
    }
}
