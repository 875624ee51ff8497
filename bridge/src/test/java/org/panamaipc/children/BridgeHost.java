package org.panamaipc.children;

import org.panamaipc.bridge.Bridge;
import org.panamaipc.bridge.BridgeConfig;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.codec.RecordField;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.testkit.Watchdog;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The remote "host" of the bridge tests: a JVM with its own bridge and embedded media driver that
 * exports a mailbox or a port it holds.
 *
 * <pre>
 * mailbox-consumer LISTEN STREAM NAME COUNT SENDERS CAPACITY DELAY_NANOS
 *     creates the mailbox NAME, exports it, receives COUNT ticks (taking DELAY_NANOS over each) and
 *     prints RESULT received=N outOfOrder=K complete=true|false
 * mailbox-headers LISTEN STREAM NAME COUNT ring|queue
 *     creates the mailbox NAME over that transport, exports it, receives COUNT ticks and prints for
 *     each the header its receiver saw: HEADER type=T source=S pid=P sequence=Q sendTime=N tick=K sender=I
 * port-owner LISTEN STREAM NAME
 *     creates the port NAME, exports it and receives until it is killed
 * port-owner-closes LISTEN STREAM NAME
 *     the same, but closes the port after the first message (printing CLOSED) and keeps its bridge
 *     running until it is killed
 * take-from NAME
 *     opens the mailbox NAME (a bridge's stand-in) and tries to receive from it, printing
 *     TOOK tick, NOTHING or REFUSED message; no bridge
 * bytes-consumer LISTEN STREAM NAME COUNT
 *     creates the mailbox NAME of byte arrays up to Bridge.maxValueLength(), exports it, receives
 *     COUNT values and prints for each VALUE length=L crc=C
 * </pre>
 * All but take-from print {@code AERON_DIR path} and then {@code READY}.
 */
public final class BridgeHost {

    /** The typed message of the tests: who sent it and its number, 1, 2, 3, ... per sender. */
    public record Tick(int sender, int spare, long sequence) {
    }

    public static final RecordCodec<Tick> TICKS = Codec.ofRecord(Tick.class);
    static final RecordField SENDER = TICKS.field("sender");
    static final RecordField SEQUENCE = TICKS.field("sequence");

    private BridgeHost() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start("BridgeHost " + args[0], Duration.ofSeconds(180));
        switch (args[0]) {
            case "mailbox-consumer" -> consume(args);
            case "mailbox-headers" -> printHeaders(args);
            case "port-owner" -> ownPort(args);
            case "port-owner-closes" -> ownPortThenClose(args);
            case "take-from" -> takeFrom(args[1]);
            case "bytes-consumer" -> consumeBytes(args);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void consumeBytes(String[] args) throws Exception {
        String name = args[3];
        long count = Long.parseLong(args[4]);
        try (Mailbox<byte[]> mailbox = Mailbox.create(name,
                MailboxOptions.ring().capacity(64).maxMessageLength(Bridge.maxValueLength()), Codec.bytes());
             Bridge bridge = Bridge.start(BridgeConfig.builder().listen(args[1])
                     .exportMailbox(name, Integer.parseInt(args[2])).build())) {
            System.out.println("AERON_DIR " + bridge.aeronDirectory());
            System.out.println("READY");
            for (long i = 0; i < count; i++) {
                byte[] value = mailbox.receive(Duration.ofSeconds(60));
                if (value == null) {
                    System.out.println("TIMEOUT after " + i + " " + bridge.counters() + " failure=" + failure(bridge));
                    break;
                }
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(value);
                System.out.println("VALUE length=" + value.length + " crc=" + crc.getValue());
            }
            mailbox.unlink();
        }
    }

    private static void takeFrom(String name) throws InterruptedException {
        try (Mailbox<Tick> mailbox = Mailbox.open(name, TICKS)) {
            Tick tick = mailbox.receive(Duration.ofMillis(200));
            System.out.println(tick == null ? "NOTHING" : "TOOK " + tick.sequence());
        } catch (IllegalStateException refused) {
            System.out.println("REFUSED " + refused.getMessage());
        }
    }

    private static void consume(String[] args) throws Exception {
        String listen = args[1];
        int stream = Integer.parseInt(args[2]);
        String name = args[3];
        long count = Long.parseLong(args[4]);
        int senders = Integer.parseInt(args[5]);
        int capacity = Integer.parseInt(args[6]);
        long delay = Long.parseLong(args[7]);
        try (Mailbox<Tick> mailbox = Mailbox.create(name,
                MailboxOptions.ring().capacity(capacity).waitStrategy(WaitStrategy.blocking(Duration.ofNanos(20_000))), TICKS);
             Bridge bridge = Bridge.start(BridgeConfig.builder().listen(listen).exportMailbox(name, stream).build())) {
            System.out.println("AERON_DIR " + bridge.aeronDirectory());
            System.out.println("READY");
            long[] next = new long[senders];
            java.util.Arrays.fill(next, 1);
            long[] counts = new long[2];   // received, out of order
            org.panamaipc.message.RecordHandler check = (header, segment, offset, length) -> {
                int sender = SENDER.getInt(segment, offset);
                long sequence = SEQUENCE.getLong(segment, offset);
                if (sequence != next[sender]) {
                    counts[1]++;
                }
                next[sender] = sequence + 1;
                counts[0]++;
            };
            long start = 0;
            while (counts[0] < count) {
                int got = mailbox.receive(check, delay > 0 ? 1 : 256, Duration.ofSeconds(60));
                if (got <= 0) {
                    System.out.println("TIMEOUT after " + counts[0] + " " + bridge.counters() + " failure=" + failure(bridge));
                    break;
                }
                if (start == 0) {
                    start = System.nanoTime();
                }
                if (delay > 0) {
                    LockSupport.parkNanos(delay);
                }
            }
            long received = counts[0];
            long outOfOrder = counts[1];
            long elapsed = System.nanoTime() - start;
            boolean complete = true;
            for (long n : next) {
                complete &= n == count / senders + 1;
            }
            Tick extra = mailbox.receive(Duration.ofMillis(200));
            System.out.println("RESULT received=" + received + " outOfOrder=" + outOfOrder + " complete=" + complete
                    + " extra=" + (extra != null) + " seconds=" + elapsed / 1e9 + " " + bridge.counters());
            mailbox.unlink();
        }
    }

    private static void printHeaders(String[] args) throws Exception {
        String listen = args[1];
        int stream = Integer.parseInt(args[2]);
        String name = args[3];
        long count = Long.parseLong(args[4]);
        MailboxOptions options = args[5].equals("queue") ? MailboxOptions.queue().capacity(8) : MailboxOptions.ring();
        try (Mailbox<Tick> mailbox = Mailbox.create(name, options, TICKS);
             Bridge bridge = Bridge.start(BridgeConfig.builder().listen(listen).exportMailbox(name, stream).build())) {
            System.out.println("AERON_DIR " + bridge.aeronDirectory());
            System.out.println("READY");
            for (long i = 0; i < count; i++) {
                Tick tick = mailbox.receive(Duration.ofSeconds(60));
                if (tick == null) {
                    System.out.println("TIMEOUT after " + i + " " + bridge.counters() + " failure=" + failure(bridge));
                    break;
                }
                org.panamaipc.message.Header h = mailbox.lastHeader();
                System.out.println("HEADER type=" + h.type() + " source=" + h.source() + " pid=" + h.sourcePid()
                        + " sequence=" + h.sequence() + " sendTime=" + h.sendTime() + " tick=" + tick.sequence() + " sender=" + tick.sender());
            }
            System.out.println("RESULT " + bridge.counters());
            mailbox.unlink();
        }
    }

    private static String failure(Bridge bridge) {
        Throwable failure = bridge.failure();
        if (failure == null) {
            return "none";
        }
        java.io.StringWriter trace = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(trace));
        return trace.toString();
    }

    private static void ownPort(String[] args) throws Exception {
        String listen = args[1];
        int stream = Integer.parseInt(args[2]);
        String name = args[3];
        try (Port<Tick> port = Port.create(name, MailboxOptions.ring(), TICKS);
             Bridge bridge = Bridge.start(BridgeConfig.builder().listen(listen).exportPort(name, stream).build())) {
            System.out.println("AERON_DIR " + bridge.aeronDirectory());
            System.out.println("READY");
            long received = 0;
            while (true) {
                if (port.receive(Duration.ofSeconds(1)) != null) {
                    received++;
                    if (received == 1) {
                        System.out.println("FIRST");
                    }
                }
            }
        }
    }

    private static void ownPortThenClose(String[] args) throws Exception {
        String listen = args[1];
        int stream = Integer.parseInt(args[2]);
        String name = args[3];
        try (Bridge bridge = Bridge.start(BridgeConfig.builder().listen(listen).exportPort(name, stream).build())) {
            try (Port<Tick> port = Port.create(name, MailboxOptions.ring(), TICKS)) {
                System.out.println("AERON_DIR " + bridge.aeronDirectory());
                System.out.println("READY");
                while (port.receive(Duration.ofSeconds(1)) == null) {
                    // until the first message
                }
                System.out.println("FIRST");
            }
            System.out.println("CLOSED");
            Thread.sleep(Duration.ofSeconds(170));
        }
    }
}
