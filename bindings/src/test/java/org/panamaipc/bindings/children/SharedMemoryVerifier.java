package org.panamaipc.bindings.children;

import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.mman_h;
import org.panamaipc.bindings.stat;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.bindings.unistd_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32;

import static org.panamaipc.bindings.children.ChildSupport.*;

/**
 * Child of {@code SharedMemoryAcrossProcessesTest}: opens a shared memory object by name, checks
 * its size and mode with {@code fstat}, maps it, verifies the parent's pattern byte for byte, and
 * writes a reply that the parent reads after this process has exited.
 *
 * <pre>
 *   0                      PATTERN_SIZE                      total size (from fstat)
 *   +----------------------+--------------------------------+
 *   | pattern (parent)     | reply (this child)             |
 *   +----------------------+--------------------------------+
 *   reply: +0 int marker (release-stored last), +4 int pid, +8 long CRC-32 of the pattern as read,
 *          +16 long bytes verified
 * </pre>
 *
 * <p>Arguments: {@code name expectedSize seed}. Exits {@link ChildSupport#EXIT_MISMATCH} if a byte
 * differs, {@link ChildSupport#EXIT_UNEXPECTED} if the size or mode is not what was expected.
 */
public final class SharedMemoryVerifier {

    /** The pattern's size: 64 KiB. */
    public static final int PATTERN_SIZE = 64 * 1024;
    /** Offset of the reply region: right after the pattern, page aligned. */
    public static final long REPLY_OFFSET = PATTERN_SIZE;
    /** Offset of the marker word that says the reply is complete. */
    public static final long REPLY_MARKER_OFFSET = REPLY_OFFSET;
    /** Offset of the child's pid. */
    public static final long REPLY_PID_OFFSET = REPLY_OFFSET + 4;
    /** Offset of the CRC-32 of the pattern as the child read it. */
    public static final long REPLY_CRC_OFFSET = REPLY_OFFSET + 8;
    /** Offset of the number of bytes the child verified. */
    public static final long REPLY_VERIFIED_OFFSET = REPLY_OFFSET + 16;
    /** The marker's value once the child verified every byte: "VRFD". */
    public static final int VERIFIED = 0x56524644;

    private SharedMemoryVerifier() {
    }

    /** {@return the pattern's byte at {@code index} for {@code seed}: a SplitMix64 mix, so a shift or a stale page shows} */
    public static byte patternAt(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (byte) (z ^ (z >>> 31));
    }

    /** {@return the CRC-32 of {@code segment}'s first {@link #PATTERN_SIZE} bytes} */
    public static long patternCrc(MemorySegment segment) {
        CRC32 crc = new CRC32();
        crc.update(segment.asSlice(0, PATTERN_SIZE).asByteBuffer());
        return crc.getValue();
    }

    public static void main(String[] args) {
        ChildSupport.run(args, SharedMemoryVerifier::verify);
    }

    private static int verify(String[] args) {
        String name = args[0];
        long expectedSize = Long.parseLong(args[1]);
        long seed = Long.parseLong(args[2]);
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) checkCall("shm_open(" + name + ", O_RDWR)",
                    mman_h.shm_open(arena.allocateFrom(name), fcntl_h.O_RDWR(), 0));
            try {
                MemorySegment st = stat.allocate(arena);
                checkCall("fstat", stat_h.fstat(fd, st));
                long size = stat.st_size(st);
                int mode = stat.st_mode(st);
                System.out.printf("fstat: st_size=%d st_mode=0%o%n", size, mode);
                if (size != expectedSize) {
                    System.out.println("st_size=" + size + " but expected " + expectedSize);
                    return EXIT_UNEXPECTED;
                }
                int permissions = stat_h.S_IRUSR() | stat_h.S_IWUSR();
                if ((mode & stat_h.S_IFMT()) != stat_h.S_IFREG() || (mode & 0777) != permissions) {
                    System.out.printf("st_mode=0%o but expected a regular file with mode 0%o%n", mode, permissions);
                    return EXIT_UNEXPECTED;
                }
                MemorySegment address = mman_h.mmap(MemorySegment.NULL, size,
                        mman_h.PROT_READ() | mman_h.PROT_WRITE(), mman_h.MAP_SHARED(), fd, 0);
                if (address.address() == mman_h.MAP_FAILED().address()) {
                    checkCall("mmap", -1);
                }
                MemorySegment mapping = address.reinterpret(size);
                try {
                    return verifyAndReply(mapping, seed);
                } finally {
                    checkCall("munmap", mman_h.munmap(mapping, size));
                }
            } finally {
                checkCall("close", unistd_h.close(fd));
            }
        }
    }

    private static int verifyAndReply(MemorySegment mapping, long seed) {
        long mismatches = 0;
        long first = -1;
        for (long i = 0; i < PATTERN_SIZE; i++) {
            if (mapping.get(ValueLayout.JAVA_BYTE, i) != patternAt(seed, i)) {
                if (first < 0) {
                    first = i;
                }
                mismatches++;
            }
        }
        if (mismatches != 0) {
            System.out.printf("MISMATCH: %d of %d bytes differ, the first at offset %d: read %d, expected %d%n",
                    mismatches, PATTERN_SIZE, first, mapping.get(ValueLayout.JAVA_BYTE, first), patternAt(seed, first));
            return EXIT_MISMATCH;
        }
        long crc = patternCrc(mapping);
        mapping.set(ValueLayout.JAVA_INT, REPLY_PID_OFFSET, unistd_h.getpid());
        mapping.set(ValueLayout.JAVA_LONG, REPLY_CRC_OFFSET, crc);
        mapping.set(ValueLayout.JAVA_LONG, REPLY_VERIFIED_OFFSET, PATTERN_SIZE);
        INT.setRelease(mapping, REPLY_MARKER_OFFSET, VERIFIED);
        System.out.printf("verified %d bytes, crc32=%08x%n", PATTERN_SIZE, crc);
        return EXIT_OK;
    }
}
