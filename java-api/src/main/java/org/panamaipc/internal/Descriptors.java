package org.panamaipc.internal;

import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.stat;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.bindings.unistd_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small operations on raw file descriptors that several packages share. */
public final class Descriptors {

    private static final String DELETED = " (deleted)";

    private Descriptors() {
    }

    /**
     * {@return a close-on-exec duplicate of {@code fd}}
     *
     * @throws org.panamaipc.IpcException if the process has no descriptor left
     */
    public static int duplicate(int fd, String object) {
        int copy = fcntl_h.fcntl(fd, fcntl_h.F_DUPFD_CLOEXEC(), 0);
        if (copy < 0) {
            throw Errors.lastError("duplicate the descriptor of", object);
        }
        return copy;
    }

    /** Makes {@code fd} non-blocking (its open file description, which duplicates share). */
    public static void setNonBlocking(int fd, String object) {
        int flags = fcntl_h.fcntl(fd, fcntl_h.F_GETFL(), 0);
        if (flags < 0 || (flags & fcntl_h.O_NONBLOCK()) == 0
                && fcntl_h.fcntl(fd, fcntl_h.F_SETFL(), flags | fcntl_h.O_NONBLOCK()) < 0) {
            throw Errors.lastError("make non-blocking", object);
        }
    }

    /** {@return the file type bits ({@code S_IFMT}) of {@code fd}'s {@code st_mode}} */
    public static int fileType(int fd, String object) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            if (stat_h.fstat(fd, st) != 0) {
                throw Errors.lastError("read the status of", object);
            }
            return stat.st_mode(st) & stat_h.S_IFMT();
        }
    }

    /**
     * {@return what {@code /proc/self/fd/FD} links to, without a trailing {@code " (deleted)"}:
     * {@code /dev/shm/orders}, {@code /memfd:pipc-anonymous}, {@code /orders} for a message queue,
     * {@code anon_inode:[eventfd]}; or {@code "descriptor FD"} if it cannot be read}
     */
    public static String describe(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.endsWith(DELETED) ? target.substring(0, target.length() - DELETED.length()) : target;
        } catch (IOException | UnsupportedOperationException e) {
            return "descriptor " + fd;
        }
    }

    /** Closes {@code fd}, ignoring failure (a descriptor being given up after another failure). */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            unistd_h.close(fd);
        }
    }
}
