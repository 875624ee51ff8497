package org.panamaipc.bench;

import org.HdrHistogram.Histogram;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One peer of a benchmark run, in a JVM of its own:
 * {@code BenchPeer ping|pong TRANSPORT ID MODE SIZE WARMUP_MS MEASURE ITERATIONS}. The pong side
 * prints {@code READY} once the ping side may connect; the ping side prints one {@code RESULT} line
 * of {@code key=value} pairs. Either exits non-zero on any error, and after a deadline.
 *
 * <p><b>The protocol</b>, which the C peers ({@code native/src/ring_bench.c}, {@code mq_bench.c},
 * through {@code pipc_bench.h}) follow too. Every message is at least 8 bytes; its first 8 bytes
 * hold the ping's message number, or a control word: {@link #ACK_REQUEST} asks the pong for an
 * 8-byte answer, {@link #STOP} asks for one and ends the pong.
 * <ul>
 * <li>{@code rtt}: the pong echoes every message. The ping makes round trips for {@code WARMUP_MS}
 *     milliseconds, then times {@code MEASURE} round trips one by one into an HdrHistogram.</li>
 * <li>{@code tput}: the ping sends for {@code WARMUP_MS} milliseconds and waits for an
 *     acknowledgement; then, {@code ITERATIONS} times, it sends for {@code MEASURE} milliseconds
 *     (checking the clock every {@link #CHUNK} messages) and times until the pong acknowledges the
 *     last. The result is the median iteration, with the slowest and fastest beside it.</li>
 * </ul>
 * Warming up by time, not by a count of messages, lets the JIT compile the hot path of every
 * transport, fast or slow, before anything is measured: both JVMs are pinned to one CPU each, so
 * their compiler threads share it with the spinning thread and finish late. In a full run the
 * warm-up also lasts until the JIT has been quiet for a second ({@link Warmup}); the RESULT line
 * says how long it took ({@code warmup_ms}).
 */
public final class BenchPeer {

    /** The first 8 bytes of a message that asks the pong for an 8-byte answer. */
    static final long ACK_REQUEST = -1;
    /** The first 8 bytes of a message that asks the pong for an answer and ends it. */
    static final long STOP = -2;
    /** Messages sent between two looks at the clock. */
    static final int CHUNK = 1024;
    /** A throughput warm-up sends in slices of at most this long, each acknowledged: 200 ms. */
    static final long WARMUP_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

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
        if (args[0].equals("producer")) {
            produce(Transports.parse(args[1]), args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 1);
            System.exit(0);
        }
        boolean ping = args[0].equals("ping");
        Transport transport = Transports.parse(args[1]);
        String id = args[2];
        String mode = args[3];
        int size = Integer.parseInt(args[4]);
        long warmupNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[5]));
        int measure = Integer.parseInt(args[6]);
        int iterations = Integer.parseInt(args[7]);
        if (measure < 1 || iterations < 1) {
            throw new IllegalArgumentException("MEASURE " + measure + " and ITERATIONS " + iterations + " must be at least 1");
        }
        if (size < Long.BYTES) {
            throw new IllegalArgumentException("size " + size + " is under 8 bytes: a message must hold its number");
        }
        try (Arena arena = Arena.ofConfined(); Transport.Side side = transport.open(id, ping)) {
            MemorySegment message = arena.allocate(size, 8);
            // room for the largest message any transport may hand over (a message queue's receive
            // buffer must hold its maximum message size)
            MemorySegment buffer = arena.allocate(Math.max(size, 64 * 1024), 8);
            if (!ping) {
                System.out.println("READY cpus=" + cpus());
                System.out.flush();
                if (mode.equals("idle")) {
                    side.receive(buffer); // nothing comes: the harness measures the wait, then kills us
                } else {
                    pong(side, buffer, mode.startsWith("rtt"), batchOf(mode), mode.startsWith("tput-producers"));
                }
            } else if (mode.startsWith("rtt")) {
                pingRoundTrips(transport, side, message, buffer, size, warmupNanos, measure, mode, paceOf(mode));
            } else {
                MemorySegment[] batch = new MemorySegment[batchOf(mode)];
                MemorySegment all = arena.allocate((long) size * batch.length, 8);
                for (int k = 0; k < batch.length; k++) {
                    batch[k] = all.asSlice((long) k * size, size);
                }
                pingThroughput(transport, side, batch, buffer, size, warmupNanos,
                        TimeUnit.MILLISECONDS.toNanos(measure), iterations, mode);
            }
        }
        System.exit(0);
    }

    /** {@return the batch of a mode {@code tput-batchN} or {@code tput-producersM-batchN}: N; 1 for any other mode} */
    static int batchOf(String mode) {
        int at = mode.startsWith("tput") ? mode.indexOf("batch") : -1;
        return at < 0 ? 1 : Integer.parseInt(mode.substring(at + "batch".length()));
    }

    /** {@return the pause of a mode {@code rtt-paceNus} in nanoseconds: N µs; 0 for any other mode} */
    static long paceOf(String mode) {
        return mode.startsWith("rtt-pace") && mode.endsWith("us")
                ? 1_000L * Long.parseLong(mode.substring("rtt-pace".length(), mode.length() - 2)) : 0;
    }

    /**
     * Echoes every message (rtt), or answers the control words only (tput), until {@link #STOP};
     * with a {@code batch} above 1 (tput), receives up to that many at once: a control word is
     * the last message before its ping waits, so with one producer it is the last of its batch,
     * and with many the batch receive keeps it rather than the messages after it (see
     * {@link Transport.Side#receiveBatch}), and the pong counts the others.
     */
    private static void pong(Transport.Side side, MemorySegment buffer, boolean echo, int batch, boolean count)
            throws Exception {
        long received = 0;
        while (true) {
            int length;
            int n = 1;
            if (batch > 1) {
                n = side.receiveBatch(buffer, batch);
                length = Long.BYTES; // tput: only control words are answered
            } else {
                length = side.receive(buffer);
            }
            long word = buffer.get(SEQ, 0);
            if (echo) {
                side.send(buffer, length);
            } else if (word == ACK_REQUEST || word == STOP) {
                received += n - 1;
                if (count) {
                    buffer.set(SEQ, Long.BYTES, received); // every producer's messages so far
                }
                side.send(buffer, count ? 2 * Long.BYTES : Long.BYTES);
            } else {
                received += n;
            }
            if (word == STOP) {
                return;
            }
        }
    }

    /** Sends a control word and waits for the pong's answer. */
    private static void control(Transport.Side side, MemorySegment message, MemorySegment buffer, int size, long word)
            throws Exception {
        message.set(SEQ, 0, word);
        side.send(message, size);
        side.receive(buffer);
        if (buffer.get(SEQ, 0) != word) {
            throw new IllegalStateException("the pong answered " + buffer.get(SEQ, 0) + " to " + word);
        }
    }

    private static long roundTrip(Transport.Side side, MemorySegment message, MemorySegment buffer, int size, long i)
            throws Exception {
        message.set(SEQ, 0, i);
        long start = System.nanoTime();
        side.send(message, size);
        int length = side.receive(buffer);
        long nanos = System.nanoTime() - start;
        if (length != size || buffer.get(SEQ, 0) != i) {
            throw new IllegalStateException("round trip " + i + " came back wrong: length " + length);
        }
        return nanos;
    }

    /**
     * Round trips: warm-up by time, then {@code count} timed ones; with a {@code paceNanos} above
     * 0, the ping waits that long (spinning on the clock, outside the timed part) before each
     * timed round trip, so that a pong that sleeps when idle is asleep when the message comes.
     */
    private static void pingRoundTrips(Transport transport, Transport.Side side, MemorySegment message,
                                       MemorySegment buffer, int size, long warmupNanos, int count, String mode,
                                       long paceNanos) throws Exception {
        long i = 0;
        Warmup warmup = new Warmup(warmupNanos);
        while (warmup.going()) {
            roundTrip(side, message, buffer, size, i++);
        }
        long warmups = i;
        Histogram histogram = new Histogram(10_000_000_000L, 3);
        for (int k = 0; k < count; k++) {
            if (paceNanos > 0) {
                long until = System.nanoTime() + paceNanos;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
            histogram.recordValue(roundTrip(side, message, buffer, size, i++));
        }
        control(side, message, buffer, size, STOP);
        System.out.printf(Locale.ROOT, "RESULT transport=%s mode=" + mode + " size=%d count=%d warmup=%d warmup_ms=%d p50=%d p90=%d p99=%d"
                        + " p999=%d max=%d mean=%.0f cpus=%s%n",
                transport.name(), size, count, warmups, warmup.millis(), histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9), histogram.getMaxValue(), histogram.getMean(), cpus());
    }

    private static void pingThroughput(Transport transport, Transport.Side side, MemorySegment[] batch,
                                       MemorySegment buffer, int size, long warmupNanos, long iterationNanos,
                                       int iterations, String mode) throws Exception {
        MemorySegment message = batch[0];
        boolean aggregate = mode.startsWith("tput-producers");
        Warmup warmup = new Warmup(warmupNanos);
        long warmups = 0;
        do {
            // in slices of at most the minimum, each ending with an acknowledgement
            warmups += blast(side, batch, buffer, size, Math.min(warmupNanos, WARMUP_SLICE_NANOS), warmups);
        } while (warmup.going());
        long total = buffer.get(SEQ, Long.BYTES);
        double[] rates = new double[iterations];
        long sequence = warmups;
        for (int k = 0; k < iterations; k++) {
            long start = System.nanoTime();
            long sent = blast(side, batch, buffer, size, iterationNanos, sequence);
            long nanos = System.nanoTime() - start;
            sequence += sent;
            if (aggregate) {
                // what the pong received from every producer in this iteration
                long now = buffer.get(SEQ, Long.BYTES);
                rates[k] = (now - total) / (nanos / 1e9);
                total = now;
            } else {
                rates[k] = sent / (nanos / 1e9);
            }
        }
        control(side, message, buffer, size, STOP);
        String counters = side.counters();
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        StringBuilder each = new StringBuilder();
        for (double rate : rates) {
            each.append(each.isEmpty() ? "" : ",").append(Math.round(rate));
        }
        System.out.printf(Locale.ROOT, "RESULT transport=%s mode=" + mode + " size=%d count=%d warmup=%d warmup_ms=%d msgs_per_s=%.0f"
                        + " msgs_per_s_min=%.0f msgs_per_s_max=%.0f iterations=%s cpus=%s%s%n",
                transport.name(), size, sequence - warmups, warmups, warmup.millis(), sorted[iterations / 2], sorted[0],
                sorted[iterations - 1], each, cpus(), counters.isEmpty() ? "" : " " + counters);
    }

    /**
     * Sends for at least {@code nanos}, then asks for an acknowledgement and waits for it:
     * everything sent has arrived. {@return how many messages were sent, the last one included}
     */
    private static long blast(Transport.Side side, MemorySegment[] batch, MemorySegment buffer, int size, long nanos,
                              long first) throws Exception {
        long start = System.nanoTime();
        long i = first;
        MemorySegment message = batch[0];
        do {
            if (batch.length == 1) {
                for (int k = 0; k < CHUNK; k++) {
                    message.set(SEQ, 0, i++);
                    side.send(message, size);
                }
            } else {
                for (int k = 0; k < CHUNK; k += batch.length) {
                    int n = Math.min(batch.length, CHUNK - k);
                    for (int m = 0; m < n; m++) {
                        batch[m].set(SEQ, 0, i++);
                    }
                    side.sendBatch(batch, n, size);
                }
            }
        } while (System.nanoTime() - start < nanos);
        control(side, message, buffer, size, ACK_REQUEST);
        return i - first + 1;
    }

    /**
     * One more producer of {@code tput-producersN} (and {@code tput-producersN-batchM}, {@code batch}
     * messages per send): sends {@code size}-byte messages into the
     * pong's channel for {@code millis}, or until the channel stays full for a second or its
     * receiver has gone (the pong ended), then exits. Only the measuring ping asks for
     * acknowledgements; the pong counts every producer's messages.
     */
    private static void produce(Transport transport, String id, int size, long millis, int batch) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try (Arena arena = Arena.ofConfined(); Transport.Side side = transport.openProducer(id)) {
            MemorySegment[] messages = new MemorySegment[batch];
            MemorySegment all = arena.allocate((long) size * batch, 8);
            for (int k = 0; k < batch; k++) {
                messages[k] = all.asSlice((long) k * size, size);
            }
            MemorySegment message = messages[0];
            long i = 1L << 40;
            try {
                while (System.nanoTime() - end < 0) {
                    for (int k = 0; k < CHUNK; k += batch) {
                        if (batch == 1) {
                            message.set(SEQ, 0, i++);
                            side.send(message, size);
                        } else {
                            for (MemorySegment m : messages) {
                                m.set(SEQ, 0, i++);
                            }
                            side.sendBatch(messages, batch, size);
                        }
                    }
                }
            } catch (IllegalStateException | org.panamaipc.PeerGoneException ended) {
                // the pong has gone, or stopped taking: this producer's part is over
            }
        }
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
