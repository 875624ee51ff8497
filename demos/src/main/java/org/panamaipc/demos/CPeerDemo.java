package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHeader;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.shm.SharedMemory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A C program and a JVM exchange messages through ring channels: the same bytes in shared memory,
 * read and written by two languages. The C side is {@code native/src/ring_peer.c}, built on
 * {@code native/include/pipc_ring_ops.h}, the C mirror of the layout {@link RingChannel} uses (a
 * test holds every offset equal); there is no JNI and no socket between them.
 *
 * <ol>
 * <li><b>C to Java.</b> This JVM creates a ring, attaches a receiver, and starts
 *     {@code ring_peer send NAME 200 SEED --blocking}. The C sender writes 200 messages of a
 *     pattern both sides can compute (below); this JVM checks the length, the type, the sequence
 *     number and every byte of each.</li>
 * <li><b>Java to C.</b> This JVM creates a second ring, starts
 *     {@code ring_peer recv NAME 200 SEED --blocking}, and sends it 200 messages of the same
 *     pattern; the C receiver checks them byte by byte and exits with 0 only if all were right.</li>
 * </ol>
 *
 * <p>The pattern, message number {@code seq} (the sender's sequence number, from 1) with seed
 * {@code S}:
 * <pre>
 *   length = ((seq * 0x9E3779B97F4A7C15 + S) >>> 40) mod (min(1000, max message length) + 1)
 *   type   = (seq + S) mod 1000 + 1
 *   byte i = (seq * 31 + S + i) mod 256
 * </pre>
 *
 * <p>The C program's lines are shown as they come, labelled {@code [c-peer pid N]}. Both rings
 * are removed at the end, whatever happened.
 */
public final class CPeerDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "c-peer";

    /** Messages each way. */
    static final int MESSAGES = 200;

    private static final long SEED = 7;
    private static final long CAPACITY = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String PROGRAM = "ring_peer";

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public CPeerDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "a C program (native/src/ring_peer.c) and a JVM exchange " + MESSAGES
                + " messages each way through ring channels";
    }

    /** Runs the demo from the command line; exits with its exit code. */
    public static void main(String[] args) throws InterruptedException {
        System.exit(new CPeerDemo().run(new PrintWriter(System.out, true), Redirect.INHERIT));
    }

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        String prefix = "/pipc-demo-" + ProcessHandle.current().pid();
        String toJava = prefix + "-c2java";
        String toC = prefix + "-java2c";
        DemoSupport.Side java = new DemoSupport.Side("java", out);
        out.println("A C program and this JVM share ring channels in /dev/shm: the C side is native/src/ring_peer.c,");
        out.println("written on native/include/pipc_ring_ops.h, the same layout as the Java RingChannel. Each side");
        out.println("sends " + MESSAGES + " messages of a pattern both can compute, and the other checks every byte.");
        out.println();
        out.flush();

        Thread unlinkOnExit = new Thread(() -> {
            SharedMemory.unlinkIfExists(toJava);
            SharedMemory.unlinkIfExists(toC);
        });
        Runtime.getRuntime().addShutdownHook(unlinkOnExit);
        String failure = null;
        int received = 0;
        int sent = 0;
        try {
            Path program = program();
            received = fromC(toJava, program, java, out);
            sent = toC(toC, program, java, out);
        } catch (DemoFailure | IpcException | IOException | IllegalStateException e) {
            failure = e.getMessage();
        } finally {
            SharedMemory.unlinkIfExists(toJava);
            SharedMemory.unlinkIfExists(toC);
            DemoSupport.removeShutdownHook(unlinkOnExit);
        }
        out.println();
        if (failure == null) {
            out.printf("Check: %d messages from C to Java and %d from Java to C, each byte as the other side "
                    + "computed it; both rings are removed.%n", received, sent);
            out.println("Next: demos/src/main/java/org/panamaipc/demos/CPeerDemo.java, and native/include/pipc_ring.h "
                    + "for the layout in C.");
            out.flush();
            return 0;
        }
        out.printf("Check FAILED after %d messages from C and %d to C: %s%n", received, sent, failure);
        out.flush();
        return 1;
    }

    /** C sends, Java receives and checks. {@return how many arrived right} */
    private static int fromC(String name, Path program, DemoSupport.Side java, PrintWriter out)
            throws IOException, InterruptedException {
        try (RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(CAPACITY));
             Receiver receiver = ring.receiver(WaitStrategy.blocking(), true);   // told CLOSED once C has gone
             Arena arena = Arena.ofConfined()) {
            java.say("created ring %s (%d bytes of records) and attached a receiver; starting the C sender", name,
                    ring.capacity());
            int limit = Math.min(1000, ring.maxMessageLength());
            MemorySegment buffer = arena.allocate(ring.maxMessageLength());
            try (CProcess c = CProcess.start(program, out, "send", name, Integer.toString(MESSAGES), Long.toString(SEED),
                    "--blocking")) {
                int count = 0;
                while (true) {
                    int length = receiver.receive(buffer, 0, TIMEOUT);
                    if (length == Receiver.CLOSED) {
                        break; // the C sender has detached and everything it sent is read
                    }
                    if (length == Receiver.EMPTY) {
                        throw new DemoFailure("nothing from the C sender for " + TIMEOUT.toSeconds() + " s");
                    }
                    MessageHeader header = receiver.lastHeader();
                    long seq = header.sequence();
                    String problem = check(buffer, length, header.type(), seq, limit);
                    if (problem != null) {
                        throw new DemoFailure("message " + seq + " from C: " + problem);
                    }
                    count++;
                    if (count <= 3 || count % 50 == 0) {
                        java.say("received message %d from C: type %d, %d bytes, every byte as expected", seq,
                                header.type(), length);
                    }
                }
                c.awaitSuccess();
                if (count != MESSAGES) {
                    throw new DemoFailure("the C sender has gone after " + count + " of " + MESSAGES + " messages");
                }
                java.say("all %d messages from C checked; the C sender has detached", count);
                return count;
            }
        }
    }

    /** Java sends, C receives and checks. {@return how many C received right} */
    private static int toC(String name, Path program, DemoSupport.Side java, PrintWriter out)
            throws IOException, InterruptedException {
        try (RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(CAPACITY))) {
            java.say("created ring %s; starting the C receiver, then sending", name);
            int limit = Math.min(1000, ring.maxMessageLength());
            try (CProcess c = CProcess.start(program, out, "recv", name, Integer.toString(MESSAGES), Long.toString(SEED),
                    "--blocking")) {
                try (Sender sender = ring.sender(WaitStrategy.blocking())) {
                    for (long seq = 1; seq <= MESSAGES; seq++) {
                        // blocks while the ring is full, also before the C receiver has attached
                        long sequence = sender.send(type(seq), pattern(seq, limit), TIMEOUT);
                        if (sequence == Sender.FULL || sequence == Sender.CLOSED) {
                            throw new DemoFailure("the C receiver took nothing for " + TIMEOUT.toSeconds() + " s");
                        }
                        if (sequence != seq) {
                            throw new DemoFailure("the ring numbered message " + seq + " as " + sequence);
                        }
                        if (seq <= 3 || seq % 50 == 0) {
                            java.say("sent message %d to C: type %d, %d bytes", seq, type(seq), length(seq, limit));
                        }
                    }
                }
                java.say("sent all %d; closed the sender, so the C receiver knows the stream is complete", MESSAGES);
                c.awaitSuccess();
                return MESSAGES;
            }
        }
    }

    // ---------------------------------------------------------------------------------- the pattern

    static int length(long seq, int limit) {
        return (int) (((seq * 0x9E3779B97F4A7C15L + SEED) >>> 40) % (limit + 1));
    }

    static int type(long seq) {
        return (int) ((seq + SEED) % 1000) + 1;
    }

    static byte at(long seq, int i) {
        return (byte) (seq * 31 + SEED + i);
    }

    static byte[] pattern(long seq, int limit) {
        byte[] bytes = new byte[length(seq, limit)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = at(seq, i);
        }
        return bytes;
    }

    /** {@return null if message {@code seq} is the pattern's, else what differs} */
    private static String check(MemorySegment buffer, int length, int type, long seq, int limit) {
        if (length != length(seq, limit)) {
            return "length " + length + ", expected " + length(seq, limit);
        }
        if (type != type(seq)) {
            return "type " + type + ", expected " + type(seq);
        }
        for (int i = 0; i < length; i++) {
            if (buffer.get(ValueLayout.JAVA_BYTE, i) != at(seq, i)) {
                return "byte " + i + " differs";
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------- the C side

    /** {@return the C program, built by {@code make -C native} into {@code native/target/bin}} */
    static Path program() {
        String bin = System.getProperty("panama.ipc.native.bin");
        Path dir = bin != null ? Path.of(bin) : Path.of(System.getProperty("panama.ipc.root", "."), "native", "target", "bin");
        Path program = dir.resolve(PROGRAM);
        if (!Files.isExecutable(program)) {
            throw new DemoFailure("the C program " + program.toAbsolutePath() + " is missing: build it with `make -C native`");
        }
        return program;
    }

    /** The C program running one step, its lines copied to {@code out} with its label as they come. */
    private static final class CProcess implements AutoCloseable {
        private final Process process;
        private final Thread copier;
        private final List<String> lines = new ArrayList<>();

        private CProcess(Process process, PrintWriter out) {
            this.process = process;
            String label = "[c-peer pid " + process.pid() + "] ";
            this.copier = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        synchronized (out) {
                            out.println(label + line);
                            out.flush();
                        }
                    }
                } catch (IOException ended) {
                    // the process has gone
                }
            });
        }

        static CProcess start(Path program, PrintWriter out, String... step) throws IOException {
            List<String> command = new ArrayList<>(List.of(program.toString(), "-t", Long.toString(TIMEOUT.toSeconds())));
            command.addAll(List.of(step));
            return new CProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), out);
        }

        /** Waits for its end; it must exit with 0 (its exit codes: see ring_peer.c). */
        void awaitSuccess() throws InterruptedException {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new DemoFailure("the C program is still running after " + TIMEOUT.toSeconds() + " s");
            }
            copier.join(TimeUnit.SECONDS.toMillis(5));
            if (process.exitValue() != 0) {
                String last;
                synchronized (lines) {
                    last = lines.isEmpty() ? "it printed nothing" : lines.getLast();
                }
                throw new DemoFailure("the C program exited with " + process.exitValue() + ": " + last);
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            copier.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** The exchange went wrong. */
    private static final class DemoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message) {
            super(message);
        }
    }
}
