package org.panamaipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.codec.Codec;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.testkit.TestNames;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeCommandTest {

    @Test
    @Timeout(60)
    void shouldRefuseToRunWithNothingToCarry() {
        CliRun run = CliRun.of("bridge", "--listen", "aeron:udp?endpoint=localhost:40124");
        assertEquals(IpcCommand.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("ipc bridge: nothing to carry"), run::toString);
    }

    @Test
    @Timeout(60)
    void shouldNameAWrongDirective() {
        CliRun run = CliRun.of("bridge", "--export", "queue /a 1");
        assertEquals(IpcCommand.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("command line:1: kind=queue is neither mailbox nor port"), run::toString);
    }

    @Test
    @Timeout(90)
    void shouldCarryMessagesFromAnImportedNameToAnExportedOne() throws Exception {
        String mailbox = TestNames.unique("cli-bridge");
        String standIn = TestNames.unique("cli-bridge-standin");
        int port;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String channel = "aeron:udp?endpoint=localhost:" + port;
        try (Mailbox<String> target = Mailbox.create(mailbox, MailboxOptions.ring().capacity(64), Codec.utf8())) {
            CompletableFuture<CliRun> bridge = CompletableFuture.supplyAsync(() -> CliRun.of("bridge", "--listen", channel,
                    "--export", "mailbox " + mailbox + " 7", "--import", "mailbox " + standIn + " " + channel + " 7 capacity=64",
                    "--duration", "PT8S"));
            Mailbox<String> source = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (source == null && System.nanoTime() - deadline < 0) {
                try {
                    source = Mailbox.open(standIn, Codec.utf8());
                } catch (org.panamaipc.NotFoundException notYet) {
                    Thread.sleep(10);
                }
            }
            assertTrue(source != null, "the stand-in " + standIn + " did not appear");
            try (Mailbox<String> sender = source) {
                for (int i = 1; i <= 100; i++) {
                    assertTrue(sender.send("message " + i, Duration.ofSeconds(10)) > 0);
                }
            }
            java.util.List<String> received = new java.util.ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                String message = target.receive(Duration.ofSeconds(10));
                if (message == null) {
                    break;
                }
                received.add(message);
            }
            CliRun run = bridge.get();
            assertEquals(java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> "message " + i).toList(), received,
                    run::toString);
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().contains("export mailbox " + mailbox + " <- stream 7 on " + channel), run::toString);
            assertTrue(run.out().contains("forwarded=100"), run::toString);
            assertTrue(run.out().contains("delivered=100"), run::toString);
            target.unlink();
        } finally {
            Mailbox.unlinkIfExists(mailbox);
            Mailbox.unlinkIfExists(standIn);
        }
    }
}
