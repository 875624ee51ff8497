package org.panamaipc.bindings.children;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.futex_h;
import org.panamaipc.bindings.mman_h;
import org.panamaipc.bindings.stat;
import org.panamaipc.bindings.stat_h;
import org.panamaipc.bindings.time_h;
import org.panamaipc.bindings.unistd_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.panamaipc.bindings.children.ChildSupport.*;

/**
 * Child of {@code FutexAcrossProcessesTest}: maps a shared memory object by name and waits on the
 * 32-bit word at offset 0 with {@code FUTEX_WAIT_BITSET}, expecting the value 0, until an absolute
 * CLOCK_MONOTONIC deadline {@link ChildSupport#CHILD_DEADLINE} ahead. It prints {@value #WAITING}
 * just before the call and then {@code result rc=<rc> errno=<name>}.
 *
 * <p>Arguments: {@code name mode}, where mode is {@value #EXPECT_WAKE} (exit 0 only if the wait
 * returned 0: a real wake) or {@value #EXPECT_WAKE_OR_EAGAIN} (exit 0 also if the word no longer
 * held 0 when the wait began).
 */
public final class FutexWaiter {

    /** Mode: only a real wake (rc 0) is success. */
    public static final String EXPECT_WAKE = "expect-wake";
    /** Mode: a real wake or EAGAIN (the word had changed already) is success. */
    public static final String EXPECT_WAKE_OR_EAGAIN = "expect-wake-or-eagain";
    /** Printed right before the first wait. */
    public static final String WAITING = "waiting on word=0";
    /** A value the parent never stores in the word. */
    private static final int NEVER_STORED = 0x5A5A5A5A;
    /** Offset of the futex word in the segment. */
    public static final long WORD_OFFSET = 0;

    private FutexWaiter() {
    }

    public static void main(String[] args) {
        ChildSupport.run(args, FutexWaiter::await);
    }

    private static int await(String[] args) {
        String name = args[0];
        String mode = args[1];
        if (!mode.equals(EXPECT_WAKE) && !mode.equals(EXPECT_WAKE_OR_EAGAIN)) {
            throw new IllegalArgumentException("mode=" + mode);
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) checkCall("shm_open(" + name + ", O_RDWR)",
                    mman_h.shm_open(arena.allocateFrom(name), fcntl_h.O_RDWR(), 0));
            try {
                MemorySegment st = stat.allocate(arena);
                checkCall("fstat", stat_h.fstat(fd, st));
                long size = stat.st_size(st);
                MemorySegment address = mman_h.mmap(MemorySegment.NULL, size,
                        mman_h.PROT_READ() | mman_h.PROT_WRITE(), mman_h.MAP_SHARED(), fd, 0);
                if (address.address() == mman_h.MAP_FAILED().address()) {
                    checkCall("mmap", -1);
                }
                MemorySegment mapping = address.reinterpret(size);
                try {
                    return waitForWake(arena, mapping.asSlice(WORD_OFFSET, 4), mode);
                } finally {
                    checkCall("munmap", mman_h.munmap(mapping, size));
                }
            } finally {
                checkCall("close", unistd_h.close(fd));
            }
        }
    }

    private static int waitForWake(Arena arena, MemorySegment word, String mode) {
        // a first call that cannot sleep (the word never holds this value) links the downcall, so
        // that WAITING is printed right before the real wait rather than before class initialisation
        long warmUp = futex_h.futex_wait_bitset(word, NEVER_STORED, MemorySegment.NULL, futex_h.FUTEX_BITSET_MATCH_ANY());
        System.out.println("warm-up rc=" + warmUp + " errno=" + errnoName(errno_h.errno()));
        MemorySegment deadline = deadline(arena, time_h.CLOCK_MONOTONIC(), CHILD_DEADLINE);
        System.out.println(WAITING);
        System.out.flush();
        long rc;
        int errno;
        do {
            // with an absolute deadline, a retry after a signal does not lengthen the wait
            rc = futex_h.futex_wait_bitset(word, 0, deadline, futex_h.FUTEX_BITSET_MATCH_ANY());
            errno = rc == -1 ? errno_h.errno() : 0;
        } while (rc == -1 && errno == errno_h.EINTR());
        System.out.println("result rc=" + rc + " errno=" + (rc == -1 ? errnoName(errno) : "-")
                + " word=" + (int) INT.getAcquire(word, 0L));
        if (rc == 0) {
            return EXIT_OK;
        }
        if (mode.equals(EXPECT_WAKE_OR_EAGAIN) && errno == errno_h.EAGAIN()) {
            return EXIT_OK;
        }
        return EXIT_UNEXPECTED;
    }
}
