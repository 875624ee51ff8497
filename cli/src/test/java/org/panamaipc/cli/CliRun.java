package org.panamaipc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Runs {@code ipc} in this JVM with captured output, as the tests need it. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = IpcCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** {@return the entries of /dev/shm whose names start with {@code prefix}} */
    static List<String> shmEntries(String prefix) {
        try (Stream<Path> entries = Files.list(Path.of("/dev/shm"))) {
            return entries.map(path -> path.getFileName().toString()).filter(name -> name.startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code ipc} as {@link #of(String...)} does, with the class path that child JVMs get
     * pointing nowhere, so any child JVM fails to start.
     */
    static CliRun withChildrenFailingToStart(String... args) {
        String classPath = System.getProperty("java.class.path");
        System.setProperty("java.class.path", "/nonexistent");
        try {
            return of(args);
        } finally {
            System.setProperty("java.class.path", classPath);
        }
    }

    @Override
    public String toString() {
        return "exit code " + exitCode + "\n--- out:\n" + out + "\n--- err:\n" + err;
    }
}
