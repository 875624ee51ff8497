package org.panamaipc.children;

import org.panamaipc.testkit.Watchdog;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedReceiver;
import org.panamaipc.unbounded.UnboundedSender;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Child JVM for the unbounded link's tests; the first argument picks the role:
 * <ul>
 * <li>{@code produce NAME FIRST COUNT}: sends messages FIRST .. FIRST + COUNT - 1 ({@link #fill}),
 *     prints {@code SENT count spilled n}, and exits;</li>
 * <li>{@code produce-and-hang NAME FIRST COUNT}: the same, then prints {@code HANGING} and waits to
 *     be killed;</li>
 * <li>{@code consume NAME FIRST COUNT}: receives COUNT messages, checks that they are FIRST,
 *     FIRST + 1, ... in order with their bytes, and prints {@code GOT count crc c} (the CRC-32 of
 *     the payloads in order);</li>
 * <li>{@code consume-and-hang NAME FIRST COUNT}: the same, then prints {@code TOOK count} and waits
 *     to be killed, attached.</li>
 * <li>{@code produce-bursts NAME FIRST COUNT}: sends messages FIRST .. FIRST + COUNT - 1 as
 *     {@code produce} does, in bursts of a varying size and pace with a short pause after each, so
 *     that the receiver keeps catching up with the spill while the sender still appends to it;
 *     prints {@code SENT count spilled n} and exits;</li>
 * <li>{@code send-on-request NAME}: attaches the sender, prints {@code READY}, then for each line
 *     {@code send TYPE LENGTH} of its standard input sends a message of TYPE with LENGTH zero bytes
 *     and prints {@code SENT sequence spilled n}; exits at the end of its input.</li>
 * </ul>
 */
public final class UnboundedChild {

    private static final Duration DEADLINE = Duration.ofSeconds(150);

    private UnboundedChild() {
    }

    /** {@return the payload length of message {@code i}: 16 to 300 bytes} */
    public static int length(long i) {
        return 16 + (int) ((i * 7919) % 285);
    }

    /** Writes message {@code i} into {@code buffer}: its number, then bytes that depend on it and their place. */
    public static void fill(long i, MemorySegment buffer) {
        int length = length(i);
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, i);
        for (int j = 8; j < length; j++) {
            buffer.set(ValueLayout.JAVA_BYTE, j, (byte) (i * 31 + j * 7));
        }
    }

    /** {@return the CRC-32 of the payloads of messages {@code first} to {@code first + count - 1}} */
    public static long crc(long first, long count) {
        CRC32 crc = new CRC32();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(512);
            for (long i = first; i < first + count; i++) {
                fill(i, buffer);
                crc.update(buffer.asSlice(0, length(i)).asByteBuffer());
            }
        }
        return crc.getValue();
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start("UnboundedChild " + String.join(" ", args), DEADLINE);
        String name = args[1];
        if (args[0].equals("send-on-request")) {
            sendOnRequest(name);
            System.exit(0);
        }
        long first = Long.parseLong(args[2]);
        long count = Long.parseLong(args[3]);
        switch (args[0]) {
            case "produce-bursts" -> produceBursts(name, first, count);
            case "produce" -> produce(name, first, count, false);
            case "produce-and-hang" -> produce(name, first, count, true);
            case "consume" -> consume(name, first, count, false);
            case "consume-and-hang" -> consume(name, first, count, true);
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.exit(0);
    }

    private static void produce(String name, long first, long count, boolean hang) throws InterruptedException {
        try (UnboundedLink link = UnboundedLink.open(name);
             UnboundedSender sender = link.sender();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(512);
            for (long i = first; i < first + count; i++) {
                fill(i, buffer);
                sender.send(1, buffer, 0, length(i));
            }
            System.out.println("SENT " + count + " spilled " + link.spilled() + " segments " + link.spillSegments());
            System.out.flush();
            if (hang) {
                System.out.println("HANGING");
                System.out.flush();
                Thread.sleep(DEADLINE);
            }
        }
    }

    private static void produceBursts(String name, long first, long count) throws InterruptedException {
        try (UnboundedLink link = UnboundedLink.open(name);
             UnboundedSender sender = link.sender();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(512);
            SplittableRandom random = new SplittableRandom(first);
            long burst = 0;
            long spin = 0;
            for (long i = first; i < first + count; i++) {
                fill(i, buffer);
                sender.send(1, buffer, 0, length(i));
                for (long s = random.nextLong(spin + 1); s > 0; s--) {
                    Thread.onSpinWait(); // a slow stretch: the receiver catches up after almost every message
                }
                if (--burst < 0) {
                    burst = random.nextLong(1, 1500);
                    spin = random.nextBoolean() ? 0 : random.nextLong(1, 200);
                    Thread.sleep(Duration.ofNanos(random.nextLong(1, 2_000_000)));
                }
            }
            System.out.println("SENT " + count + " spilled " + link.spilled() + " segments " + link.spillSegments());
            System.out.flush();
        }
    }

    private static void sendOnRequest(String name) throws Exception {
        try (UnboundedLink link = UnboundedLink.open(name);
             UnboundedSender sender = link.sender();
             BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY");
            System.out.flush();
            String request;
            while ((request = requests.readLine()) != null) {
                String[] words = request.split(" ");
                if (!words[0].equals("send")) {
                    throw new IllegalArgumentException("unknown request " + request);
                }
                long sequence = sender.send(Integer.parseInt(words[1]), new byte[Integer.parseInt(words[2])]);
                System.out.println("SENT " + sequence + " spilled " + link.spilled());
                System.out.flush();
            }
        }
    }

    private static void consume(String name, long first, long count, boolean hang) throws InterruptedException {
        CRC32 crc = new CRC32();
        long spilled = 0;
        try (UnboundedLink link = UnboundedLink.open(name);
             UnboundedReceiver receiver = link.receiver();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(512);
            MemorySegment expected = arena.allocate(512);
            for (long i = first; i < first + count; i++) {
                int length = receiver.receive(buffer, 0, Duration.ofSeconds(30));
                if (length < 0) {
                    throw new AssertionError("message " + i + ": receive returned " + length);
                }
                long got = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                fill(i, expected);
                if (got != i || length != length(i)
                        || expected.asSlice(0, length).mismatch(buffer.asSlice(0, length)) != -1) {
                    throw new AssertionError("expected message " + i + " of " + length(i) + " bytes, got message "
                            + got + " of " + length + " bytes");
                }
                crc.update(buffer.asSlice(0, length).asByteBuffer());
                if (receiver.lastHeader().spilled()) {
                    spilled++;
                }
            }
            System.out.println("GOT " + count + " crc " + crc.getValue() + " spilled " + spilled);
            System.out.flush();
            if (hang) {
                System.out.println("TOOK " + count);
                System.out.flush();
                Thread.sleep(DEADLINE);
            }
        }
    }
}
