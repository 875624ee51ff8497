package org.panamaipc.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.stream.Stream;

/**
 * Files in {@code /dev/shm} for the alternatives that share memory through a mapped file, and the
 * quiet delete that every alternative's {@code tearDown} uses.
 */
final class MappedFiles {

    /** Where the files go: tmpfs, so that a mapping is memory and never written back to a disk. */
    static final Path SHM = Path.of("/dev/shm");

    private MappedFiles() {
    }

    /** {@return {@code /dev/shm/pipc-bench-ID-SUFFIX}} */
    static Path path(String id, String suffix) {
        return SHM.resolve("pipc-bench-" + id + "-" + suffix);
    }

    /** Creates {@code file}, mode 0600, of {@code size} zero bytes; fails if it exists. */
    static void create(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            channel.write(ByteBuffer.allocate(1), size - 1); // extends the file with zeros
        }
    }

    /** {@return the whole of {@code file} mapped read-write; the mapping outlives the channel} */
    static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
    }

    /** Deletes {@code path}, and everything under it if it is a directory; never throws. */
    static void deleteQuietly(Path path) {
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException | RuntimeException ignored) {
                // best effort: tearDown never throws
            }
        }
    }
}
