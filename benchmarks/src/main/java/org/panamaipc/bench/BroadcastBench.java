package org.panamaipc.bench;

import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.broadcast.Subscriber;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The broadcast's fan-out benchmark, which the two-peer harness ({@link Bench}) cannot express: a
 * publisher JVM sends as fast as it can to 1, 2 and 4 subscriber JVMs, under each
 * {@link SlowSubscriberPolicy}, and reports the publisher's rate, with what each subscriber
 * received and lost.
 *
 * <p>Method: for each policy and subscriber count, a fresh broadcast (4096 messages of
 * {@code SIZE} bytes); the subscribers join first; the publisher (pinned to CPU 0 with
 * {@code taskset} when there are two CPUs or more; the subscribers share the other CPUs) warms up
 * for {@code WARMUP_MS}, and in a full run until its JIT is quiet ({@link Warmup}), then sends for {@code MEASURE_MS} {@code ITERATIONS} times, with the
 * blocking send under BLOCK (so it goes at the slowest subscriber's pace) and the try form under
 * LOSSY (which never waits), checking the clock every 1024 messages. Its rate is the median
 * iteration. It then closes; each subscriber, having checked every message's sequence number
 * against the losses it was told of, reports what it received and lost. A run is the rounds of
 * all cases in turn; the ratio of each case to the one-subscriber case of its policy is taken
 * within a round, and the median over the rounds is shown.
 *
 * <p>Usage: {@code BroadcastBench [--quick] [--rounds N] [--subscribers 1,2,4] [--size 32]}.
 * Prints a table, and writes {@code broadcast.txt} into {@code benchmarks/target/bench}.
 */
public final class BroadcastBench {

    private static final long CAPACITY = 4096;
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int CHUNK = 1024;

    private BroadcastBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("publisher")) {
            System.exit(publisher(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]),
                    Integer.parseInt(args[5])));
        }
        if (args.length > 0 && args[0].equals("subscriber")) {
            System.exit(subscriber(args[1]));
        }
        boolean quick = false;
        int rounds = 3;
        List<Integer> counts = List.of(1, 2, 4);
        int size = 32;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--subscribers" -> counts = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--size" -> size = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: BroadcastBench [--quick] [--rounds N] [--subscribers 1,2,4] [--size 32]");
                    System.exit(2);
                }
            }
        }
        if (quick) {
            rounds = 1;
        }
        if (size < Long.BYTES || size > Bench.MAX_SIZE) {
            throw new IllegalArgumentException("size " + size + " is outside 8.." + Bench.MAX_SIZE
                    + ": a message holds its 8-byte sequence number");
        }
        System.exit(run(quick, rounds, counts, size, Bench.defaultOut()));
    }

    /** One measured case. */
    record Case(SlowSubscriberPolicy policy, int subscribers, double rate, long published, String detail) {
    }

    /**
     * The fan-out benchmark of {@code ipc bench --broadcast}: 1, 2 and 4 subscribers, 32-byte
     * messages, three rounds (one with {@code quick}); writes {@code broadcast.txt} to {@code out}.
     * {@return 0 if every case ran}
     */
    public static int run(boolean quick, Path out) throws Exception {
        return run(quick, quick ? 1 : 3, List.of(1, 2, 4), 32, out);
    }

    /** Runs every case {@code rounds} times and prints the table; {@return 0 if every case ran} */
    static int run(boolean quick, int rounds, List<Integer> counts, int size, Path out) throws Exception {
        boolean pin = Runtime.getRuntime().availableProcessors() >= 2 && Peers.onPath("taskset");
        // at least this, and in a full run until the publisher's JIT is quiet (Warmup)
        long warmup = quick ? 300 : 2000;
        long measure = quick ? 300 : 1000;
        int iterations = quick ? 3 : 5;
        System.out.printf("panama-ipc broadcast fan-out%s: %d CPUs, %s; %d-byte messages, ring of %d; %s%n",
                quick ? " (quick)" : "", Runtime.getRuntime().availableProcessors(), Peers.cpuModel(), size, CAPACITY,
                pin ? "publisher on CPU 0, subscribers on the others" : "not pinned");
        Map<String, List<Case>> byCase = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        int failures = 0;
        for (int round = 1; round <= rounds; round++) {
            for (SlowSubscriberPolicy policy : SlowSubscriberPolicy.values()) {
                double single = Double.NaN;
                for (int n : counts) {
                    String key = policy + " " + n;
                    try {
                        Case c = measure(policy, n, size, warmup, measure, iterations, pin, quick);
                        System.out.printf(Locale.ROOT, "round %d: %-5s %d subscriber(s): %,.0f msgs/s  %s%n", round,
                                policy, n, c.rate(), c.detail());
                        byCase.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
                        if (n == counts.get(0)) {
                            single = c.rate();
                        }
                        ratios.computeIfAbsent(key, k -> new ArrayList<>()).add(c.rate() / single);
                    } catch (Exception e) {
                        failures++;
                        System.out.println("FAILED " + key + ": " + e.getMessage());
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-6s %11s %16s %14s   %s%n", "policy", "subscribers",
                "publisher msg/s", "vs " + counts.get(0) + " (median)", "rounds"));
        for (Map.Entry<String, List<Case>> entry : byCase.entrySet()) {
            List<Case> cases = entry.getValue();
            double[] rates = cases.stream().mapToDouble(Case::rate).sorted().toArray();
            double[] r = ratios.get(entry.getKey()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            Case first = cases.get(0);
            table.append(String.format(Locale.ROOT, "%-6s %11d %,16.0f %14.2f   %s%n", first.policy(), first.subscribers(),
                    rates[rates.length / 2], r[r.length / 2],
                    String.join(" ", cases.stream().map(c -> String.format(Locale.ROOT, "%,.0f", c.rate())).toList())));
        }
        System.out.println();
        System.out.print(table);
        Files.createDirectories(out);
        Files.writeString(out.resolve("broadcast.txt"), table);
        return failures == 0 ? 0 : 1;
    }

    private static Case measure(SlowSubscriberPolicy policy, int n, int size, long warmup, long measure, int iterations,
                                boolean pin, boolean quick) throws Exception {
        String name = "/pipc-bench-" + ProcessHandle.current().pid() + "-fanout";
        Broadcast.unlinkIfExists(name);
        List<Process> subscribers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        Process publisher = null;
        Path publisherLog = Files.createTempFile("pipc-bench-publisher-", ".log");
        try {
            Broadcast.create(name, BroadcastOptions.of(policy).capacity(CAPACITY).maxMessageLength(size)
                    .subscriberSlots(Math.max(n, 1))).close();
            for (int i = 0; i < n; i++) {
                Path log = Files.createTempFile("pipc-bench-subscriber-", ".log");
                logs.add(log);
                subscribers.add(start(pin ? "1-" + (Runtime.getRuntime().availableProcessors() - 1) : null, quick,
                        List.of("subscriber", name), log));
            }
            for (int i = 0; i < n; i++) {
                Peers.awaitLine(subscribers.get(i), "subscriber " + i, logs.get(i), "JOINED", DEADLINE);
            }
            publisher = start(pin ? "0" : null, quick, List.of("publisher", name, Integer.toString(size),
                    Long.toString(warmup), Long.toString(measure), Integer.toString(iterations)), publisherLog);
            if (!publisher.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS) || publisher.exitValue() != 0) {
                throw new IOException("publisher failed: " + Files.readString(publisherLog));
            }
            Map<String, String> result = Peers.result(Files.readString(publisherLog));
            long published = Long.parseLong(result.get("published"));
            StringBuilder detail = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (!subscribers.get(i).waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS) || subscribers.get(i).exitValue() != 0) {
                    throw new IOException("subscriber " + i + " failed: " + Files.readString(logs.get(i)));
                }
                Map<String, String> s = Peers.result(Files.readString(logs.get(i)));
                long received = Long.parseLong(s.get("received"));
                long lost = Long.parseLong(s.get("lost"));
                if (received + lost != published - Long.parseLong(s.get("joined")) + 1 || !s.get("bad").equals("0")) {
                    throw new IOException("subscriber " + i + " does not account for every message: " + s
                            + " of " + published);
                }
                detail.append(i == 0 ? "" : ", ").append("received ").append(received).append(" lost ").append(lost);
            }
            return new Case(policy, n, Double.parseDouble(result.get("msgs_per_s")), published,
                    "published " + published + "; " + detail + "; rates " + result.get("iterations")
                            + "; warm-up " + result.get("warmup_ms") + " ms");
        } finally {
            for (Process p : subscribers) {
                Peers.kill(p);
            }
            Peers.kill(publisher);
            Broadcast.unlinkIfExists(name);
            for (Path log : logs) {
                Files.deleteIfExists(log);
            }
            Files.deleteIfExists(publisherLog);
        }
    }

    // ----------------------------------------------------------------------------- the peers

    /** Sends for the warm-up, then {@code iterations} times for {@code measureMillis}; prints a RESULT line. */
    private static int publisher(String name, int size, long warmupMillis, long measureMillis, int iterations)
            throws Exception {
        try (Broadcast broadcast = Broadcast.open(name);
             Publisher publisher = broadcast.publisher();
             Arena arena = Arena.ofConfined()) {
            boolean block = broadcast.policy() == SlowSubscriberPolicy.BLOCK;
            MemorySegment message = arena.allocate(Math.max(size, 8), 8);
            Warmup warmup = new Warmup(TimeUnit.MILLISECONDS.toNanos(warmupMillis));
            do {
                blast(publisher, message, size, Math.min(TimeUnit.MILLISECONDS.toNanos(warmupMillis),
                        BenchPeer.WARMUP_SLICE_NANOS), block);
            } while (warmup.going());
            double[] rates = new double[iterations];
            for (int k = 0; k < iterations; k++) {
                long start = System.nanoTime();
                long sent = blast(publisher, message, size, TimeUnit.MILLISECONDS.toNanos(measureMillis), block);
                rates[k] = sent / ((System.nanoTime() - start) / 1e9);
            }
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "RESULT msgs_per_s=%.0f published=%d full=%d warmup_ms=%d iterations=%s%n",
                    sorted[iterations / 2], publisher.nextSequence() - 1, publisher.timesFull(), warmup.millis(),
                    String.join(",", Arrays.stream(rates).mapToObj(r -> Long.toString(Math.round(r))).toList()));
        }
        return 0;
    }

    private static long blast(Publisher publisher, MemorySegment message, int size, long nanos, boolean block)
            throws InterruptedException {
        long start = System.nanoTime();
        long sent = 0;
        do {
            for (int k = 0; k < CHUNK; k++) {
                message.set(ValueLayout.JAVA_LONG, 0, publisher.nextSequence());
                long s = block ? publisher.send(1, message, 0, size, DEADLINE) : publisher.trySend(1, message, 0, size);
                if (s < 0) {
                    throw new IllegalStateException("no room for " + DEADLINE);
                }
            }
            sent += CHUNK;
        } while (System.nanoTime() - start < nanos);
        return sent;
    }

    /** Receives until the publisher has gone, checking each message's number; prints a RESULT line. */
    private static int subscriber(String name) throws Exception {
        try (Broadcast broadcast = Broadcast.open(name);
             Subscriber subscriber = broadcast.subscribe();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(8, broadcast.maxMessageLength()), 8);
            long joined = subscriber.joinedAt();
            System.out.println("JOINED at=" + joined);
            System.out.flush();
            long last = joined - 1;
            long bad = 0;
            while (true) {
                int length = subscriber.receive(buffer, 0, DEADLINE);
                if (length == Subscriber.CLOSED) {
                    break;
                }
                if (length < 0) {
                    throw new IllegalStateException("nothing for " + DEADLINE);
                }
                long sequence = subscriber.lastHeader().sequence();
                if (sequence != last + 1 + subscriber.lastHeader().lost() || buffer.get(ValueLayout.JAVA_LONG, 0) != sequence) {
                    bad++;
                }
                last = sequence;
            }
            System.out.printf("RESULT joined=%d received=%d lost=%d bad=%d%n", joined, subscriber.received(),
                    subscriber.lost(), bad);
        }
        return 0;
    }

    // ----------------------------------------------------------------------------- plumbing

    private static Process start(String cpus, boolean quick, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(Peers.jvm(Warmup.flags(quick), BroadcastBench.class));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

}
