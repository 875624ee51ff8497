package org.panamaipc.cli;

import org.panamaipc.bridge.Bridge;
import org.panamaipc.bridge.BridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ipc bridge}: runs a {@link Bridge}, which carries mailboxes and ports between hosts over
 * Aeron, until interrupted (or for {@code --duration}). Its configuration comes from a file
 * ({@code --config}) or from options that take the file's lines: {@code --listen CHANNEL},
 * {@code --export 'mailbox /jobs 10'}, {@code --import 'port /printer aeron:udp?endpoint=hostB:40124 12'},
 * {@code --driver DIR}, {@code --idle backoff}.
 */
@Command(name = "bridge",
        description = {"Carries mailboxes and ports between hosts over Aeron (UDP), with its own media driver",
                "or an external one. Local senders and receivers keep their one-host code.",
                "Example, on host B:  ipc bridge --listen aeron:udp?endpoint=0.0.0.0:40124 --export 'mailbox /jobs 10'",
                "         on host A:  ipc bridge --import 'mailbox /jobs aeron:udp?endpoint=hostB:40124 10'"},
        mixinStandardHelpOptions = true)
public final class BridgeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the configuration file: one directive a line (listen, driver, idle, export, import)")
    private Path config;

    @Option(names = "--listen", paramLabel = "CHANNEL",
            description = "the channel this bridge receives on, aeron:udp?endpoint=HOST:PORT")
    private String listen;

    @Option(names = "--export", paramLabel = "'KIND NAME STREAM'",
            description = "deliver stream STREAM into the local mailbox or port NAME (KIND: mailbox, port); repeatable")
    private List<String> exports = new ArrayList<>();

    @Option(names = "--import", paramLabel = "'KIND NAME CHANNEL STREAM [capacity=N] [max-length=N]'",
            description = "present the remote NAME (at CHANNEL, STREAM) here as a local mailbox or port; repeatable")
    private List<String> imports = new ArrayList<>();

    @Option(names = "--driver", paramLabel = "DIR",
            description = "the Aeron directory of a running media driver (default: an embedded driver of its own)")
    private Path driver;

    @Option(names = "--idle", paramLabel = "STRATEGY", description = "backoff (default), yield or spin")
    private String idle;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "stop after this long, such as PT30S (default: run until interrupted)")
    private Duration duration;

    @Option(names = "--report", paramLabel = "DURATION", description = "print the counters this often, such as PT5S")
    private Duration report;

    /** Created by picocli. */
    public BridgeCommand() {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        String where = "command line";
        if (config != null) {
            lines.addAll(Files.readAllLines(config));
            where = config.toString();
        }
        if (listen != null) {
            lines.add("listen " + listen);
        }
        if (driver != null) {
            lines.add("driver " + driver);
        }
        if (idle != null) {
            lines.add("idle " + idle);
        }
        exports.forEach(export -> lines.add("export " + export));
        imports.forEach(spec -> lines.add("import " + spec));
        BridgeConfig parsed;
        try {
            parsed = BridgeConfig.parse(lines, where);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (parsed.exports().isEmpty() && parsed.imports().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "nothing to carry: give --export, --import or --config");
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        try (Bridge bridge = Bridge.start(parsed)) {
            Thread hook = new Thread(() -> {
                stop.countDown();
                bridge.close();
            }, "ipc-bridge-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("ipc bridge: " + bridge + " running" + (duration != null ? " for " + duration : "; Ctrl-C stops it"));
            parsed.exports().forEach(e -> out.println("  export " + e.kind().name().toLowerCase() + " " + e.name()
                    + " <- stream " + e.streamId() + " on " + parsed.listen()));
            parsed.imports().forEach(i -> out.println("  import " + i.kind().name().toLowerCase() + " " + i.name()
                    + " -> stream " + i.streamId() + " on " + i.channel()));
            out.flush();
            long end = duration != null ? System.nanoTime() + duration.toNanos() : Long.MAX_VALUE;
            long step = report != null ? Math.max(1, report.toMillis()) : 1000;
            while (System.nanoTime() - end < 0 && !stop.await(step, TimeUnit.MILLISECONDS)) {
                if (bridge.failure() != null) {
                    throw new IllegalStateException("the bridge stopped: " + bridge.failure(), bridge.failure());
                }
                if (report != null) {
                    out.println("ipc bridge: " + bridge.counters());
                    out.flush();
                }
            }
            out.println("ipc bridge: stopped; " + bridge.counters());
            out.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
        return 0;
    }
}
