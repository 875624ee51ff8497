package org.panamaipc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the kernel's limits from {@code /proc}, for messages and for {@code ipc doctor}. */
public final class Limits {

    private Limits() {
    }

    /**
     * {@return the trimmed content of a {@code /proc} file such as {@code /proc/sys/fs/mqueue/msg_max}, or {@code null}}
     *
     * <p>Read with one {@code read} call into a large buffer: a {@code /proc/sys} file reports size 0
     * and answers a read at a nonzero offset with end-of-file, so {@link Files#readString(Path)}
     * (which reads a first single byte when the size is 0) would return only the first character,
     * {@code "8"} for {@code 8192}.
     */
    public static String procValue(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            byte[] buffer = new byte[PROC_READ_SIZE];
            int n = in.read(buffer);
            return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Larger than any single-value {@code /proc/sys} file. */
    private static final int PROC_READ_SIZE = 4096;

    /**
     * {@return the size of the file system at {@code directory} and its free space, such as
     * {@code "67108864 bytes (64 MiB), 1048576 free (1 MiB)"}, or {@code null} if unknown}
     */
    public static String spaceOf(Path directory) {
        try {
            java.nio.file.FileStore store = Files.getFileStore(directory);
            long total = store.getTotalSpace();
            long free = store.getUsableSpace();
            return total + " bytes (" + mebibytes(total) + "), " + free + " free (" + mebibytes(free) + ")";
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static String mebibytes(long bytes) {
        return (bytes >> 20) + " MiB";
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

    /** {@code CAP_SYS_RESOURCE}: lets a process exceed {@code fs.mqueue.msg_max}, {@code msgsize_max} and {@code queues_max}. */
    public static final int CAP_SYS_RESOURCE = 24;

    /**
     * {@return whether this process has capability {@code bit} (such as {@link #CAP_SYS_RESOURCE})
     * in its effective set, as {@code /proc/self/status} shows it; {@code false} if unreadable}
     */
    public static boolean hasCapability(int bit) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return (effective & (1L << bit)) != 0;
                }
            }
        } catch (IOException | SecurityException | NumberFormatException e) {
            // fall through
        }
        return false;
    }

    /** {@return how many file descriptors this process has open now, or -1 if unknown} */
    public static int openDescriptors() {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return (int) entries.count();
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    /** {@return a {@code /proc} value as a number, or -1 if unreadable} */
    public static long procNumber(String path) {
        String value = procValue(path);
        try {
            return value != null ? Long.parseLong(value) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
    /**
     * {@return the bytes of memory the machine could still give to anonymous shared memory: what
     * {@code /proc/meminfo} calls {@code MemAvailable} plus {@code SwapFree}, or
     * {@code Long.MAX_VALUE} when that cannot be read} A memfd has no size limit of its own, so
     * reserving more than this would not fail cleanly: the kernel would reclaim and then call the
     * OOM killer on whichever process it picks.
     */
    public static long availableMemory() {
        try {
            long available = -1;
            long swapFree = 0;
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    available = kibibytes(line);
                } else if (line.startsWith("SwapFree:")) {
                    swapFree = kibibytes(line);
                }
            }
            return available < 0 ? Long.MAX_VALUE : (available + swapFree) * 1024;
        } catch (java.io.IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long kibibytes(String meminfoLine) {
        String[] fields = meminfoLine.trim().split("\\s+");
        return Long.parseLong(fields[1]);
    }
}
