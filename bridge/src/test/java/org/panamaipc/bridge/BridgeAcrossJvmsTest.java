package org.panamaipc.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.children.BridgeHost;
import org.panamaipc.children.BridgeHost.Tick;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two JVMs, each with its own bridge and embedded media driver, on loopback: this test's JVM sends
 * through a stand-in, the child ({@link BridgeHost}) holds the real mailbox or port.
 */
class BridgeAcrossJvmsTest {

    /** Messages of the long run; {@code -Dbridge.messages=N} changes it. */
    static final long MESSAGES = Long.getLong("bridge.messages", 1_000_000);
    static final Duration DEADLINE = Duration.ofSeconds(150);

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void shouldCarryEveryTypedMessageOnceAndInOrderPerSender() throws Exception {
        int senders = 2;
        long perSender = MESSAGES / senders;
        String remote = TestNames.unique("bridge-remote");
        String standIn = TestNames.unique("bridge-standin");
        String listen = channel(freePort());
        try (ChildProcess host = host("mailbox-consumer", listen, "10", remote, Long.toString(perSender * senders),
                Integer.toString(senders), "4096", "0")) {
            try {
                host.awaitOutput("READY", Duration.ofSeconds(30));
                try (Bridge bridge = Bridge.start(BridgeConfig.builder()
                        .importMailbox(standIn, listen, 10, MailboxOptions.ring().capacity(4096).maxMessageLength(64))
                        .build())) {
                    List<Thread> threads = new ArrayList<>();
                    long[] fulls = new long[senders];
                    Throwable[] failures = new Throwable[senders];
                    long start = System.nanoTime();
                    for (int s = 0; s < senders; s++) {
                        int sender = s;
                        threads.add(Thread.ofPlatform().start(() -> {
                            try (Mailbox<Tick> mailbox = Mailbox.open(standIn, BridgeHost.TICKS)) {
                                for (long i = 1; i <= perSender; i++) {
                                    Tick tick = new Tick(sender, 0, i);
                                    while (mailbox.trySend(tick) == Mailbox.FULL) {   // count, then wait as send does
                                        fulls[sender]++;
                                        if (mailbox.send(tick, Duration.ofSeconds(30)) > 0) {
                                            break;
                                        }
                                    }
                                }
                            } catch (Throwable e) {
                                failures[sender] = e;
                            }
                        }));
                    }
                    for (Thread thread : threads) {
                        thread.join(DEADLINE.toMillis());
                        assertFalse(thread.isAlive(), "a sender is still sending after " + DEADLINE + ": " + bridge.counters());
                    }
                    for (Throwable failure : failures) {
                        if (failure != null) {
                            throw new AssertionError(failure);
                        }
                    }
                    host.awaitOutput("RESULT", DEADLINE);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    String result = line(host.output(), "RESULT");
                    System.out.printf("bridge: %d messages from %d senders in %.2f s (%.0f msg/s), sender FULLs=%d+%d; "
                                    + "sending bridge: %s; receiving host: %s%n", MESSAGES, senders, seconds, MESSAGES / seconds,
                            fulls[0], fulls[1], bridge.counters(), result);
                    assertTrue(result.contains("received=" + perSender * senders + " outOfOrder=0 complete=true extra=false"),
                            result);
                    assertEquals(null, bridge.failure());
                }
                host.assertSuccess(Duration.ofSeconds(30));
            } finally {
                cleanUp(host, remote);
                Mailbox.unlinkIfExists(standIn);
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldFailSendsToARemotePortOnceItsHostIsKilled() throws Exception {
        String remote = TestNames.unique("bridge-port");
        String standIn = TestNames.unique("bridge-port-standin");
        String listen = channel(freePort());
        try (ChildProcess host = host("port-owner", listen, "11", remote)) {
            try {
                host.awaitOutput("READY", Duration.ofSeconds(30));
                try (Bridge bridge = Bridge.start(BridgeConfig.builder()
                        .importPort(standIn, listen, 11, MailboxOptions.ring())
                        .build())) {
                    Port<Tick> port = awaitPort(standIn, Duration.ofSeconds(30));
                    try (port) {
                        assertTrue(port.send(new Tick(0, 0, 1), Duration.ofSeconds(10)) > 0);
                        host.awaitOutput("FIRST", Duration.ofSeconds(30));

                        host.kill();                                   // SIGKILL: the owner, its bridge and driver
                        long killed = System.nanoTime();
                        long outcome = 0;
                        long sends = 0;
                        long deadline = killed + Duration.ofSeconds(60).toNanos();
                        while (System.nanoTime() - deadline < 0) {
                            outcome = port.trySend(new Tick(0, 0, 2 + sends));
                            sends++;
                            if (outcome == Port.CLOSED) {
                                break;
                            }
                            Thread.sleep(1);
                        }
                        double seconds = (System.nanoTime() - killed) / 1e9;
                        System.out.printf("bridge: a send to the remote port failed (CLOSED) %.3f s after its host was "
                                + "killed (liveness timeout %s), after %d sends; %s%n", seconds, Bridge.LIVENESS_TIMEOUT,
                                sends, bridge.counters());
                        assertEquals(Port.CLOSED, outcome, "sends to the remote port still succeed 60 s after its host died");
                        assertEquals(Port.CLOSED, port.trySend(new Tick(0, 0, 0)), "the next send fails at once too");
                        assertFalse(port.ownerPresent());
                    }
                }
            } finally {
                cleanUp(host, remote);
                Port.unlinkIfExists(standIn);
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldFailSendsToARemotePortWhoseOwnerClosedItWhileItsBridgeRuns() throws Exception {
        String remote = TestNames.unique("bridge-port-close");
        String standIn = TestNames.unique("bridge-port-close-standin");
        String listen = channel(freePort());
        try (ChildProcess host = host("port-owner-closes", listen, "13", remote)) {
            try {
                host.awaitOutput("READY", Duration.ofSeconds(30));
                try (Bridge bridge = Bridge.start(BridgeConfig.builder()
                        .importPort(standIn, listen, 13, MailboxOptions.ring())
                        .build());
                     Port<Tick> port = awaitPort(standIn, Duration.ofSeconds(30))) {
                    assertTrue(port.send(new Tick(0, 0, 1), Duration.ofSeconds(10)) > 0);
                    host.awaitOutput("CLOSED", Duration.ofSeconds(30));
                    long closed = System.nanoTime();
                    long outcome = 0;
                    long deadline = closed + Duration.ofSeconds(60).toNanos();
                    while (System.nanoTime() - deadline < 0 && (outcome = port.trySend(new Tick(0, 0, 2))) != Port.CLOSED) {
                        Thread.sleep(1);
                    }
                    System.out.printf("bridge: a send to the remote port failed (CLOSED) %.3f s after its owner closed it "
                                    + "(its bridge still running; liveness timeout %s); %s%n",
                            (System.nanoTime() - closed) / 1e9, Bridge.LIVENESS_TIMEOUT, bridge.counters());
                    assertEquals(Port.CLOSED, outcome, "sends to the remote port still succeed 60 s after its owner closed it");
                    org.junit.jupiter.api.Assertions.assertThrows(org.panamaipc.message.PortGoneException.class,
                            () -> port.send(new Tick(0, 0, 3)));
                }
                assertTrue(host.process().isAlive(), "the remote host (its bridge) still runs");
            } finally {
                cleanUp(host, remote);
                Port.unlinkIfExists(standIn);
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldTellASenderFullWhenTheRemoteConsumerIsSlowAndLoseNothing() throws Exception {
        long count = 3000;
        String remote = TestNames.unique("bridge-slow");
        String standIn = TestNames.unique("bridge-slow-standin");
        int port = freePort();
        String listen = channel(port);
        // a small receiver window and the shortest term (its half is what a publication takes ahead of the
        // network), so that Aeron pushes back after a few hundred messages rather than 2 MiB
        try (ChildProcess host = host("mailbox-consumer", listen + "|rcv-wnd=4k", "12", remote, Long.toString(count), "1", "16",
                "100000")) {
            try {
                host.awaitOutput("READY", Duration.ofSeconds(30));
                try (Bridge bridge = Bridge.start(BridgeConfig.builder()
                        .importMailbox(standIn, listen + "|term-length=64k", 12, MailboxOptions.ring().capacity(16).maxMessageLength(64))
                        .build());
                     Mailbox<Tick> mailbox = Mailbox.open(standIn, BridgeHost.TICKS)) {
                    long fulls = 0;
                    long deadline = System.nanoTime() + DEADLINE.toNanos();
                    for (long i = 1; i <= count; i++) {
                        Tick tick = new Tick(0, 0, i);
                        while (mailbox.trySend(tick) == Mailbox.FULL) {
                            fulls++;
                            assertTrue(System.nanoTime() - deadline < 0, "still FULL after " + DEADLINE + ": " + bridge.counters());
                            Thread.sleep(1);
                        }
                    }
                    host.awaitOutput("RESULT", DEADLINE);
                    String result = line(host.output(), "RESULT");
                    System.out.printf("bridge: slow consumer: the sender saw FULL %d times; sending bridge: %s; "
                            + "receiving host: %s%n", fulls, bridge.counters(), result);
                    assertTrue(fulls > 0, "the sender never saw FULL");
                    assertFalse(bridge.counters().contains(" aeronRefusals=0 "), "Aeron never pushed back: " + bridge.counters());
                    assertTrue(result.contains("received=" + count + " outOfOrder=0 complete=true extra=false"), result);
                }
                host.assertSuccess(Duration.ofSeconds(30));
            } finally {
                cleanUp(host, remote);
                Mailbox.unlinkIfExists(standIn);
            }
        }
    }

    // helpers

    static Port<Tick> awaitPort(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return Port.open(name, BridgeHost.TICKS);
            } catch (org.panamaipc.NotFoundException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the stand-in port " + name + " did not appear within " + timeout, e);
                }
                Thread.sleep(10);
            }
        }
    }

    static ChildProcess host(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.addAll(Bridge.JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BridgeHost.class.getName());
        command.addAll(List.of(args));
        return ChildProcess.program("BridgeHost-" + args[0], command.toArray(String[]::new));
    }

    /** Kills the host if it runs, removes its Aeron directory and the names it may have left. */
    static void cleanUp(ChildProcess host, String name) throws IOException {
        host.close();
        String dir = line(host.output(), "AERON_DIR");
        if (dir != null) {
            Path path = Path.of(dir.substring("AERON_DIR ".length()).strip());
            if (path.getFileName().toString().startsWith("pipc-aeron-") && Files.exists(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        Mailbox.unlinkIfExists(name);
    }

    static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }

    static String channel(int port) {
        return "aeron:udp?endpoint=localhost:" + port;
    }

    static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
