package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.PeerCredentials;
import org.panamaipc.socket.Received;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
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

/**
 * Ring channels handed over a Unix-domain socket instead of by a name. A server JVM lays out ring
 * channels in anonymous memory ({@code memfd_create}: no name in {@code /dev/shm}, nothing left
 * behind when the processes end), seals it so its size can never change, and listens on a socket.
 * Client JVMs connect; the server asks the kernel who each one is ({@code SO_PEERCRED}), serves
 * only processes of its own user, and hands each the descriptors of two rings ({@code SCM_RIGHTS})
 * with the number of its slot. The clients check the seals, open the rings over the memory they
 * received ({@link RingChannel#open(SharedMemory)}, which checks the layout as opening a named
 * ring does), and exchange messages with the server through them; the socket carries nothing more.
 *
 * <h2>The rings</h2>
 * <ul>
 * <li>{@code requests}: one MPSC ring that every client sends into, the message type its slot;
 *     the server is its only receiver, and waits for clients that come and go (it is not told
 *     when none is attached: {@code receiver(strategy, false)}).</li>
 * <li>{@code replies}: one SPSC ring per client, from the server to that client alone.</li>
 * </ul>
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

    /** The rings: small, as the messages are. */
    private static final ChannelOptions REQUESTS = ChannelOptions.of(ChannelType.MPSC).capacity(4096).maxMessageLength(1024);
    private static final ChannelOptions REPLIES = ChannelOptions.of(ChannelType.SPSC).capacity(4096).maxMessageLength(1024);

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public HandoffDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "a server hands sealed anonymous ring channels to client JVMs of its user over a Unix socket";
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
        out.println("Ring channels handed over a Unix-domain socket. This JVM is the server: it lays out rings");
        out.println("in anonymous memory (memfd, no name anywhere), seals it, and gives their descriptors to " + CLIENTS);
        out.println("client JVMs of your user; they then talk to the server through those rings.");
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
        List<DescriptorSocket> served = new ArrayList<>();
        List<RingChannel> replies = new ArrayList<>();
        int answered = 0;
        int refused = 0;
        String failure = null;
        // clients come and go: one may be done before the next has attached, so the server is not
        // told when no client is attached (closeWhenSendersGone false) but waits for the next
        try (RingChannel requests = sealedRing(REQUESTS);
             Receiver incoming = requests.receiver(WaitStrategy.blocking(), false)) {
            Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
            try (DescriptorServer listener = DescriptorServer.create(socket, 0666)) {
                try {
                    server.say("created %s rings of %d and %d bytes, sealed %s, in no file system", requests.name(),
                            requests.memory().size(), RingChannel.requiredSize(REPLIES), requests.memory().seals());
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
                        RingChannel reply = sealedRing(REPLIES);
                        replies.add(reply);
                        client.send(ByteBuffer.wrap(("slot=" + slot).getBytes(StandardCharsets.UTF_8)),
                                Attachments.of(requests.memory()).and(reply.memory()));
                        server.say("pid %d (uid %d) is your user: handed it the rings' descriptors, slot %d",
                                peer.pid(), peer.uid(), slot);
                        served.add(client);
                    }
                    answered = answer(incoming, replies, server, count * ROUNDS);
                } finally {
                    served.forEach(DescriptorSocket::close);
                    replies.forEach(RingChannel::close);
                    listener.unlink();
                }
            }
        } catch (IpcException | DemoFailure | IOException e) {
            failure = e.getMessage();
        }
        int expected = count * ROUNDS;
        out.println();
        if (failure == null && answered == expected) {
            out.printf("Check: %d of %d requests answered through sealed anonymous rings handed to %d client"
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

    /** {@return a ring with {@code options} in new anonymous memory sealed with {@link #SEALS}} */
    private static RingChannel sealedRing(ChannelOptions options) {
        return RingChannel.create(SharedMemory.anonymous(RingChannel.requiredSize(options), SEALS), options);
    }

    /**
     * Answers requests as they come, each on the replies ring of the slot its type names, until
     * {@code total} are answered; {@return how many were}
     */
    private static int answer(Receiver incoming, List<RingChannel> replies, DemoSupport.Side server, int total)
            throws InterruptedException {
        List<Sender> senders = new ArrayList<>();
        try {
            for (RingChannel reply : replies) {
                senders.add(reply.sender(WaitStrategy.blocking()));
            }
            int[] next = new int[replies.size()];
            int answered = 0;
            while (answered < total) {
                byte[] request = incoming.receiveBytes(TIMEOUT);
                if (request == null) {
                    throw new DemoFailure("no request within " + TIMEOUT.toSeconds() + " s");
                }
                int slot = incoming.lastHeader().type();
                if (slot < 0 || slot >= senders.size()) {
                    throw new DemoFailure("a request from slot " + slot + ", which no client has");
                }
                int n = ++next[slot];
                server.say("slot %d, request #%d: \"%s\"", slot, n, new String(request, StandardCharsets.UTF_8));
                byte[] text = ("#" + n + " received by the server, pid " + ProcessHandle.current().pid())
                        .getBytes(StandardCharsets.UTF_8);
                if (senders.get(slot).send(n, text, TIMEOUT) < 0) {
                    throw new DemoFailure("no room for the reply to slot " + slot + " within " + TIMEOUT.toSeconds() + " s");
                }
                answered++;
            }
            return answered;
        } finally {
            senders.forEach(Sender::close);
        }
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
                try (RingChannel requests = RingChannel.open(handed.takeSharedMemory(0, SEALS));
                     RingChannel replies = RingChannel.open(handed.takeSharedMemory(1, SEALS));
                     Sender sender = requests.sender(WaitStrategy.blocking());
                     Receiver receiver = replies.receiver(WaitStrategy.blocking())) {
                    client.say("received %s rings (%s and %s): seals %s checked, so their size cannot change under me;"
                            + " slot %d", requests.name(), requests.type(), replies.type(), requests.memory().seals(), slot);
                    exchange(sender, receiver, slot, client);
                }
            }
            client.say("all %d replies received; goodbye", ROUNDS);
            return 0;
        } catch (IpcException | DemoFailure | NumberFormatException | StringIndexOutOfBoundsException e) {
            client.say("FAILED: %s", e.getMessage());
            return 1;
        }
    }

    private static void exchange(Sender sender, Receiver receiver, int slot, DemoSupport.Side client)
            throws InterruptedException {
        for (int n = 1; n <= ROUNDS; n++) {
            byte[] request = ("hello #" + n + " from client pid " + ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.UTF_8);
            long sentAt = System.nanoTime();
            if (sender.send(slot, request, TIMEOUT) < 0) {
                throw new DemoFailure("no room for request #" + n + " within " + TIMEOUT.toSeconds() + " s");
            }
            byte[] reply = receiver.receiveBytes(TIMEOUT); // PeerGoneException if the server has gone
            if (reply == null) {
                throw new DemoFailure("gave up waiting for the reply to #" + n + " after " + TIMEOUT.toSeconds() + " s");
            }
            if (receiver.lastHeader().type() != n) {
                throw new DemoFailure("expected the reply to #" + n + " but got #" + receiver.lastHeader().type());
            }
            client.say("reply to #%d after %s: \"%s\"", n, DemoSupport.elapsed(System.nanoTime() - sentAt),
                    new String(reply, StandardCharsets.UTF_8));
        }
    }

    /** The exchange went wrong: the other side died, answered out of order, or was too slow. */
    private static final class DemoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message) {
            super(message);
        }
    }
}
