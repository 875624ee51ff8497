package org.panamaipc.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles a C program during a test, for C code that depends on what the test produces (such as
 * a header a codec emits), with the flags of {@code native/Makefile}: {@code gcc -std=c11 -O2 -Wall
 * -Wextra -Werror -D_GNU_SOURCE}, with {@code native/include} and the given directories on the
 * include path. Run the program with {@link ChildProcess#program(String, String...)}.
 */
public final class CCompiler {

    private static final long DEADLINE_SECONDS = 120;

    private CCompiler() {
    }

    /** {@return {@code native/include}, next to the directory of {@link ChildProcess#nativeBinary}} */
    public static Path nativeIncludeDir() {
        String dir = System.getProperty("panama.ipc.native.bin");
        Path bin = dir != null ? Path.of(dir) : Path.of("..", "native", "target", "bin");
        return bin.toAbsolutePath().normalize().getParent().getParent().resolve("include");
    }

    /**
     * Compiles {@code source} into the program {@code output}, failing with the compiler's output
     * if it does not compile (warnings are errors).
     *
     * @param includeDirs directories searched for headers before {@code native/include}
     * @return {@code output}
     */
    public static Path compile(Path source, Path output, Path... includeDirs) {
        List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("CC", "gcc"),
                "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE"));
        for (Path include : includeDirs) {
            command.add("-I" + include.toAbsolutePath());
        }
        command.add("-I" + nativeIncludeDir());
        command.addAll(List.of("-o", output.toAbsolutePath().toString(), source.toAbsolutePath().toString(),
                "-lrt", "-lpthread"));
        try {
            Path log = Files.createTempFile(output.toAbsolutePath().getParent(), "cc-", ".log");
            Process cc = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!cc.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                cc.descendants().forEach(ProcessHandle::destroyForcibly);
                cc.destroyForcibly();
                throw new AssertionError("the C compiler still ran after " + DEADLINE_SECONDS + " s: " + command);
            }
            if (cc.exitValue() != 0) {
                throw new AssertionError("the C compiler failed (" + cc.exitValue() + "): " + String.join(" ", command)
                        + "\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while compiling " + source, e);
        }
    }
}
