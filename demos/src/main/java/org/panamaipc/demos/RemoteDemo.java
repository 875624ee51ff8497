package org.panamaipc.demos;

import org.panamaipc.bridge.Bridge;
import org.panamaipc.bridge.BridgeConfig;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MaxLength;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Beyond one machine: a producer on "host A" sends jobs to a consumer on "host B" through a
 * mailbox, with the code it would have on one host. Each host is a JVM with its own
 * {@link Bridge} and its own embedded Aeron media driver; they talk over UDP on loopback.
 *
 * {@snippet lang=java :
 * // host B: the consumer and the real mailbox; its bridge delivers stream 1 into it
 * try (Mailbox<Job> jobs = Mailbox.create("/jobs", MailboxOptions.ring(), JOBS);
 *      Bridge bridge = Bridge.start(BridgeConfig.builder()
 *              .listen("aeron:udp?endpoint=hostB:40124").exportMailbox("/jobs", 1).build())) {
 *     Job job = jobs.receive();
 * }
 * // host A: its bridge presents hostB's /jobs here; the producer's code is the one-host code
 * try (Bridge bridge = Bridge.start(BridgeConfig.builder()
 *              .importMailbox("/jobs", "aeron:udp?endpoint=hostB:40124", 1, MailboxOptions.ring()).build());
 *      Mailbox<Job> jobs = Mailbox.open("/jobs", JOBS)) {
 *     jobs.send(new Job(1, "resize photo-1.jpg"));
 * }
 * }
 *
 * <p>On one machine both "hosts" share {@code /dev/shm}, so here the mailbox is called
 * {@code /pipc-demo-PID-jobs-b} on host B and its stand-in {@code /pipc-demo-PID-jobs-a} on host A;
 * on two machines both would be {@code /jobs}. This JVM starts both hosts, tells host A to stop once
 * host B has every job, and checks that each arrived once and in order.
 */
public final class RemoteDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "remote";

    static final int JOBS = 5_000;
    static final int STREAM = 1;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** A job. */
    record Job(int id, @MaxLength(24) String task) {
    }

    static final RecordCodec<Job> JOB_CODEC = Codec.ofRecord(Job.class);

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public RemoteDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "beyond one machine: a producer on host A, a consumer on host B, a mailbox between, carried by Aeron";
    }

    /** No argument: the whole demo; {@code host-a PORT NAME} or {@code host-b PORT NAME}: one host. */
    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        int exitCode;
        if (args.length == 0) {
            exitCode = new RemoteDemo().run(out, Redirect.INHERIT);
        } else if (args.length == 3 && args[0].equals("host-a")) {
            exitCode = hostA(channel(Integer.parseInt(args[1])), args[2], out);
        } else if (args.length == 3 && args[0].equals("host-b")) {
            exitCode = hostB(channel(Integer.parseInt(args[1])), args[2], out);
        } else {
            System.err.println("usage: RemoteDemo [host-a|host-b PORT NAME]");
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        long pid = ProcessHandle.current().pid();
        String nameA = "/pipc-demo-" + pid + "-jobs-a";
        String nameB = "/pipc-demo-" + pid + "-jobs-b";
        Process hostA = null;
        Process hostB = null;
        ChildOutputs outputs = new ChildOutputs(childOutput);
        String failure = null;
        int port = 0;
        try {
            port = freePort();
            out.println("Two \"hosts\" on this machine, each a JVM with its own bridge and Aeron media driver.");
            out.println("Host B holds the mailbox " + nameB + " and its consumer; its bridge listens on " + channel(port) + ".");
            out.println("Host A's bridge presents that mailbox as " + nameA + ", where the producer sends " + JOBS
                    + " jobs with the");
            out.println("same Mailbox.send it would use on one host. The bridges carry them over UDP.");
            out.println();
            out.flush();
            hostB = start("host-b", port, nameB, outputs.of(2));
            hostA = start("host-a", port, nameA, outputs.of(1));
            if (!ChildJvm.stop(hostB, TIMEOUT)) {
                failure = "host B did not receive every job within " + TIMEOUT.toSeconds() + " s; killed it";
            } else if (hostB.exitValue() != 0) {
                failure = "host B reports a problem (exit code " + hostB.exitValue() + ")";
            }
            hostA.getOutputStream().close();           // host A may stop now: host B has every job
            if (!ChildJvm.stop(hostA, Duration.ofSeconds(20))) {
                failure = failure != null ? failure : "host A did not stop; killed it";
            } else if (hostA.exitValue() != 0 && failure == null) {
                failure = "host A reports a problem (exit code " + hostA.exitValue() + ")";
            }
        } catch (IOException e) {
            failure = e.getMessage();
        } finally {
            ChildJvm.stop(hostA, Duration.ZERO);
            ChildJvm.stop(hostB, Duration.ZERO);
            Mailbox.unlinkIfExists(nameA);
            Mailbox.unlinkIfExists(nameB);
            removeAeronDirectories(hostA);
            removeAeronDirectories(hostB);
            outputs.copy(2, "host", out);
        }
        out.println();
        if (failure == null) {
            out.printf("Check: %d jobs went from host A (pid %d) to host B (pid %d) through two bridges over %s, "
                            + "each received once and in order; mailboxes and Aeron directories removed.%n",
                    JOBS, hostA.pid(), hostB.pid(), channel(port));
            out.println("demos/src/main/java/org/panamaipc/demos/RemoteDemo.java reads as a tutorial.");
            out.flush();
            return 0;
        }
        out.println("Check FAILED: " + failure);
        out.flush();
        return 1;
    }

    /** Host A: the producer, sending to the stand-in its bridge forwards; stops when its input ends. */
    private static int hostA(String remote, String name, PrintWriter out) throws IOException, InterruptedException {
        DemoSupport.Side me = new DemoSupport.Side("host A producer", out);
        try (Bridge bridge = Bridge.start(BridgeConfig.builder()
                .importMailbox(name, remote, STREAM, MailboxOptions.ring().capacity(1024).maxMessageLength(64)).build());
             Mailbox<Job> jobs = Mailbox.open(name, JOB_CODEC)) {
            me.say("bridge up (%s); sending %d jobs to %s", bridge, JOBS, name);
            long start = System.nanoTime();
            for (int id = 1; id <= JOBS; id++) {
                jobs.send(new Job(id, "render page " + id));      // the one-host code: FULL waits, as locally
                if (id % 1_000 == 0) {
                    me.say("sent %d", id);
                }
            }
            me.say("sent all %d jobs in %s; bridge: %s", JOBS, DemoSupport.elapsed(System.nanoTime() - start), bridge.counters());
            while (System.in.read() >= 0) {
                // until the demo closes our input: host B has every job
            }
        }
        return 0;
    }

    /** Host B: the consumer and the real mailbox, which its bridge delivers into. */
    private static int hostB(String listen, String name, PrintWriter out) throws InterruptedException {
        DemoSupport.Side me = new DemoSupport.Side("host B consumer", out);
        try (Mailbox<Job> jobs = Mailbox.create(name, MailboxOptions.ring().capacity(1024), JOB_CODEC);
             Bridge bridge = Bridge.start(BridgeConfig.builder().listen(listen).exportMailbox(name, STREAM).build())) {
            me.say("mailbox %s created; bridge listening (%s)", name, bridge);
            for (int expected = 1; expected <= JOBS; expected++) {
                Job job = jobs.receive(TIMEOUT);
                if (job == null) {
                    me.say("no job for %d s after job %d; giving up", TIMEOUT.toSeconds(), expected - 1);
                    return 1;
                }
                if (job.id() != expected) {
                    me.say("job %d came where job %d was due", job.id(), expected);
                    return 1;
                }
                if (expected == 1 || expected % 1_000 == 0) {
                    me.say("received job %d '%s'", job.id(), job.task());
                }
            }
            Job extra = jobs.receive(Duration.ofMillis(200));
            if (extra != null) {
                me.say("job %d arrived a second time", extra.id());
                return 1;
            }
            me.say("all %d jobs received once and in order; bridge: %s", JOBS, bridge.counters());
            jobs.unlink();
        }
        return 0;
    }

    private static Process start(String role, int port, String name, Redirect output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaExecutable());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.addAll(Bridge.JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RemoteDemo.class.getName());
        command.add(role);
        command.add(Integer.toString(port));
        command.add(name);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(Redirect.PIPE);
        if (output.type() == Redirect.Type.INHERIT) {
            builder.redirectOutput(Redirect.INHERIT).redirectError(Redirect.INHERIT);
        } else {
            builder.redirectErrorStream(true).redirectOutput(output);
        }
        return builder.start();
    }

    /** Removes the embedded drivers' directories a killed host may have left ({@code pipc-aeron-PID-*}). */
    private static void removeAeronDirectories(Process host) {
        if (host == null) {
            return;
        }
        for (String base : List.of("/dev/shm", System.getProperty("java.io.tmpdir"))) {
            File[] left = new File(base).listFiles((dir, file) -> file.startsWith("pipc-aeron-" + host.pid() + "-"));
            for (File dir : left == null ? new File[0] : left) {
                try (Stream<Path> walk = Files.walk(dir.toPath())) {
                    for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                } catch (IOException e) {
                    // best effort: the name shows in ci/test's check
                }
            }
        }
    }

    static String channel(int port) {
        return "aeron:udp?endpoint=localhost:" + port;
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
