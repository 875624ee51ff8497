package org.panamaipc.demos;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;

/**
 * The output of several child JVMs of one demo: shared with this terminal, or, when the demo was
 * given a file, one file each beside it ({@code FILE.1}, {@code FILE.2}, ...), copied to the
 * demo's output once the children have ended.
 */
final class ChildOutputs {

    private final Redirect given;

    ChildOutputs(Redirect given) {
        this.given = given;
    }

    /** {@return where child {@code n} writes} */
    Redirect of(int n) {
        return given.file() == null ? given : Redirect.to(file(n));
    }

    private File file(int n) {
        return new File(given.file().getPath() + "." + n);
    }

    /** Copies the files of children 1..{@code count} to {@code out}, if they wrote to files, and removes them. */
    void copy(int count, String role, PrintWriter out) {
        if (given.file() == null) {
            return;
        }
        for (int n = 1; n <= count; n++) {
            File file = file(n);
            if (!file.exists()) {
                continue;
            }
            out.println();
            out.printf("Output of %s %d:%n", role, n);
            try {
                Files.readAllLines(file.toPath()).forEach(out::println);
                Files.deleteIfExists(file.toPath());
            } catch (IOException e) {
                out.println("(unreadable: " + e.getMessage() + ")");
            }
        }
        out.flush();
    }
}
