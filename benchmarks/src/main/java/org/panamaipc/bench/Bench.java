package org.panamaipc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cross-process benchmark: for each transport, message size and mode, starts a pong JVM and a
 * ping JVM (pinned to CPUs 1 and 0 with {@code taskset} when there are two CPUs), and collects the
 * ping's result. Round trips ({@code rtt}) are timed one by one into an HdrHistogram; throughput
 * ({@code tput}) is a burst of messages one way, timed until the pong acknowledges the last.
 *
 * <p><b>Rounds.</b> On a virtual machine the speed of moving cache lines between the two CPUs
 * changes from one minute, even from one run of a few seconds, to the next (the host moves the
 * virtual CPUs): the C ring's round trip has been seen at 0.47 us and at 0.64 us, its throughput
 * at 20 M and at 32 M messages per second, minutes apart. So a full run measures every case in
 * several rounds; within a round it takes one case (mode and size) at a time through every
 * transport, so the figures a ratio compares are taken seconds apart. The table shows for each
 * case the round with the median key figure (round-trip p50, throughput) and the spread over the
 * rounds; a ratio is the median over the rounds of that round's ratio (see {@link Report}); the
 * JSON keeps every round's figure.
 *
 * <p>Usage: {@code Bench [--quick] [--rounds N] [--transports SPEC,SPEC...] [--sizes 32,1024] [--out DIR]
 * [--batch N] [--pace 200us] [--producers N]}.
 * Writes {@code results.json} and {@code results.txt} into DIR (default {@code benchmarks/target/bench}).
 */
public final class Bench {

    /** One measured case. */
    public record Result(String transport, String mode, int size, Map<String, String> values) {
        double value(String key) {
            String v = values.get(key);
            return v == null ? Double.NaN : Double.parseDouble(v);
        }
    }

    /** The smallest message: it holds the ping's 8-byte message number (see {@link BenchPeer}). */
    public static final int MIN_SIZE = 8;
    /** The largest message the peers take. */
    public static final int MAX_SIZE = 64 * 1024;

    /** Rounds of a full run (a quick run makes one). */
    public static final int DEFAULT_ROUNDS = 3;

    private final boolean quick;
    private int rounds;
    private final boolean pin;
    private int runs;
    /** Messages per send and most per receive in the batched throughput mode; 1: no such mode. */
    private int batch = 1;
    /** The pause between round trips of the paced mode, in microseconds; 0: no such mode. */
    private long paceMicros;
    /** Producer JVMs of the many-producers throughput mode; 1: no such mode. */
    private int producers = 1;

    Bench(boolean quick) {
        this.quick = quick;
        this.rounds = quick ? 1 : DEFAULT_ROUNDS;
        this.pin = Runtime.getRuntime().availableProcessors() >= 2 && Peers.onPath("taskset");
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int rounds = -1;
        int batch = 1;
        long paceMicros = 0;
        int producers = 1;
        List<String> transports = Transports.all();
        List<Integer> sizes = List.of(32, 1024);
        Path out = defaultOut();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--transports" -> transports = List.of(args[++i].split(","));
                case "--sizes" -> sizes = List.of(args[++i].split(",")).stream().map(Integer::parseInt).toList();
                case "--out" -> out = Path.of(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--pace" -> paceMicros = parsePace(args[++i]);
                case "--producers" -> producers = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: Bench [--quick] [--rounds N] [--transports SPEC,...] [--sizes N,...] [--out DIR]"
                            + " [--batch N] [--pace 200us] [--producers N]");
                    System.exit(2);
                }
            }
        }
        System.exit(run(quick, rounds, transports, sizes, out, batch, paceMicros, producers));
    }

    /** The most messages a batch may hold: the C ring's batch receive takes at most this many at once. */
    public static final int MAX_BATCH = 1024;

    /**
     * {@return {@code text} ("200us", "1ms", "150000ns", or a bare number of microseconds) in microseconds}
     *
     * @throws IllegalArgumentException if it is not a pace from 1 µs to 1 s
     */
    public static long parsePace(String text) {
        String t = text.trim();
        long micros;
        if (t.endsWith("us")) {
            micros = Long.parseLong(t.substring(0, t.length() - 2));
        } else if (t.endsWith("ms")) {
            micros = 1000 * Long.parseLong(t.substring(0, t.length() - 2));
        } else if (t.endsWith("ns")) {
            micros = Long.parseLong(t.substring(0, t.length() - 2)) / 1000;
        } else {
            micros = Long.parseLong(t);
        }
        if (micros < 1 || micros > 1_000_000) {
            throw new IllegalArgumentException("pace " + text + " is outside 1us..1000ms");
        }
        return micros;
    }

    /** {@return whether {@code spec} is a ring of many senders (MPSC, MPMC): the transports of {@code tput-producersN}} */
    static boolean manySenders(String spec) {
        return spec.matches("ring:(MPSC|MPMC):.*");
    }

    /** {@return where results go by default: benchmarks/target/bench under the project's root} */
    public static Path defaultOut() {
        return Path.of(System.getProperty("panama.ipc.root", "."), "benchmarks", "target", "bench");
    }

    /**
     * Runs the benchmark and writes its results. {@return 0 if every case ran, 1 otherwise}
     *
     * @param quick      fewer iterations (for a check that the harness works, not for figures)
     * @param rounds     how many times each case is measured (the median is reported); -1 for the
     *                   default: {@value #DEFAULT_ROUNDS}, or 1 when quick
     * @param transports transport specs, see {@link Transports#all()}
     * @param sizes      message sizes in bytes
     * @param out        where {@code results.json} and {@code results.txt} go
     */
    public static int run(boolean quick, int rounds, List<String> transports, List<Integer> sizes, Path out)
            throws Exception {
        return run(quick, rounds, transports, sizes, out, 1, 0, 1);
    }

    /**
     * Runs the benchmark as {@link #run(boolean, int, List, List, Path)}, with two more modes when
     * asked: {@code tput-batchN}, throughput with {@code batch} messages per send and up to as
     * many per receive (where the transport has batches; one at a time elsewhere), and
     * {@code rtt-paceNus}, round trips with the ping pausing {@code paceMicros} between them, so
     * that a blocking pong falls asleep before each message, and {@code tput-producersN}: the
     * aggregate throughput of {@code producers} JVMs sending into one channel (rings of many
     * senders only: MPSC, MPMC), the ping one of them; with both, {@code tput-producersN-batchM}:
     * the same with every producer sending batches. {@return 0 if every case ran, 1 otherwise}
     */
    public static int run(boolean quick, int rounds, List<String> transports, List<Integer> sizes, Path out,
                          int batch, long paceMicros, int producers) throws Exception {
        if (producers < 1 || producers > 8) {
            throw new IllegalArgumentException("producers " + producers + " is outside 1..8");
        }
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("batch " + batch + " is outside 1.." + MAX_BATCH);
        }
        if (paceMicros < 0 || paceMicros > 1_000_000) {
            throw new IllegalArgumentException("pace " + paceMicros + " us is outside 0..1000000");
        }
        Bench bench = new Bench(quick);
        bench.batch = batch;
        bench.paceMicros = paceMicros;
        bench.producers = producers;
        if (rounds != -1) {
            if (rounds < 1 || rounds > 100) {
                throw new IllegalArgumentException("rounds " + rounds + " is outside 1..100");
            }
            bench.rounds = rounds;
        }
        return bench.run(transports, sizes, out);
    }

    int run(List<String> transports, List<Integer> sizes, Path out) throws Exception {
        for (String spec : transports) {
            String problem = Transports.problem(spec);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        for (int size : sizes) {
            if (size < MIN_SIZE || size > MAX_SIZE) {
                throw new IllegalArgumentException("message size " + size + " is outside " + MIN_SIZE + ".." + MAX_SIZE
                        + ": a message holds its 8-byte number, and the rings take at most 64 KiB");
            }
        }
        Files.createDirectories(out);
        System.out.printf("panama-ipc cross-process benchmark%s: %d CPUs, %s; %s%n", quick ? " (quick)" : "",
                Runtime.getRuntime().availableProcessors(), Peers.cpuModel(),
                pin ? "ping pinned to CPU 0, pong to CPU 1" : "not pinned (no taskset or one CPU)");
        List<Result> results = new ArrayList<>();
        Map<String, List<Result>> byCase = new LinkedHashMap<>();
        int failures = 0;
        // a transport that cannot carry a size is left out of that size's cases, said once
        List<String> skipped = new ArrayList<>();
        int carried = 0;
        for (int size : sizes) {
            for (String spec : transports) {
                String reason = Transports.cannotCarry(spec, size);
                if (reason != null) {
                    String line = "skipped " + Transports.parse(spec).name() + " at " + size + " B: " + reason;
                    skipped.add(line);
                    System.out.println(line);
                } else {
                    carried++;
                }
            }
        }
        List<String> modes = new ArrayList<>(List.of("rtt", "tput"));
        if (paceMicros > 0) {
            modes.add("rtt-pace" + paceMicros + "us");
        }
        if (batch > 1) {
            modes.add("tput-batch" + batch);
        }
        if (producers > 1) {
            modes.add("tput-producers" + producers);
            if (batch > 1) {
                modes.add("tput-producers" + producers + "-batch" + batch);
            }
        }
        Progress progress = new Progress(transports.size() + rounds * modes.size() * carried);
        for (String spec : transports) {
            progress.starting(spec + " idle");
            try {
                Result idle = measureIdle(spec);
                results.add(idle);
                System.out.println(Report.line(idle));
            } catch (Exception e) {
                failures++;
                System.out.println("FAILED " + spec + " idle: " + oneLine(e));
            }
            progress.done();
        }
        // case by case, every transport in turn: the figures a ratio compares are taken seconds apart
        for (int round = 1; round <= rounds; round++) {
            if (rounds > 1) {
                System.out.printf("round %d of %d%n", round, rounds);
            }
            for (String mode : modes) {
                for (int size : sizes) {
                    for (String spec : transports) {
                        if (Transports.cannotCarry(spec, size) != null
                                || mode.startsWith("tput-producers") && !manySenders(spec)) {
                            continue;
                        }
                        progress.starting(spec + " " + mode + " " + size + " B");
                        try {
                            Result result = measure(spec, mode, size);
                            result.values().put("round", Integer.toString(round));
                            byCase.computeIfAbsent(spec + " " + mode + " " + size, k -> new ArrayList<>()).add(result);
                            System.out.println(Report.line(result));
                        } catch (Exception e) {
                            failures++;
                            System.out.println("FAILED " + spec + " " + mode + " " + size + ": " + oneLine(e));
                        }
                        progress.done();
                    }
                }
            }
        }
        for (List<Result> measured : byCase.values()) {
            results.add(median(measured));
        }
        String table = Report.table(results) + Report.skipped(skipped);
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("results.txt"), table);
        Files.writeString(out.resolve("results.json"), Report.json(results, skipped, Peers.cpuModel(), pin));
        String machine = Runtime.getRuntime().availableProcessors() + " CPUs, " + Peers.cpuModel() + ", Java "
                + System.getProperty("java.version") + (pin ? ", ping on CPU 0, pong on CPU 1" : ", not pinned")
                + (quick ? ", quick run" : "");
        try {
            Charts.write(results, out, machine);
            System.out.println("wrote " + out.resolve("results.json") + ", results.txt, latency.png and throughput.png");
        } catch (Exception | Error e) {
            // a machine without fonts cannot draw text; the figures are still in the files above
            System.out.println("wrote " + out.resolve("results.json") + " and results.txt; no charts: " + e);
        }
        return failures == 0 ? 0 : 1;
    }

    /**
     * {@return a failure in one line} A peer's exception arrives as its whole output (a stack trace):
     * the line that names the exception is kept, and where the full output went.
     */
    private static String oneLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        String[] lines = message.split("\n");
        for (String line : lines) {
            int at = line.indexOf("Exception");
            if (at >= 0 && !line.startsWith("\tat ")) {
                return line.trim();
            }
        }
        return lines[0].trim();
    }

    /**
     * Says before each case which it is, how many there are, and, once a case has taken its time,
     * about how long the rest will take: "[7/34, about 3 min left] ring:SPSC:spin rtt 32 B".
     */
    private static final class Progress {
        private final int total;
        private final long start = System.nanoTime();
        private int done;

        Progress(int total) {
            this.total = total;
        }

        void starting(String what) {
            String left = "";
            if (done > 0) {
                long perCase = (System.nanoTime() - start) / done;
                long seconds = perCase * (total - done) / 1_000_000_000L;
                left = seconds < 90 ? ", about " + Math.max(1, seconds) + " s left"
                        : ", about " + Math.round(seconds / 60.0) + " min left";
            }
            System.out.printf("[%d/%d%s] %s%n", done + 1, total, left, what);
        }

        void done() {
            done++;
        }
    }

    /**
     * {@return the round with the median key figure (round-trip p50, or throughput), with every
     * round's figure added as {@code rounds} ({@code ROUND:FIGURE,...}) and their spread,
     * (max - min) / median, as {@code spread}}
     */
    static Result median(List<Result> measured) {
        String key = measured.get(0).mode().startsWith("rtt") ? "p50" : "msgs_per_s";
        List<Result> sorted = new ArrayList<>(measured);
        sorted.sort(java.util.Comparator.comparingDouble(r -> r.value(key)));
        Result median = sorted.get(sorted.size() / 2);
        Map<String, String> values = new LinkedHashMap<>(median.values());
        StringBuilder each = new StringBuilder();
        for (Result r : measured) {
            each.append(each.isEmpty() ? "" : ",").append(r.values().getOrDefault("round", "1")).append(':')
                    .append(r.values().get(key));
        }
        double spread = (sorted.get(sorted.size() - 1).value(key) - sorted.get(0).value(key)) / median.value(key);
        values.put("rounds", each.toString());
        values.put("spread", String.format(Locale.ROOT, "%.3f", spread));
        return new Result(median.transport(), median.mode(), median.size(), values);
    }

    private Result measure(String spec, String mode, int size) throws Exception {
        Transport transport = Transports.parse(spec);
        String id = ProcessHandle.current().pid() + "-" + (++runs);
        boolean rtt = mode.startsWith("rtt");
        // warm-up is by time, and in a full run until the JIT is quiet (see BenchPeer, Warmup); rtt
        // measures a count of round trips, tput several iterations of a fixed time
        int warmupMillis = quick ? 200 : 1_000;
        int measure = rtt ? (quick ? 10_000 : 100_000) : (quick ? 100 : 300);
        if (rtt && paceMicros > 0 && !mode.equals("rtt")) {
            // paced: a round trip takes the pace too; keep the case to about the time of a steady one
            measure = (int) Math.max(1_000, Math.min(measure, 2_000_000L / paceMicros * (quick ? 1 : 5)));
        }
        int iterations = rtt ? 1 : (quick ? 3 : 5);
        Process pong = null;
        Process ping = null;
        Path pongLog = Files.createTempFile("pipc-bench-pong-", ".log");
        Path pingLog = Files.createTempFile("pipc-bench-ping-", ".log");
        String load = Peers.loadAverage();
        List<Process> helpers = new ArrayList<>();
        List<Path> helperLogs = new ArrayList<>();
        try {
            transport.setUp(id);
            List<String> peerArgs = List.of(spec, id, mode, Integer.toString(size), Integer.toString(warmupMillis),
                    Integer.toString(measure), Integer.toString(iterations));
            pong = start(transport, "1", "pong", peerArgs, pongLog);
            Peers.awaitLine(pong, "pong", pongLog, "READY", Duration.ofSeconds(60));
            if (mode.startsWith("tput-producers")) {
                // the other producers, on the ping's CPU, for longer than the ping sends
                // (a full run's warm-up lasts until the ping's JIT is quiet, up to Warmup.MAX_NANOS;
                // a producer also ends when the pong has gone, and is killed after the case)
                long millis = quick ? warmupMillis + (long) iterations * measure + 5_000 : 300_000;
                for (int k = 1; k < producers; k++) {
                    Path log = Files.createTempFile("pipc-bench-producer-", ".log");
                    helperLogs.add(log);
                    helpers.add(start(transport, "0", "producer", List.of(spec, id, Integer.toString(size),
                            Long.toString(millis), Integer.toString(BenchPeer.batchOf(mode))), log));
                }
            }
            ping = start(transport, "0", "ping", peerArgs, pingLog);
            if (!ping.waitFor(300, TimeUnit.SECONDS)) {
                throw new IOException("ping still running after 300 s: " + Files.readString(pingLog));
            }
            if (ping.exitValue() != 0) {
                throw new IOException("ping exited with " + ping.exitValue() + ": " + Files.readString(pingLog).trim()
                        + " / pong: " + Files.readString(pongLog).trim());
            }
            pong.waitFor(30, TimeUnit.SECONDS);
            Map<String, String> values = Peers.result(Files.readString(pingLog));
            values.put("load", load);
            String pongOutput = Files.readString(pongLog);
            int at = pongOutput.indexOf("READY cpus=");
            values.put("pong_cpus", at < 0 ? "?" : pongOutput.substring(at + 11).split("\\s")[0]);
            return new Result(transport.name(), mode, size, values);
        } finally {
            Peers.kill(ping);
            helpers.forEach(Peers::kill);
            Peers.kill(pong);
            for (Path log : helperLogs) {
                Files.deleteIfExists(log);
            }
            transport.tearDown(id);
            Files.deleteIfExists(pongLog);
            Files.deleteIfExists(pingLog);
        }
    }

    /**
     * The idle cost: the CPU a pong uses while it waits in receive with nothing arriving, over a
     * window of 5 s (2 s when quick), summed over all its threads from /proc (nanoseconds, from
     * schedstat).
     */
    private Result measureIdle(String spec) throws Exception {
        Transport transport = Transports.parse(spec);
        String id = ProcessHandle.current().pid() + "-" + (++runs);
        Process pong = null;
        Path pongLog = Files.createTempFile("pipc-bench-idle-", ".log");
        try {
            transport.setUp(id);
            pong = start(transport, "1", "pong", List.of(spec, id, "idle", "32", "0", "1", "1"), pongLog);
            Peers.awaitLine(pong, "pong", pongLog, "READY", Duration.ofSeconds(60));
            Thread.sleep(500); // past start-up, into the wait
            long window = TimeUnit.SECONDS.toNanos(quick ? 2 : 5);
            long cpuBefore = Peers.cpuNanos(pong.pid());
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(window));
            long cpu = Peers.cpuNanos(pong.pid()) - cpuBefore;
            long elapsed = System.nanoTime() - start;
            if (!pong.isAlive()) {
                throw new IOException("the idle pong exited: " + Files.readString(pongLog));
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put("cpu_percent", String.format(Locale.ROOT, "%.3f", 100.0 * cpu / elapsed));
            values.put("window_ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(elapsed)));
            return new Result(transport.name(), "idle", 0, values);
        } finally {
            Peers.kill(pong);
            transport.tearDown(id);
            Files.deleteIfExists(pongLog);
        }
    }

    private Process start(Transport transport, String cpu, String role, List<String> args, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (pin) {
            command.addAll(List.of("taskset", "-c", cpu));
        }
        if (transport.nativePeer() != null) {
            command.add(nativeProgram(transport.nativePeer()).toString());
            command.add(role);
        } else {
            List<String> flags = new ArrayList<>(transport.jvmFlags());
            flags.addAll(Warmup.flags(quick));
            command.addAll(Peers.jvm(flags, BenchPeer.class));
            command.add(role);
        }
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** {@return the C program {@code name} built by {@code native/}} */
    static Path nativeProgram(String name) throws IOException {
        String bin = System.getProperty("panama.ipc.native.bin");
        String root = System.getProperty("panama.ipc.root", ".");
        Path program = (bin != null ? Path.of(bin) : Path.of(root, "native", "target", "bin")).resolve(name);
        if (!Files.isExecutable(program)) {
            throw new IOException("C program " + program.toAbsolutePath() + " is missing: run `make -C native`");
        }
        return program;
    }





    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
