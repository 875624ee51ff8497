package org.panamaipc.bench;

import org.panamaipc.rpc.RpcServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The request/reply benchmark of {@code ipc bench}: an {@link RpcServer} and its clients against
 * the same request and reply over a Unix-domain socket, and gRPC over a Unix-domain socket
 * ({@link GrpcBenchPeer}), each with 1 and 4 client JVMs calling one server JVM back to back (see
 * {@link RpcBenchPeer}); RPC twice, with its default wait (spin 20 µs,
 * then sleep on a futex) and with one that sleeps at once. Reports the round trip of a call (p50, p99)
 * and the calls per second of all clients together, and the two ratios of issue 13's targets: the
 * RPC round trip over the socket's with one client, and RPC calls per second over the socket's with
 * four. The cases run round by round, alternating the kinds, so that the figures a ratio compares
 * are taken seconds apart; each figure is the median of the rounds. Nothing is pinned: five JVMs
 * share the machine's CPUs.
 */
public final class RpcBench {

    static final List<String> KINDS = List.of("rpc", "rpc-nospin", "unix-socket", "grpc");
    static final List<Integer> CLIENTS = List.of(1, 4);

    /**
     * One case's figures: p50 and p99 round trip in ns (the median of the clients'), calls per second
     * of all clients and of the slowest, and the longest warm-up of a client in ms.
     */
    record Figures(String kind, int clients, double p50, double p99, double callsPerSecond, double slowestClient,
                   double warmupMillis) {
    }

    private RpcBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        System.exit(run(quick, Bench.defaultOut()));
    }

    /** Runs every case and writes {@code rpc.txt} and {@code rpc.json} to {@code out}. {@return 0 if every case ran} */
    public static int run(boolean quick, Path out) throws Exception {
        Files.createDirectories(out);
        int rounds = quick ? 1 : Bench.DEFAULT_ROUNDS;
        // at least 3 s, and in a full run until each client's JIT is quiet (Warmup): on the shared
        // 2-CPU VM, C2 was still compiling the FFM paths (and gRPC's) 5 to 10 s in
        long warmupMillis = quick ? 500 : 3000;
        long measureMillis = quick ? 1000 : 3000;
        System.out.printf("panama-ipc RPC benchmark%s: %d CPUs, %s, load %s; 32-byte requests and responses,"
                        + " %d round(s) of %d ms after %d ms of warm-up%s, not pinned%n", quick ? " (quick)" : "",
                Runtime.getRuntime().availableProcessors(), Peers.cpuModel(), Peers.loadAverage(), rounds,
                measureMillis, warmupMillis, quick ? "" : " or more, until each client's JIT is quiet for 1 s");
        Map<String, List<Figures>> byCase = new LinkedHashMap<>();
        int failures = 0;
        for (int round = 1; round <= rounds; round++) {
            for (int clients : CLIENTS) {
                for (String kind : KINDS) {
                    try {
                        Figures figures = measure(kind, clients, warmupMillis, measureMillis, !quick);
                        byCase.computeIfAbsent(kind + " " + clients, k -> new ArrayList<>()).add(figures);
                        System.out.printf(Locale.ROOT, "round %d: %-11s %d client(s): p50 %.2f µs, p99 %.2f µs, %.0f calls/s"
                                        + " (slowest client %.0f; warm-up %.0f ms)%n", round, kind, clients,
                                figures.p50() / 1000, figures.p99() / 1000, figures.callsPerSecond(),
                                figures.slowestClient(), figures.warmupMillis());
                    } catch (Exception e) {
                        failures++;
                        System.out.println("FAILED rpc bench " + kind + " " + clients + " client(s): " + e);
                    }
                }
            }
        }
        Map<String, Figures> median = new HashMap<>();
        byCase.forEach((key, list) -> median.put(key, median(list)));
        String table = table(median) + "\nload average after the run: " + Peers.loadAverage() + "\n";
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("rpc.txt"), table);
        Files.writeString(out.resolve("rpc.json"), json(median, quick));
        System.out.println("wrote " + out.resolve("rpc.txt") + " and rpc.json");
        return failures == 0 ? 0 : 1;
    }

    static Figures median(List<Figures> list) {
        return new Figures(list.get(0).kind(), list.get(0).clients(),
                middle(list.stream().mapToDouble(Figures::p50).sorted().toArray()),
                middle(list.stream().mapToDouble(Figures::p99).sorted().toArray()),
                middle(list.stream().mapToDouble(Figures::callsPerSecond).sorted().toArray()),
                middle(list.stream().mapToDouble(Figures::slowestClient).sorted().toArray()),
                list.stream().mapToDouble(Figures::warmupMillis).max().orElse(0));
    }

    private static double middle(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    static String table(Map<String, Figures> median) {
        StringBuilder text = new StringBuilder("request/reply between JVMs (32-byte request and response)\n");
        text.append(String.format(Locale.ROOT, "%-12s %8s %12s %12s %14s %14s %12s%n", "kind", "clients", "p50 µs",
                "p99 µs", "calls/s", "slowest client", "warm-up ms"));
        for (int clients : CLIENTS) {
            for (String kind : KINDS) {
                Figures f = median.get(kind + " " + clients);
                if (f != null) {
                    text.append(String.format(Locale.ROOT, "%-12s %8d %12.2f %12.2f %14.0f %14.0f %12.0f%n", kind,
                            clients, f.p50() / 1000, f.p99() / 1000, f.callsPerSecond(), f.slowestClient(),
                            f.warmupMillis()));
                }
            }
        }
        for (String kind : List.of("rpc", "rpc-nospin")) {
            ratios(text, median, kind, "unix-socket", true);
            ratios(text, median, kind, "grpc", false);
        }
        ratios(text, median, "grpc", "unix-socket", false);
        return text.toString();
    }

    /** Appends the round trip with one client and the calls per second with four, {@code kind} over {@code base}. */
    private static void ratios(StringBuilder text, Map<String, Figures> median, String kind, String base, boolean targets) {
        Figures one = median.get(kind + " 1");
        Figures four = median.get(kind + " 4");
        Figures baseOne = median.get(base + " 1");
        Figures baseFour = median.get(base + " 4");
        if (one != null && baseOne != null) {
            text.append(String.format(Locale.ROOT, "round trip, 1 client, %s / %s: p50 %.3fx, p99 %.3fx%s%n", kind, base,
                    one.p50() / baseOne.p50(), one.p99() / baseOne.p99(), targets ? " (target: at most 0.05x)" : ""));
        }
        if (four != null && baseFour != null) {
            text.append(String.format(Locale.ROOT, "calls/s, 4 clients, %s / %s: %.2fx%s; p50 round trip %.3fx%n", kind, base,
                    four.callsPerSecond() / baseFour.callsPerSecond(), targets ? " (target: at least 5x)" : "",
                    four.p50() / baseFour.p50()));
        }
    }

    private static String json(Map<String, Figures> median, boolean quick) {
        StringBuilder json = new StringBuilder("{\"quick\": " + quick + ", \"cpus\": " + Runtime.getRuntime().availableProcessors()
                + ", \"cpu\": \"" + Peers.cpuModel().replace("\"", "'") + "\", \"cases\": [");
        String separator = "";
        for (Figures f : median.values()) {
            json.append(separator).append(String.format(Locale.ROOT,
                    "{\"kind\": \"%s\", \"clients\": %d, \"p50_ns\": %.0f, \"p99_ns\": %.0f, \"calls_per_second\": %.0f,"
                            + " \"slowest_client_calls_per_second\": %.0f, \"warmup_ms\": %.0f}",
                    f.kind(), f.clients(), f.p50(), f.p99(), f.callsPerSecond(), f.slowestClient(), f.warmupMillis()));
            separator = ", ";
        }
        return json.append("]}\n").toString();
    }

    /** Runs one server JVM and {@code clients} client JVMs; {@return their figures} */
    static Figures measure(String kind, int clients, long warmupMillis, long measureMillis, boolean untilJitQuiet)
            throws Exception {
        String id = ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
        Path logs = Files.createTempDirectory("pipc-rpc-bench");
        Process server = start(logs.resolve("server.log"), untilJitQuiet, "server", kind, id, Integer.toString(clients));
        List<Process> callers = new ArrayList<>();
        try {
            Peers.awaitLine(server, "the server", logs.resolve("server.log"), "READY", Duration.ofSeconds(60));
            for (int i = 0; i < clients; i++) {
                callers.add(start(logs.resolve("client" + i + ".log"), untilJitQuiet, "client", kind, id,
                        Long.toString(warmupMillis), Long.toString(measureMillis), logs.toString(),
                        Integer.toString(clients), Integer.toString(i)));
            }
            List<Map<String, Double>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Process caller = callers.get(i);
                Path log = logs.resolve("client" + i + ".log");
                if (!caller.waitFor(120, TimeUnit.SECONDS) || caller.exitValue() != 0) {
                    throw new IOException("client " + i + " failed: " + Files.readString(log).strip());
                }
                results.add(numbers(Peers.result(Files.readString(log))));
            }
            double[] p50 = results.stream().mapToDouble(r -> r.get("p50")).sorted().toArray();
            double[] p99 = results.stream().mapToDouble(r -> r.get("p99")).sorted().toArray();
            double calls = results.stream().mapToDouble(r -> r.get("callsPerSecond")).sum();
            double warmup = results.stream().mapToDouble(r -> r.getOrDefault("warmupMillis", -1.0)).max().orElse(-1);
            double slowest = results.stream().mapToDouble(r -> r.get("callsPerSecond")).min().orElse(0);
            return new Figures(kind, clients, middle(p50), middle(p99), calls, slowest, warmup);
        } finally {
            callers.forEach(Process::destroyForcibly);
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
            RpcServer.unlinkIfExists(RpcBenchPeer.serverName(id));
            Files.deleteIfExists(RpcBenchPeer.socketPath(id));
            try (var files = Files.list(logs)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(logs);
        }
    }

    private static Map<String, Double> numbers(Map<String, String> result) {
        Map<String, Double> values = new HashMap<>();
        result.forEach((key, value) -> values.put(key, Double.parseDouble(value)));
        return values;
    }

    private static Process start(Path log, boolean untilJitQuiet, String... args) throws IOException {
        List<String> flags = new ArrayList<>(Warmup.flags(!untilJitQuiet));
        flags.add("-Drpc.workers=" + System.getProperty("rpc.workers", "0"));
        if (System.getProperty("rpc.spin") != null) {
            flags.add("-Drpc.spin=" + System.getProperty("rpc.spin"));
        }
        List<String> command = Peers.jvm(flags, RpcBenchPeer.class);
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

}
