package org.panamaipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpcCommandTest {

    @Test
    @Timeout(30)
    void shouldListTheSubcommandsInTheHelp() {
        CliRun run = CliRun.of("--help");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("Usage: ipc"), run::toString);
        assertTrue(run.out().contains("demo "), run::toString);
        assertTrue(run.out().contains("doctor "), run::toString);
    }

    @Test
    @Timeout(30)
    void shouldPrintTheUsageWithoutASubcommand() {
        CliRun run = CliRun.of();

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("Usage: ipc"), run::toString);
    }

    @Test
    @Timeout(30)
    void shouldPrintTheProjectVersionAndTheJavaItRunsOn() {
        CliRun run = CliRun.of("--version");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("ipc (panama-ipc) "), run::toString);
        assertTrue(!run.out().contains("${project.version}") && !run.out().contains("unknown"), run::toString);
        assertTrue(run.out().contains("Java " + Runtime.version()), run::toString);
    }

    @Test
    @Timeout(30)
    void shouldRejectAnUnknownSubcommandWithExitCode2() {
        CliRun run = CliRun.of("frobnicate");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("frobnicate"), run::toString);
    }
}
