package org.panamaipc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the kernel's limits from {@code /proc}, for messages and for {@code ipc doctor}. */
public final class Limits {

    private Limits() {
    }

    /** {@return the trimmed content of a {@code /proc} file such as {@code /proc/sys/fs/mqueue/msg_max}, or {@code null}} */
    public static String procValue(String path) {
        // not Files.readString: it reads a file whose size shows as 0 a byte at a time, and /proc/sys
        // files answer only reads that start at offset 0 (msg_max 10 came back as "1")
        try (java.io.InputStream in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * {@return this process's soft limit on the row of {@code /proc/self/limits} that starts with
     * {@code name} (such as {@code "Max msgqueue size"}), as printed there, or {@code null}}
     */
    public static String rlimit(String name) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/limits"));
            for (String line : lines) {
                if (line.startsWith(name)) {
                    String[] columns = line.substring(name.length()).trim().split("\\s+");
                    return columns.length > 0 ? columns[0] : null;
                }
            }
        } catch (IOException | SecurityException e) {
            // fall through
        }
        return null;
    }
}
