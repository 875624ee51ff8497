package org.panamaipc.bench;

import org.HdrHistogram.Histogram;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One peer of a benchmark run, in a JVM of its own:
 * {@code BenchPeer ping|pong TRANSPORT ID rtt|tput SIZE WARMUP COUNT}. The pong side prints
 * {@code READY} once the ping side may connect; the ping side prints one {@code RESULT} line of
 * {@code key=value} pairs. Either exits non-zero on any error, and after a deadline.
 */
public final class BenchPeer {

    private static final long DEADLINE_MILLIS = 300_000;
    private static final ValueLayout.OfLong SEQ = ValueLayout.JAVA_LONG_UNALIGNED;

    private BenchPeer() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(DEADLINE_MILLIS);
                System.out.println("watchdog: still running after " + DEADLINE_MILLIS + " ms");
                System.exit(9);
            } catch (InterruptedException done) {
                // finished
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        boolean ping = args[0].equals("ping");
        Transport transport = Transports.parse(args[1]);
        String id = args[2];
        boolean rtt = args[3].equals("rtt");
        int size = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        int count = Integer.parseInt(args[6]);
        try (Arena arena = Arena.ofConfined(); Transport.Side side = transport.open(id, ping)) {
            MemorySegment message = arena.allocate(Math.max(size, 8), 8);
            // room for the largest message any transport may hand over (a message queue's receive
            // buffer must hold its maximum message size)
            MemorySegment buffer = arena.allocate(Math.max(size, 64 * 1024), 8);
            if (!ping) {
                System.out.println("READY cpus=" + cpus());
                System.out.flush();
                if (args[3].equals("idle")) {
                    side.receive(buffer); // nothing comes: the harness measures the wait, then kills us
                } else if (rtt) {
                    for (int i = 0; i < warmup + count; i++) {
                        int length = side.receive(buffer);
                        side.send(buffer, length);
                    }
                } else {
                    drain(side, buffer, warmup);
                    drain(side, buffer, count);
                }
            } else if (rtt) {
                pingRoundTrips(transport, side, message, buffer, size, warmup, count);
            } else {
                pingThroughput(transport, side, message, buffer, size, warmup, count);
            }
        }
        System.exit(0);
    }

    private static void drain(Transport.Side side, MemorySegment buffer, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            side.receive(buffer);
        }
        side.send(buffer, 8); // the acknowledgement
    }

    private static void pingRoundTrips(Transport transport, Transport.Side side, MemorySegment message,
                                       MemorySegment buffer, int size, int warmup, int count) throws Exception {
        Histogram histogram = new Histogram(10_000_000_000L, 3);
        for (int i = 0; i < warmup + count; i++) {
            if (size >= 8) {
                message.set(SEQ, 0, i);
            }
            long start = System.nanoTime();
            side.send(message, size);
            int length = side.receive(buffer);
            long nanos = System.nanoTime() - start;
            if (length != size || (size >= 8 && buffer.get(SEQ, 0) != i)) {
                throw new IllegalStateException("round trip " + i + " came back wrong: length " + length);
            }
            if (i >= warmup) {
                histogram.recordValue(nanos);
            }
        }
        System.out.printf(Locale.ROOT, "RESULT transport=%s mode=rtt size=%d count=%d p50=%d p90=%d p99=%d p999=%d max=%d"
                        + " mean=%.0f cpus=%s%n",
                transport.name(), size, count, histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9), histogram.getMaxValue(),
                histogram.getMean(), cpus());
    }

    private static void pingThroughput(Transport transport, Transport.Side side, MemorySegment message,
                                       MemorySegment buffer, int size, int warmup, int count) throws Exception {
        blast(side, message, buffer, size, warmup);
        long start = System.nanoTime();
        blast(side, message, buffer, size, count);
        long nanos = System.nanoTime() - start;
        String counters = side.counters();
        System.out.printf(Locale.ROOT, "RESULT transport=%s mode=tput size=%d count=%d nanos=%d msgs_per_s=%.0f cpus=%s%s%n",
                transport.name(), size, count, nanos, count / (nanos / 1e9), cpus(), counters.isEmpty() ? "" : " " + counters);
    }

    private static void blast(Transport.Side side, MemorySegment message, MemorySegment buffer, int size, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            if (size >= 8) {
                message.set(SEQ, 0, i);
            }
            side.send(message, size);
        }
        side.receive(buffer); // the acknowledgement: everything has arrived
    }

    /** {@return the CPUs this process may run on, as the kernel says, such as {@code 0} or {@code 0-1}} */
    static String cpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        } catch (Exception e) {
            // unknown
        }
        return "?";
    }
}
