package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.PeerCredentials;
import org.panamaipc.socket.Received;
import org.panamaipc.sync.Futex;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Shared memory handed over a Unix-domain socket instead of by a name. A server JVM creates
 * anonymous memory ({@code memfd_create}: no name in {@code /dev/shm}, nothing left behind when the
 * processes end), seals it so its size can never change, and listens on a socket. Client JVMs
 * connect; the server asks the kernel who each one is ({@code SO_PEERCRED}), serves only processes
 * of its own user, and hands each the memory's descriptor ({@code SCM_RIGHTS}) with the number of
 * its slot. The clients check the seals, then exchange messages with the server through the
 * memory, woken by futexes; the socket carries nothing more.
 *
 * <h2>The memory</h2>
 * <pre>
 *   offset        field      written by  meaning
 *   0             doorbell   clients     counts requests; the server sleeps on it   (futex word)
 *   4096 * (1+i)  slot i:
 *     + 0         request    client i    number of its last request, from 1          (futex word)
 *     + 64        reply      server      number of the last request answered         (futex word)
 *     + 128       length     client i    length of the request's text (UTF-8)
 *     + 132       text       client i    the request, at most 1916 bytes
 *     + 2048      length     server      length of the reply's text
 *     + 2052      text       server      the reply, at most 2044 bytes
 * </pre>
 * A client writes its request, release-stores {@code request = n}, adds one to the doorbell and
 * wakes the server; the server finds the slots whose request is ahead of their reply, answers
 * each, release-stores {@code reply = n} and wakes that client. Lengths read from the memory are
 * checked before use: a client could write anything there.
 *
 * <h2>Running it</h2>
 * {@code ./ipc demo handoff}, or directly (no arguments) to run the server, which starts
 * {@value #CLIENTS} clients itself; {@code --serve SOCKET COUNT} runs a server alone that serves
 * {@code COUNT} clients started by hand with {@code --client SOCKET}. The socket file has mode
 * {@code 0666} in a directory anyone may pass through, so that any local user can connect: what
 * keeps other users out is the server's check of the credentials, which it prints.
 */
public final class HandoffDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "handoff";

    /** How many client JVMs the demo starts. */
    public static final int CLIENTS = 2;

    /** How many requests each client sends. */
    public static final int ROUNDS = 3;

    /** How long either side waits for the other at each step. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The seals a client requires before it trusts the memory's size. */
    static final Set<Seal> SEALS = EnumSet.of(Seal.SHRINK, Seal.GROW, Seal.SEAL);

    private static final long SLOT_SIZE = 4096;
    private static final long DOORBELL = 0;
    private static final long REQUEST = 0;
    private static final long REPLY = 64;
    private static final long REQUEST_LENGTH = 128;
    private static final long REQUEST_TEXT = 132;
    private static final long REPLY_LENGTH = 2048;
    private static final long REPLY_TEXT = 2052;
    private static final int MAX_REQUEST = (int) (REPLY_LENGTH - REQUEST_TEXT);
    private static final int MAX_REPLY = (int) (SLOT_SIZE - REPLY_TEXT);
    private static final long PEER_CHECK_NANOS = Duration.ofMillis(100).toNanos();

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public HandoffDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "a server hands sealed anonymous memory to client JVMs of its user over a Unix socket";
    }

    /**
     * With no arguments, runs the server and its {@value #CLIENTS} clients; {@code --serve SOCKET
     * COUNT} runs a server alone; {@code --client SOCKET} runs one client. Exits 0 on success.
     */
    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(System.out, true);
        int exitCode;
        if (args.length == 0) {
            exitCode = new HandoffDemo().run(out, Redirect.INHERIT);
        } else if (args.length == 3 && args[0].equals("--serve")) {
            exitCode = serveAlone(Path.of(args[1]), Integer.parseInt(args[2]), out);
        } else if (args.length == 2 && args[0].equals("--client")) {
            exitCode = client(Path.of(args[1]), out);
        } else {
            System.err.println("usage: HandoffDemo [--serve SOCKET COUNT | --client SOCKET]");
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    // ------------------------------------------------------------------------------------ server

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        out.println("Shared memory handed over a Unix-domain socket. This JVM is the server: it creates");
        out.println("anonymous memory (memfd, no name anywhere), seals it, and gives its descriptor to " + CLIENTS);
        out.println("client JVMs of your user; they then talk to the server through that memory.");
        out.println();
        out.flush();
        // both clients write to the one file, each appending
        Redirect clients = childOutput.file() != null ? Redirect.appendTo(childOutput.file()) : childOutput;
        List<Process> started = new ArrayList<>();
        try {
            return serve(out, CLIENTS, socket -> {
                for (int i = 0; i < CLIENTS; i++) {
                    started.add(ChildJvm.start(HandoffDemo.class, List.of("--client", socket.toString()), clients));
                }
            });
        } finally {
            for (Process client : started) {
                ChildJvm.stop(client, TIMEOUT);
            }
            if (childOutput.file() != null && !started.isEmpty()) {
                out.println();
                out.println("Output of the client JVMs, from " + childOutput.file() + ":");
                try {
                    Files.readAllLines(childOutput.file().toPath()).forEach(out::println);
                } catch (IOException e) {
                    out.println("(unreadable: " + e.getMessage() + ")");
                }
                out.flush();
            }
        }
    }

    private static int serveAlone(Path socket, int count, PrintWriter out) throws InterruptedException {
        return serve(out, count, path -> { }, socket);
    }

    /** What to do once the server listens: start the clients. */
    @FunctionalInterface
    private interface OnListening {
        void accept(Path socket) throws IOException;
    }

    private static int serve(PrintWriter out, int count, OnListening onListening) throws InterruptedException {
        Path dir;
        try {
            dir = Files.createTempDirectory("pipc-demo-handoff-");
        } catch (IOException e) {
            out.println("Check FAILED: cannot create a directory for the socket: " + e.getMessage());
            return 1;
        }
        try {
            return serve(out, count, onListening, dir.resolve("handoff.sock"));
        } finally {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                out.println("could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    private static int serve(PrintWriter out, int count, OnListening onListening, Path socket)
            throws InterruptedException {
        DemoSupport.Side server = new DemoSupport.Side("server", out);
        long segmentSize = SLOT_SIZE * (1 + count);
        List<DescriptorSocket> served = new ArrayList<>();
        int answered = 0;
        int refused = 0;
        String failure = null;
        try (SharedMemory memory = SharedMemory.anonymous(segmentSize, SEALS)) {
            Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
            try (DescriptorServer listener = DescriptorServer.create(socket, 0666)) {
                try {
                    server.say("created %s: %d bytes, sealed %s, in no file system", memory.name(), memory.size(),
                            memory.seals());
                    server.say("listening on %s (mode 0666: anyone may connect; the server decides who is served)",
                            socket);
                    onListening.accept(socket);
                    while (served.size() < count) {
                        DescriptorSocket client = listener.accept(TIMEOUT);
                        if (client == null) {
                            throw new DemoFailure("no client connected within " + TIMEOUT.toSeconds() + " s");
                        }
                        PeerCredentials peer = client.peer();
                        if (!peer.isSameUser()) {
                            server.say("refused pid %d (uid %d, gid %d): not your user; closed without a word",
                                    peer.pid(), peer.uid(), peer.gid());
                            client.close();
                            refused++;
                            continue;
                        }
                        int slot = served.size();
                        client.send(ByteBuffer.wrap(("slot=" + slot).getBytes(StandardCharsets.UTF_8)),
                                Attachments.of(memory));
                        server.say("pid %d (uid %d) is your user: handed it the memory's descriptor, slot %d",
                                peer.pid(), peer.uid(), slot);
                        served.add(client);
                    }
                    // the kernel told us each client's pid: that is how the server notices one that died
                    answered = answer(memory.segment(), served, server, () -> served.stream()
                            .anyMatch(c -> ProcessHandle.of(c.peer().pid()).map(ProcessHandle::isAlive).orElse(false)));
                } finally {
                    served.forEach(DescriptorSocket::close);
                    listener.unlink();
                }
            }
        } catch (IpcException | DemoFailure | IOException e) {
            failure = e.getMessage();
        }
        int expected = count * ROUNDS;
        out.println();
        if (failure == null && answered == expected) {
            out.printf("Check: %d of %d requests answered through one sealed anonymous segment handed to %d client"
                    + " JVM%s%s; nothing was named, nothing is left behind.%n", answered, expected, count,
                    count == 1 ? "" : "s", refused > 0 ? " (" + refused + " of another user refused)" : "");
            out.flush();
            return 0;
        }
        out.printf("Check FAILED: %d of %d requests answered; %s%n", answered, expected,
                failure != null ? failure : "the exchange stopped early");
        out.flush();
        return 1;
    }

    /** Answers every client's {@value #ROUNDS} requests as they ring; {@return how many were answered} */
    private static int answer(MemorySegment memory, List<DescriptorSocket> clients, DemoSupport.Side server,
                              BooleanSupplier clientsAlive) throws InterruptedException {
        Futex doorbell = Futex.of(memory, DOORBELL);
        int total = clients.size() * ROUNDS;
        int answered = 0;
        int rung = 0;
        while (answered < total) {
            for (int slot = 0; slot < clients.size(); slot++) {
                long base = SLOT_SIZE * (1 + slot);
                Futex request = Futex.of(memory, base + REQUEST);
                Futex reply = Futex.of(memory, base + REPLY);
                int n = request.value();
                if (n == reply.value()) {
                    continue;
                }
                if (n != reply.value() + 1) {
                    throw new DemoFailure("slot " + slot + " jumped from request #" + reply.value() + " to #" + n);
                }
                String text = read(memory, base + REQUEST_LENGTH, base + REQUEST_TEXT, MAX_REQUEST);
                server.say("slot %d, request #%d: \"%s\"", slot, n, text);
                write(memory, base + REPLY_LENGTH, base + REPLY_TEXT,
                        "#" + n + " received by the server, pid " + ProcessHandle.current().pid());
                reply.setRelease(n); // publishes the reply written above
                reply.wakeAll();
                answered++;
            }
            if (answered < total) {
                rung = await(doorbell, rung, clientsAlive, "the next request");
            }
        }
        return answered;
    }

    // ------------------------------------------------------------------------------------ client

    static int client(Path socket, PrintWriter out) throws InterruptedException {
        DemoSupport.Side client = new DemoSupport.Side("client", out);
        try (DescriptorSocket connection = DescriptorSocket.open(socket)) {
            PeerCredentials server = connection.peer();
            client.say("connected to %s; the kernel says the server is pid %d, uid %d", socket, server.pid(), server.uid());
            try (Received handed = connection.receive(TIMEOUT)) {
                if (handed == null) {
                    throw new DemoFailure("nothing came from the server within " + TIMEOUT.toSeconds() + " s");
                }
                String payload = StandardCharsets.UTF_8.decode(handed.payload()).toString();
                int slot = Integer.parseInt(payload.substring("slot=".length()));
                try (SharedMemory memory = handed.takeSharedMemory(0, SEALS)) {
                    client.say("received %s: %d bytes, seals %s checked, so its size cannot change under me; slot %d",
                            memory.name(), memory.size(), memory.seals(), slot);
                    if (memory.size() < SLOT_SIZE * (2 + slot)) {
                        throw new DemoFailure("the memory has no slot " + slot);
                    }
                    exchange(memory.segment(), slot, client, () -> ProcessHandle.of(server.pid())
                            .map(ProcessHandle::isAlive).orElse(false));
                }
            }
            client.say("all %d replies received; goodbye", ROUNDS);
            return 0;
        } catch (IpcException | DemoFailure | NumberFormatException | StringIndexOutOfBoundsException e) {
            client.say("FAILED: %s", e.getMessage());
            return 1;
        }
    }

    private static void exchange(MemorySegment memory, int slot, DemoSupport.Side client, BooleanSupplier serverAlive)
            throws InterruptedException {
        long base = SLOT_SIZE * (1 + slot);
        Futex doorbell = Futex.of(memory, DOORBELL);
        Futex request = Futex.of(memory, base + REQUEST);
        Futex reply = Futex.of(memory, base + REPLY);
        for (int n = 1; n <= ROUNDS; n++) {
            write(memory, base + REQUEST_LENGTH, base + REQUEST_TEXT,
                    "hello #" + n + " from client pid " + ProcessHandle.current().pid());
            request.setRelease(n); // publishes the text written above
            doorbell.getAndAdd(1);
            doorbell.wakeAll();
            long sentAt = System.nanoTime();
            int answered = await(reply, n - 1, serverAlive, "the reply to #" + n);
            if (answered != n) {
                throw new DemoFailure("expected the reply to #" + n + " but got #" + answered);
            }
            client.say("reply to #%d after %s: \"%s\"", n, DemoSupport.elapsed(System.nanoTime() - sentAt),
                    read(memory, base + REPLY_LENGTH, base + REPLY_TEXT, MAX_REPLY));
        }
    }

    // ---------------------------------------------------------------------------------- both sides

    private static void write(MemorySegment memory, long lengthOffset, long textOffset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, memory, JAVA_BYTE, textOffset, bytes.length);
        memory.set(JAVA_INT, lengthOffset, bytes.length);
    }

    private static String read(MemorySegment memory, long lengthOffset, long textOffset, int max) {
        int length = memory.get(JAVA_INT, lengthOffset);
        if (length < 0 || length > max) { // never trust a length read from shared memory
            throw new DemoFailure("a text of length=" + length + ", outside 0.." + max);
        }
        return new String(memory.asSlice(textOffset, length).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /**
     * Waits until the futex word no longer holds {@code old} and {@return what it holds then},
     * waking every 100 ms to check that the other side lives, for at most {@link #TIMEOUT}.
     */
    private static int await(Futex word, int old, BooleanSupplier peerAlive, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int value;
        while ((value = word.value()) == old) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DemoFailure("gave up waiting for " + what + " after " + TIMEOUT.toSeconds() + " s");
            }
            if (!peerAlive.getAsBoolean()) {
                value = word.value();
                if (value != old) {
                    return value;
                }
                throw new DemoFailure("the other side ended while waiting for " + what);
            }
            word.waitNanos(old, Math.min(left, PEER_CHECK_NANOS));
        }
        return value;
    }

    /** The exchange went wrong: the other side died, answered out of order, or was too slow. */
    private static final class DemoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message) {
            super(message);
        }
    }
}
