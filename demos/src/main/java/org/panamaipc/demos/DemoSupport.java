package org.panamaipc.demos;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;

/** What the demos share: printing each side's lines, durations for people, the other JVM's output. */
final class DemoSupport {

    private DemoSupport() {
    }

    static void copyChildOutput(Redirect childOutput, Process consumer, PrintWriter out) {
        if (consumer == null || childOutput.file() == null) {
            return; // it shared our terminal, so its lines are already there
        }
        try {
            out.println();
            out.printf("Output of the consumer JVM (pid %d), from %s:%n", consumer.pid(), childOutput.file());
            Files.readAllLines(childOutput.file().toPath()).forEach(out::println);
        } catch (IOException e) {
            out.println("(unreadable: " + e.getMessage() + ")");
        }
        out.flush();
    }

    static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    private static final String MICROS =
            Charset.forName(System.getProperty("stdout.encoding", "UTF-8"), StandardCharsets.UTF_8)
                    .newEncoder().canEncode('µ') ? "µs" : "us";

    /** {@return a duration for people: {@code "48 µs"}, {@code "212.4 ms"}} */
    static String elapsed(long nanos) {
        if (nanos < 1_000_000) {
            return Math.max(0, nanos / 1_000) + " " + MICROS;
        }
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** One side of the exchange, which prefixes what it prints with its role and pid. */
    record Side(String role, PrintWriter out) {
        void say(String format, Object... args) {
            out.println("[" + role + " pid " + ProcessHandle.current().pid() + "] " + String.format(format, args));
            out.flush();
        }
    }
}
