package org.panamaipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;

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

    @Test
    @Timeout(60)
    void shouldPrintTheHelpOfEverySubcommand() {
        List<String> commands = List.of("ls", "stat", "rm", "shm", "shm create", "shm cat", "shm write", "mq", "mq send",
                "mq recv", "channel", "channel create", "channel send", "channel recv", "demo", "doctor", "bench");
        for (String command : commands) {
            String[] args = (command + " --help").split(" ");
            CliRun run = CliRun.of(args);

            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().startsWith("Usage: ipc " + command + " "), run::toString);
            assertEquals("", run.err(), run::toString);
        }
    }

    @Test
    @Timeout(60)
    void shouldRejectAnUnknownOptionInOneLineWithExitCode2() {
        IpcProcess.Result run = IpcProcess.run("ls", "--bogus");

        assertEquals(IpcCommand.USAGE, run.exitCode(), run::toString);
        assertEquals(List.of("ipc ls: Unknown option: '--bogus' (see 'ipc ls --help')"), run.errLines(), run::toString);
        assertEquals("", run.out(), run::toString);
    }

    /** A subcommand that fails as no subcommand should: the handler still prints one line. */
    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new NullPointerException("something was null");
        }
    }

    @Test
    @Timeout(30)
    void shouldReportAnUnexpectedFailureInOneLineWithoutAStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine ipc = IpcCommand.commandLine().addSubcommand(new Boom());
        int exitCode = ipc.setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter(), true))
                .execute("boom");

        assertEquals(IpcCommand.FAILED, exitCode);
        assertEquals(List.of("ipc: unexpected java.lang.NullPointerException: something was null (run with IPC_DEBUG=1 "
                + "for the stack trace)"), err.toString().lines().toList());
    }
}
