package org.panamaipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panamaipc.testkit.ChildProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {

    private static final String CHECK = "Check: 5 of 5 messages arrived in order";
    private static final String RING_CHECK = "Check: all 24 items arrived once and in order";

    @Test
    @Timeout(60)
    void shouldRunTheBoundedBufferBetweenTwoJvmsByDefault() {
        assertNotNull(System.getProperty(DemoCommand.TEST_OUTPUT_PROPERTY),
                "the build sets " + DemoCommand.TEST_OUTPUT_PROPERTY + ", so the consumer writes to a file");

        CliRun run = CliRun.of("demo");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains(RING_CHECK), run::toString);
        for (int n = 1; n <= 24; n++) {
            assertTrue(run.out().contains("] produced item " + String.format("%2d", n) + ": "), run::toString);
            assertTrue(run.out().contains("] consumed item " + String.format("%2d", n) + ": "), run::toString);
        }
        assertTrue(run.out().contains("] ring full "), "the producer found the bounded buffer full: " + run);
        assertTrue(run.out().contains("24 of 24 items, each once, in order"), run::toString);
        assertEquals(List.of(), CliRun.shmEntries("pipc-demo-" + ProcessHandle.current().pid()), run::toString);
    }

    @Test
    @Timeout(60)
    void shouldFailTheBoundedBufferAndCleanUpWhenTheConsumerCannotStart() {
        CliRun run = CliRun.withChildrenFailingToStart("demo");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Check FAILED after 0 of 24 items: the consumer has ended"), run::toString);
        assertEquals(List.of(), CliRun.shmEntries("pipc-demo-" + ProcessHandle.current().pid()), run::toString);
    }

    @Test
    @Timeout(60)
    void shouldRunTheBoundedBufferByItsFormerNameToo() {
        CliRun run = CliRun.of("demo", "channel");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains(RING_CHECK), run::toString);
    }

    @Test
    @Timeout(60)
    void shouldShowPrioritisedMessagesBetweenTwoJvmsThroughMessageQueues() {
        CliRun run = CliRun.of("demo", "mq");

        assertEquals(0, run.exitCode(), run::toString);
        String out = run.out();
        int first = out.indexOf("received priority 20: fire alarm test at 14:00");
        int last = out.indexOf("received priority  0: archive logs");
        assertTrue(first >= 0 && last > first, "highest priority first: " + run);
        assertTrue(out.contains("child exited with 0"), run::toString);
        assertTrue(out.contains("unlinked the queues"), run::toString);
        assertTrue(out.strip().lines().toList().reversed().get(1).startsWith("Check: 6 requests arrived highest priority "
                + "first and in order within a priority, a blocked receive woke for one more; both queues are removed."),
                run::toString);
    }

    @Test
    @Timeout(90)
    void shouldExchangeMessagesBothWaysWithACProgram() {
        CliRun run = CliRun.of("demo", "c-peer");

        assertEquals(0, run.exitCode(), run::toString);
        String out = run.out();
        assertTrue(out.contains("Check: 200 messages from C to Java and 200 from Java to C, each byte as the other side "
                + "computed it; both rings are removed."), run::toString);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("[c-peer pid ") && l.contains("sent 200 messages")), run::toString);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("[c-peer pid ") && l.contains("received 200 messages")),
                run::toString);
        assertTrue(out.contains("] received message 200 from C: "), run::toString);
        assertTrue(out.contains("] sent message 200 to C: "), run::toString);
        assertEquals(List.of(), CliRun.shmEntries("pipc-demo-" + ProcessHandle.current().pid()), run::toString);
    }

    @Test
    @Timeout(90)
    void shouldHandSealedAnonymousRingsToTwoClientJvmsOverASocket() {
        CliRun run = CliRun.of("demo", "handoff");

        assertEquals(0, run.exitCode(), run::toString);
        String out = run.out();
        assertTrue(out.contains("Check: 6 of 6 requests answered through sealed anonymous rings handed to 2 "
                + "client JVMs; nothing was named, nothing is left behind."), run::toString);
        assertTrue(out.contains("] created memfd:pipc-anonymous rings of "), run::toString);
        assertTrue(out.contains("sealed [SEAL, SHRINK, GROW], in no file system"), run::toString);
        assertEquals(2, out.lines().filter(l -> l.contains("is your user: handed it the rings' descriptors")).count(),
                run::toString);
        assertEquals(2, out.lines().filter(l -> l.startsWith("[client pid ") && l.contains("seals [SEAL, SHRINK, GROW] checked"))
                .count(), "each client checked the seals: " + run);
        assertEquals(2, out.lines().filter(l -> l.startsWith("[client pid ") && l.contains("reply to #3 after")).count(),
                run::toString);
        assertTrue(!out.contains("refused"), run::toString);
    }

    @Test
    @Timeout(60)
    void shouldExchangeFiveMessagesInOrderBetweenTwoJvms() {
        CliRun run = CliRun.of("demo", "shm");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains(CHECK), run::toString);
        for (int n = 1; n <= 5; n++) {
            assertTrue(run.out().contains("] sending #" + n + " "), run::toString);
            assertTrue(run.out().contains("] received #" + n + " "), run::toString);
            assertTrue(run.out().contains("] #" + n + " acknowledged"), run::toString);
        }
        assertTrue(run.out().lines().anyMatch(line -> line.startsWith("[consumer pid ")), run::toString);
        assertTrue(run.out().lines().anyMatch(line -> line.startsWith("[producer pid " + ProcessHandle.current().pid() + "]")),
                run::toString);
    }

    @Test
    @Timeout(60)
    void shouldLeaveNothingInDevShm() {
        CliRun run = CliRun.of("demo", "shm");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of(), CliRun.shmEntries("pipc-demo-" + ProcessHandle.current().pid()), run::toString);
    }

    @Test
    @Timeout(60)
    void shouldWriteTheConsumersOutputToTheChildLogFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("consumer.log");

        CliRun run = CliRun.of("demo", "shm", "--child-log", log.toString());

        assertEquals(0, run.exitCode(), run::toString);
        String consumerOutput = Files.readString(log);
        assertTrue(consumerOutput.contains("] all 5 messages received"), consumerOutput);
        assertTrue(run.out().contains(CHECK), run::toString);
    }

    @Test
    @Timeout(90)
    void shouldShareTheTerminalWithTheConsumerWhenRunFromTheMain() {
        // ipc in a JVM of its own, whose output is a file: its consumer inherits that file, as it
        // inherits the terminal when a user runs ./ipc demo, so both sides' lines interleave
        try (ChildProcess ipc = ChildProcess.java(IpcCommand.class, "demo", "shm")) {
            ipc.assertSuccess(Duration.ofSeconds(60));

            List<String> lines = ipc.output().lines().toList();
            int received = indexOfPrefix(lines, "[consumer pid ", "received #1 ");
            int acknowledged = indexOfPrefix(lines, "[producer pid ", "#1 acknowledged");
            assertTrue(received >= 0 && received < acknowledged, ipc::output);
            assertTrue(ipc.output().contains(CHECK), ipc::output);
            assertEquals(List.of(), CliRun.shmEntries("pipc-demo-" + ipc.pid()));
        }
    }

    @Test
    @Timeout(60)
    void shouldFailAndCleanUpWhenTheConsumerCannotStart() {
        CliRun run = CliRun.withChildrenFailingToStart("demo", "shm");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Check FAILED: 0 of 5 messages arrived in order; "
                + "the other process ended while waiting for the consumer to map the segment"), run::toString);
        assertEquals(List.of(), CliRun.shmEntries("pipc-demo-" + ProcessHandle.current().pid()), run::toString);
    }

    @Test
    @Timeout(30)
    void shouldListTheDemos() {
        CliRun run = CliRun.of("demo", "--list");

        assertEquals(0, run.exitCode(), run::toString);
        for (String name : List.of("producer-consumer ", "shm ", "mq ", "c-peer ", "handoff ")) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith("  " + name)), () -> name + ": " + run);
        }
        assertTrue(run.out().contains("(also: channel)"), run::toString);
    }

    @Test
    @Timeout(30)
    void shouldRejectAnUnknownDemoNamingTheKnownOnes() {
        CliRun run = CliRun.of("demo", "nope");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("no demo is called 'nope'; the demos are: producer-consumer, shm, mq, c-peer"),
                run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
    }

    private static int indexOfPrefix(List<String> lines, String prefix, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix) && lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
