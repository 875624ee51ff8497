package org.panamaipc.children;

import org.panamaipc.PeerGoneException;
import org.panamaipc.bindings.signal_h;
import org.panamaipc.bindings.sigaction;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.pipe.NamedPipe;
import org.panamaipc.pipe.PipeReader;
import org.panamaipc.pipe.PipeWriter;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM for the SIGPIPE tests: {@code DISPOSITION HOW DIRECTORY} creates a FIFO in
 * {@code DIRECTORY}, opens a reader and a writer, closes the reader, and writes. With
 * {@code DISPOSITION} {@code default} it leaves SIGPIPE as the JVM set it; with {@code sig_dfl} it
 * restores the default action (which ends the process) first, as an embedding application might.
 * {@code HOW} is {@code pipe-writer} ({@link PipeWriter#write}) or {@code raw-write} (a bare
 * {@code write(2)}, to show what SIGPIPE does). Prints {@code PEER_GONE} and {@code ALIVE} and
 * exits 0 when it lives.
 */
public final class PipeChild {

    private PipeChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start("PipeChild", Duration.ofSeconds(60));
        if (args[0].equals("sig_dfl")) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment action = sigaction.allocate(arena); // zeroed: SIG_DFL, no flags, empty mask
                if (signal_h.sigaction(signal_h.SIGPIPE(), action, MemorySegment.NULL) != 0) {
                    throw new IllegalStateException("sigaction failed");
                }
                MemorySegment now = sigaction.allocate(arena);
                signal_h.sigaction(signal_h.SIGPIPE(), MemorySegment.NULL, now);
                System.out.println("SIGPIPE handler now 0x" + Long.toHexString(sigaction.sa_handler(now)));
            }
        }
        Path path = Path.of(args[2], "fifo");
        try (NamedPipe pipe = NamedPipe.create(path)) {
            PipeReader reader = pipe.tryOpenReader();
            try (PipeWriter writer = pipe.tryOpenWriter()) {
                reader.close();
                if (args[1].equals("raw-write")) {
                    System.out.println("raw write(2) to a FIFO without a reader");
                    System.out.flush();
                    try (Arena arena = Arena.ofConfined()) {
                        long rc = unistd_h.write(fd(writer), arena.allocate(8), 8);
                        System.out.println("write returned " + rc);
                    }
                } else {
                    try {
                        writer.write(ByteBuffer.wrap("anyone?".getBytes()));
                        System.out.println("NO EXCEPTION");
                    } catch (PeerGoneException e) {
                        System.out.println("PEER_GONE " + e.getMessage());
                    }
                }
            }
        } finally {
            NamedPipe.unlinkIfExists(path);
        }
        System.out.println("ALIVE");
        System.out.flush();
    }

    /** The writer's descriptor, found as the newest FIFO descriptor open for writing in /proc/self/fdinfo. */
    private static int fd(PipeWriter writer) throws Exception {
        int found = -1;
        try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = java.nio.file.Files.readSymbolicLink(fd).toString();
                    String info = java.nio.file.Files.readString(Path.of("/proc/self/fdinfo", fd.getFileName().toString()));
                    // flags are octal; O_WRONLY is 01
                    String flags = info.lines().filter(l -> l.startsWith("flags:")).findFirst().orElse("flags: 0");
                    if (target.startsWith("pipe:") || target.endsWith("/fifo")) {
                        if ((Integer.parseInt(flags.substring(6).trim(), 8) & 3) == 1) {
                            found = Math.max(found, Integer.parseInt(fd.getFileName().toString()));
                        }
                    }
                } catch (java.io.IOException | NumberFormatException gone) {
                    // closed meanwhile, or the listing's own descriptor
                }
            }
        }
        if (found < 0) {
            throw new IllegalStateException("writer's descriptor not found for " + writer);
        }
        return found;
    }
}
