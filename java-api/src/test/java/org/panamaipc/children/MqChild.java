package org.panamaipc.children;

import org.panamaipc.Access;
import org.panamaipc.LimitReachedException;
import org.panamaipc.bindings.resource_h;
import org.panamaipc.bindings.rlimit;
import org.panamaipc.codec.Codec;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.mq.TypedMessageQueue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Child JVM for the message-queue tests; the first argument picks the role. Every role has its own
 * deadline, so a child never outlives a test that forgot it.
 * <ul>
 * <li>{@code send NAME PRIO:TEXT...}: opens NAME and sends each text at its priority, blocking while full.
 * <li>{@code receive NAME COUNT}: opens NAME and receives COUNT messages, printing
 *     {@code received priority=P text=T} for each.
 * <li>{@code send-ticks NAME COUNT}: sends COUNT {@link Tick} records, the i-th at priority i % 3.
 * <li>{@code create-under-rlimit NAME BYTES MAXMSG MSGSIZE}: lowers its own {@code RLIMIT_MSGQUEUE}
 *     to BYTES, tries to create the queue and prints what the exception says.
 * </ul>
 */
public final class MqChild {

    /** A record with every primitive type a record codec takes. */
    public record Tick(long sequence, double price, int quantity, float weight, short venue, char side,
                       byte flags, boolean last) {
        /** {@return the i-th tick of a test} */
        public static Tick number(int i) {
            return new Tick(i, 100 + i * 0.25, i * 10, i / 4f, (short) (i % 7), i % 2 == 0 ? 'B' : 'S',
                    (byte) (i & 0x7f), i % 5 == 0);
        }
    }

    /** Exit code of {@code create-under-rlimit} when the queue was created after all. */
    public static final int EXIT_CREATED = 5;

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private MqChild() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(DEADLINE.toMillis());
                System.out.println("watchdog: " + args[0] + " still running after " + DEADLINE);
                System.out.flush();
                Runtime.getRuntime().halt(9);
            } catch (InterruptedException done) {
                // the role finished
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        int code = switch (args[0]) {
            case "send" -> send(args);
            case "receive" -> receive(args[1], Integer.parseInt(args[2]));
            case "send-ticks" -> sendTicks(args[1], Integer.parseInt(args[2]));
            case "create-under-rlimit" -> createUnderRlimit(args[1], Long.parseLong(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        };
        System.out.println("exit " + code);
        System.out.flush();
        System.exit(code);
    }

    private static int send(String[] args) throws InterruptedException {
        try (MessageQueue queue = MessageQueue.open(args[1], Access.WRITE_ONLY)) {
            for (int i = 2; i < args.length; i++) {
                int colon = args[i].indexOf(':');
                int priority = Integer.parseInt(args[i].substring(0, colon));
                String text = args[i].substring(colon + 1);
                queue.send(text.getBytes(StandardCharsets.UTF_8), priority);
                System.out.println("sent priority=" + priority + " text=" + text);
            }
        }
        return 0;
    }

    private static int receive(String name, int count) throws InterruptedException {
        try (MessageQueue queue = MessageQueue.open(name, Access.READ_ONLY)) {
            System.out.println("receiving");
            System.out.flush();
            for (int i = 0; i < count; i++) {
                Message message = queue.receive(DEADLINE);
                if (message == null) {
                    System.out.println("no message within " + DEADLINE);
                    return 3;
                }
                System.out.println("received priority=" + message.priority() + " text=" + message.text());
                System.out.flush();
            }
        }
        return 0;
    }

    private static int sendTicks(String name, int count) throws InterruptedException {
        try (TypedMessageQueue<Tick> ticks = MessageQueue.open(name).typed(Codec.ofRecord(Tick.class))) {
            for (int i = 0; i < count; i++) {
                ticks.send(Tick.number(i), i % 3);
            }
            System.out.println("sent " + count + " ticks");
        }
        return 0;
    }

    private static int createUnderRlimit(String name, long bytes, int maxMessages, int maxMessageLength) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = rlimit.allocate(arena);
            rlimit.rlim_cur(limit, bytes);
            rlimit.rlim_max(limit, bytes);
            if (resource_h.setrlimit(resource_h.RLIMIT_MSGQUEUE(), limit) != 0) {
                System.out.println("setrlimit failed");
                return 3;
            }
        }
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(maxMessages, maxMessageLength))) {
            System.out.println("created " + queue + " under RLIMIT_MSGQUEUE=" + bytes);
            queue.unlink();
            return EXIT_CREATED;
        } catch (LimitReachedException e) {
            System.out.println("message=" + e.getMessage());
            System.out.println("limit=" + e.limit());
            System.out.println("current=" + e.currentValue());
            System.out.println("howToRaise=" + e.howToRaise());
            System.out.println("errno=" + e.errnoName());
            return 0;
        }
    }
}
