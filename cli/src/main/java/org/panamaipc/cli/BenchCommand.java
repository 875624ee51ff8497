package org.panamaipc.cli;

import org.panamaipc.bench.Bench;
import org.panamaipc.bench.BroadcastBench;
import org.panamaipc.bench.RpcBench;
import org.panamaipc.bench.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ipc bench}: the cross-process benchmark. Starts a ping and a pong JVM per transport, size
 * and mode, pinned to different CPUs where {@code taskset} allows, and prints a table of round-trip
 * percentiles and one-way throughput with ratios, written also as JSON. See
 * {@code benchmarks/README.md} for the method.
 */
@Command(name = "bench",
        description = {"Measures latency and throughput between two JVMs, for every transport.",
                "Close other programs first: the peers spin on both CPUs."},
        mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "a short run that proves the harness works; its figures are rough")
    private boolean quick;

    @Option(names = "--transports", split = ",", paramLabel = "SPEC",
            description = "transports to measure (default: all): ring:SPSC:spin, ring:MPSC:blocking, unix-socket, ...")
    private List<String> transports;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES",
            description = "message sizes, 8 to 65536 (default: 32,1024; 32 with --quick)")
    private List<Integer> sizes;

    @Option(names = "--rounds", paramLabel = "N",
            description = "measure every case N times, round by round, and report the median (default: "
                    + Bench.DEFAULT_ROUNDS + "; 1 with --quick)")
    private Integer rounds;

    @Option(names = "--rpc", description = "only the request/reply benchmark: RPC against a Unix-domain socket and gRPC over one, 1 and 4 clients"
            + " (a full run without --transports ends with it)")
    private boolean rpc;

    @Option(names = "--broadcast", description = "only the broadcast fan-out benchmark: one publisher JVM and 1, 2 and 4"
            + " subscriber JVMs, under BLOCK and LOSSY (a full run without --transports ends with it)")
    private boolean broadcast;

    @Option(names = "--out", paramLabel = "DIR",
            description = "where results.json, results.txt and the charts go (default: benchmarks/target/bench)")
    private Path out;

    @Option(names = "--batch", paramLabel = "N",
            description = "also measure throughput with N messages per send and up to N per receive"
                    + " (tput-batchN; transports without batches send one at a time), 2 to " + Bench.MAX_BATCH)
    private Integer batch;

    @Option(names = "--pace", paramLabel = "TIME",
            description = "also measure round trips with the ping pausing TIME (such as 200us) before each,"
                    + " so that a blocking receiver is asleep when the message comes (rtt-paceNus)")
    private String pace;

    @Option(names = "--producers", paramLabel = "N",
            description = "also measure the throughput of N producer JVMs into one ring (tput-producersN;"
                    + " ring:MPSC and ring:MPMC transports only), 2 to 8")
    private Integer producers;

    /** Created by picocli. */
    public BenchCommand() {
    }

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Integer> chosen = sizes != null ? sizes : quick ? List.of(32) : List.of(32, 1024);
        for (int size : chosen) {
            if (size < Bench.MIN_SIZE || size > Bench.MAX_SIZE) {
                throw new ParameterException(spec.commandLine(), "--sizes: " + size + " is outside " + Bench.MIN_SIZE
                        + ".." + Bench.MAX_SIZE + " (a message holds its 8-byte number; the rings take at most 64 KiB)");
            }
        }
        for (String transport : transports != null ? transports : List.<String>of()) {
            String problem = Transports.problem(transport);
            if (problem != null) {
                throw new ParameterException(spec.commandLine(), "--transports: " + problem);
            }
        }
        if (rounds != null && (rounds < 1 || rounds > 100)) {
            throw new ParameterException(spec.commandLine(), "--rounds: " + rounds + " is outside 1..100");
        }
        if (batch != null && (batch < 2 || batch > Bench.MAX_BATCH)) {
            throw new ParameterException(spec.commandLine(), "--batch: " + batch + " is outside 2.." + Bench.MAX_BATCH);
        }
        long paceMicros = 0;
        if (pace != null) {
            try {
                paceMicros = Bench.parsePace(pace);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--pace: " + pace + " is not a time from 1us to 1000ms"
                        + " (such as 200us or 1ms)");
            }
        }
        if (producers != null && (producers < 2 || producers > 8)) {
            throw new ParameterException(spec.commandLine(), "--producers: " + producers + " is outside 2..8");
        }
        Path where = out != null ? out : Bench.defaultOut();
        if (rpc || broadcast) {
            int status = rpc ? RpcBench.run(quick, where) : 0;
            return Math.max(status, broadcast ? BroadcastBench.run(quick, where) : 0);
        }
        int status = Bench.run(quick, rounds != null ? rounds : -1, transports != null ? transports : Transports.all(), chosen,
                where, batch != null ? batch : 1, paceMicros, producers != null ? producers : 1);
        if (transports == null && batch == null && pace == null && producers == null) {
            System.out.println();
            status = Math.max(status, RpcBench.run(quick, where));
            System.out.println();
            status = Math.max(status, BroadcastBench.run(quick, where));
        }
        return status;
    }
}
