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
 * The {@code ipc} command: the entry point of the command line. Its subcommands find, inspect,
 * watch and remove IPC objects ({@code ls}, {@code stat}, {@code rm}), poke at any POSIX shared
 * memory, message queue or panama-ipc ring ({@code shm}, {@code mq}, {@code channel}), run the
 * demos, check the machine ({@code doctor}) and measure ({@code bench}). The {@code ipc} launcher
 * at the root of the repository runs its {@link #main(String[])}; {@link #commandLine()} gives the
 * same command for running in-process.
 *
 * <p>Every subcommand prints for people by default and JSON with {@code --json}, exits with 0 on
 * success, 1 when the operation failed (with a one-line reason on the error stream, never a stack
 * trace) and 2 when the command line is wrong.
 */
@Command(name = "ipc",
        mixinStandardHelpOptions = true,
        versionProvider = IpcCommand.Version.class,
        description = {
                "Inter-process communication for Java between processes on one machine:",
                "shared memory, futexes, ring channels and POSIX message queues, through",
                "the Foreign Function & Memory API."},
        subcommands = {LsCommand.class, StatCommand.class, RmCommand.class, ShmCommand.class, MqCommand.class,
                ChannelCommand.class, DemoCommand.class, DoctorCommand.class, BenchCommand.class, HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"",
                "New here? Run `ipc demo` to watch two JVMs talk through shared memory,",
                "`ipc demo --list` for the others, and `ipc doctor` to check this machine.",
                "Exit codes: 0 success, 1 the operation failed, 2 a wrong command line."})
public final class IpcCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Creates the command; {@link #commandLine()} wraps it for execution. */
    public IpcCommand() {
    }

    /** The exit code of a failed operation: the reason is one line on the error stream. */
    public static final int FAILED = 1;
    /** The exit code of a wrong command line. */
    public static final int USAGE = 2;
    /** Set to 1 to see the stack trace of an unexpected failure. */
    static final String DEBUG_VARIABLE = "IPC_DEBUG";

    /** Runs {@code ipc} with {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (Throwable t) { // an Error, outside picocli's handlers: still one line
            System.err.println("ipc: " + describe(t));
            if ("1".equals(System.getenv(DEBUG_VARIABLE))) {
                t.printStackTrace();
            }
            code = FAILED;
        }
        System.exit(code);
    }

    /**
     * {@return the {@code ipc} command, ready to {@link CommandLine#execute(String...) execute}}
     * A wrong command line is one line on the error stream naming the subcommand, with exit code
     * {@value #USAGE}; any failure while running is one line too ({@code ipc: ...}), with exit code
     * {@value #FAILED}. Stack traces appear only with {@value #DEBUG_VARIABLE}=1 in the environment.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new IpcCommand());
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine failed = exception.getCommandLine();
            String command = failed.getCommandSpec().qualifiedName();
            failed.getErr().println(command + ": " + oneLine(exception.getMessage()) + " (see '" + command + " --help')");
            failed.getErr().flush();
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            failed.getErr().println("ipc: " + describe(exception));
            if ("1".equals(System.getenv(DEBUG_VARIABLE))) {
                exception.printStackTrace(failed.getErr());
            }
            failed.getErr().flush();
            return FAILED;
        });
        return commandLine;
    }

    /**
     * {@return a failure in one line} The messages of panama-ipc's exceptions and of caller errors
     * say what happened; anything else is named by its class too.
     */
    static String describe(Throwable t) {
        String message = t.getMessage();
        if (t instanceof IpcException || t instanceof Failure || t instanceof IllegalArgumentException
                || t instanceof IllegalStateException || t instanceof java.io.IOException) {
            if (t instanceof java.nio.file.NoSuchFileException) {
                return oneLine(message) + ": no such file";
            }
            return oneLine(message != null ? message : t.getClass().getSimpleName());
        }
        if (t instanceof InterruptedException) {
            return "interrupted";
        }
        return "unexpected " + t.getClass().getName() + (message != null ? ": " + oneLine(message) : "")
                + " (run with " + DEBUG_VARIABLE + "=1 for the stack trace)";
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).stripTrailing();
    }

    /**
     * An operation of a subcommand did not succeed, for a reason its message gives in one line:
     * exit code {@value #FAILED}.
     */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
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
