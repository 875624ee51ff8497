package org.panamaipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorCommandTest {

    @Test
    @Timeout(60)
    void shouldReportEverySectionWithAlignedValues() {
        CliRun run = CliRun.of("doctor");

        for (String section : List.of("Java", "Machine", "Shared memory (/dev/shm)", "POSIX message queues", "Futex",
                "Ring channels", "Named pipes (FIFOs)", "Unix sockets and descriptor passing", "Anonymous memory (memfd)")) {
            assertTrue(run.out().lines().anyMatch(section::equals), () -> "no section " + section + ": " + run);
        }
        for (String name : List.of("version", "vendor", "home", "cpus", "filesystem", "size", "free", "msg_max",
                "msgsize_max", "queues_max", "msg_default", "msgsize_default", "RLIMIT_MSGQUEUE", "/dev/mqueue",
                "wake across JVMs", "needs", "limits", "works")) {
            assertTrue(run.out().lines().anyMatch(line -> line.startsWith("  " + name + ":")),
                    () -> "no line " + name + ": " + run);
        }
        List<Integer> valueColumns = run.out().lines()
                .filter(line -> line.startsWith("  ") && !line.startsWith("   ") && line.contains(": "))
                .map(DoctorCommandTest::valueColumn)
                .distinct().toList();
        assertEquals(1, valueColumns.size(), () -> "values not aligned at one column " + valueColumns + ": " + run);
    }

    @Test
    @Timeout(60)
    void shouldReadTheMessageQueueLimitsAsTheKernelHasThem() throws Exception {
        CliRun run = CliRun.of("doctor");

        String msgMax;
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/fs/mqueue/msg_max"))) {
            msgMax = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        assertTrue(Pattern.compile("(?m)^  msg_max: +" + msgMax + " messages").matcher(run.out()).find(), run::toString);
    }

    @Test
    @Timeout(60)
    void shouldWakeAFutexWaiterInAChildJvmAndPassEveryCheck() {
        CliRun run = CliRun.of("doctor");

        assertTrue(run.out().contains("wake across JVMs: OK, the child returned from its wait"), run::toString);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("All checks passed"), run::toString);
    }

    @Test
    @Timeout(60)
    void shouldCheckThatEveryTransportWorksAndSayWhatItNeedsAndItsLimits() {
        IpcProcess.Result run = IpcProcess.run("doctor");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(5, run.out().lines().filter(l -> l.startsWith("  works:") && l.contains("yes (OK: ")).count(),
                "ring, queue, FIFO, socket, memfd: " + run);
        assertTrue(run.out().contains("one message through a 4.0 KiB MPSC ring"), run::toString);
        assertTrue(run.out().contains("anonymous memory passed over a socket; the peer is pid "), run::toString);
        assertTrue(run.out().contains("up to 253 descriptors"), run::toString);
        assertTrue(run.out().contains("membarrier(MEMBARRIER_CMD_GLOBAL)"), run::toString);
        assertEquals(List.of(), CliRun.shmEntries("pipc-doctor-" + run.pid() + "-"), "the checks remove their objects");
        assertFalse(java.nio.file.Files.exists(Path.of(System.getProperty("java.io.tmpdir"),
                "pipc-doctor-" + run.pid() + ".fifo")), "the FIFO is removed");
    }

    @Test
    @Timeout(60)
    void shouldFailTheFutexCheckWithTheChildsOutputWhenTheChildCannotStart() {
        CliRun run = CliRun.withChildrenFailingToStart("doctor");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("wake across JVMs: FAILED: the child JVM exited with code 1 before it waited"
                + " on the futex; its output ends:"), run::toString);
        assertTrue(run.out().contains("org.panamaipc.cli.FutexProbe"), run::toString);
        assertTrue(run.out().contains("1 check failed: wake across JVMs."), run::toString);
        assertEquals(List.of(), CliRun.shmEntries("pipc-doctor-" + ProcessHandle.current().pid() + "-"));
    }

    @Test
    @Timeout(60)
    void shouldLeaveNoSharedMemoryBehind() {
        CliRun.of("doctor");

        assertEquals(List.of(), CliRun.shmEntries("pipc-doctor-" + ProcessHandle.current().pid() + "-"));
    }

    private static int valueColumn(String row) {
        int column = row.indexOf(": ") + 2;
        while (column < row.length() && row.charAt(column) == ' ') {
            column++;
        }
        return column;
    }
}
