package org.panamaipc.cli;

import org.panamaipc.IpcException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code ipc} command: the entry point of the command line, with {@code demo}, {@code doctor}
 * and {@code bench} as subcommands. The {@code ipc} launcher at the root of the repository runs its
 * {@link #main(String[])}; {@link #commandLine()} gives the same command for running in-process.
 */
@Command(name = "ipc",
        mixinStandardHelpOptions = true,
        versionProvider = IpcCommand.Version.class,
        description = {
                "Inter-process communication for Java between separate processes on one machine:",
                "shared memory, futexes, ring channels and POSIX message queues, through the Foreign",
                "Function & Memory API."},
        subcommands = {DemoCommand.class, DoctorCommand.class, BenchCommand.class, HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"",
                "New here? Run `ipc demo` to watch two JVMs talk through shared memory,",
                "and `ipc doctor` to check this machine."})
public final class IpcCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Creates the command; {@link #commandLine()} wraps it for execution. */
    public IpcCommand() {
    }

    /** Runs {@code ipc} with {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * {@return the {@code ipc} command, ready to {@link CommandLine#execute(String...) execute}}
     * Failures of the operating system ({@link IpcException}) are printed as one line on the error
     * stream, with exit code 1; other exceptions keep picocli's handling (a stack trace).
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new IpcCommand());
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (exception instanceof IpcException ipc) {
                failed.getErr().println("ipc: " + ipc.getMessage());
                failed.getErr().flush();
                return 1;
            }
            throw exception;
        });
        return commandLine;
    }

    /** With no subcommand, prints the usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@return the version of panama-ipc, such as {@code "0.1.0-SNAPSHOT"}, or {@code "unknown"}} */
    public static String version() {
        try (InputStream in = IpcCommand.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** What {@code ipc --version} prints: the version, and the Java and OS it runs on. */
    public static final class Version implements CommandLine.IVersionProvider {

        /** Created by picocli. */
        public Version() {
        }

        @Override
        public String[] getVersion() {
            return new String[] {
                    "ipc (panama-ipc) " + version(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at "
                            + System.getProperty("java.home"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch")};
        }
    }
}
